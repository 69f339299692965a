import { OperatorTsError } from '../errors.js';
import { fullGroupName } from '../project/names.js';
import { sameGvk, type ProjectConfig, type ProjectResource, type ProjectWebhooks } from '../project/project-file.js';
import { UsageError } from './errors.js';

/** The webhooks one `create webhook` run asks for, with names already validated. */
export interface WebhookRequest {
  group: string;
  version: string;
  kind: string;
  defaulting: boolean;
  validation: boolean;
  conversion: boolean;
  /** `--spoke`: the versions converted to and from the hub; default every other version of the kind. */
  spoke?: readonly string[];
  force: boolean;
}

/** What the request means against PROJECT: the resource it changes, its merged webhooks and what to scaffold. */
export interface WebhookDecision {
  resource: ProjectResource;
  webhooks: ProjectWebhooks;
  /** The spokes whose converters this run writes (empty without --conversion). */
  newSpokes: string[];
}

const FLAG: Record<'defaulting' | 'validation' | 'conversion', string> = {
  defaulting: '--defaulting',
  validation: '--programmatic-validation',
  conversion: '--conversion',
};

/** Versions of a kind that have API types (the only ones a webhook can be typed against). */
function versionsWithTypes(project: ProjectConfig, group: string, kind: string): ProjectResource[] {
  return project.resources.filter((r) => r.group === group && r.kind === kind && r.api !== undefined);
}

/**
 * The rules of `create webhook` (Kubebuilder's): at least one type; the API must be in PROJECT with its types; a type
 * already scaffolded needs --force; conversion makes this version the hub of its kind, needs another version, and
 * every spoke must be a version of the kind. The result merges with the webhooks the resource already has.
 */
export function decideWebhooks(project: ProjectConfig, req: WebhookRequest): WebhookDecision {
  const { group, version, kind } = req;
  const where = `${kind} (${fullGroupName(group, project.domain)}/${version})`;
  if (req.spoke !== undefined && !req.conversion) {
    throw new UsageError(`--spoke ${req.spoke.join(',')} was given without --conversion; spokes are the versions a conversion webhook converts.`, {
      hint: 'add --conversion, or drop --spoke',
    });
  }
  if (!req.defaulting && !req.validation && !req.conversion) {
    throw new UsageError('nothing to scaffold: create webhook needs at least one of --defaulting, --programmatic-validation and --conversion.', {
      hint: `pass one or more of them, for example: operator-ts create webhook --group ${group} --version ${version} --kind ${kind} --defaulting --programmatic-validation`,
    });
  }
  const resource = project.resources.find((r) => sameGvk(r, req));
  const versions = versionsWithTypes(project, group, kind);
  if (!resource?.api) {
    const others = versions.map((r) => r.version);
    const detail = resource
      ? `${where} is in PROJECT without API types (it was created with --no-resource), and a webhook is typed against them.`
      : others.length > 0
        ? `${where} is not in PROJECT: ${kind} has the version${others.length > 1 ? 's' : ''} ${others.join(', ')}.`
        : `no API ${where} is in PROJECT.`;
    throw new OperatorTsError('ENOAPI', detail, {
      hint: `create the API first: operator-ts create api --group ${group} --version ${version} --kind ${kind} --resource`
        + (others.length > 0 && !resource ? `, or pass --version ${others[0]}` : ''),
    });
  }

  const existing = resource.webhooks;
  if (!req.force && existing) {
    for (const type of ['defaulting', 'validation', 'conversion'] as const) {
      if (req[type] && existing[type]) {
        throw new OperatorTsError('EWEBHOOKEXISTS', `${where} already has a ${type} webhook (PROJECT records it).`, {
          hint: type === 'conversion'
            ? `pass --force to write the converters of the spokes you name again (and add new spokes), or drop ${FLAG[type]}`
            : `drop ${FLAG[type]}, or pass --force to scaffold its code and test again (your changes to them are overwritten)`,
        });
      }
    }
  }

  let newSpokes: string[] = [];
  if (req.conversion) {
    const hub = versions.find((r) => r.version !== version && r.webhooks?.conversion);
    if (hub) {
      throw new OperatorTsError('EHUB', `${kind} already has its conversion hub in ${hub.version} (PROJECT); a kind has one hub, so ${version} cannot be another.`, {
        hint: `to convert ${version} too, add it as a spoke of the hub: operator-ts create webhook --group ${group} --version ${hub.version} --kind ${kind} --conversion --spoke ${version} --force`,
      });
    }
    const others = versions.filter((r) => r.version !== version).map((r) => r.version);
    if (others.length === 0) {
      throw new OperatorTsError('ENOSPOKES', `${kind} has only the version ${version} in PROJECT; a conversion webhook converts between versions, so it needs at least one more.`, {
        hint: `add another version first, for example: operator-ts create api --group ${group} --version ${version === 'v1' ? 'v1alpha1' : 'v1'} --kind ${kind} --resource --no-controller`,
      });
    }
    newSpokes = req.spoke === undefined ? others : [...new Set(req.spoke.map((s) => s.trim()))];
    for (const spoke of newSpokes) {
      if (spoke === version) {
        throw new OperatorTsError('ESPOKE', `spoke '${spoke}' is the hub itself; spokes are the other versions of ${kind}.`, {
          hint: `pass --spoke ${others.join(',')}, or drop --spoke to use every other version`,
        });
      }
      if (!others.includes(spoke)) {
        throw new OperatorTsError('ESPOKE', `spoke version '${spoke}' is not a version of ${kind} with API types in PROJECT; ${kind} has ${[version, ...others].join(', ')}.`, {
          hint: `pass --spoke ${others.join(',')}, or add ${spoke} first: operator-ts create api --group ${group} --version ${spoke} --kind ${kind} --resource --no-controller`,
        });
      }
    }
  }

  const spokes = [...new Set([...(existing?.spoke ?? []), ...newSpokes])].sort();
  const webhooks: ProjectWebhooks = {
    ...((req.defaulting || existing?.defaulting) ? { defaulting: true } : {}),
    ...((req.validation || existing?.validation) ? { validation: true } : {}),
    ...((req.conversion || existing?.conversion) ? { conversion: true } : {}),
    ...(spokes.length > 0 ? { spoke: spokes } : {}),
    webhookVersion: 'v1',
  };
  return { resource, webhooks, newSpokes };
}
