import { apiTypesPath, webhookRegistrationPath } from '../project/layout.js';
import { validateGroup, validateKind, validateVersion } from '../project/names.js';
import { PROJECT_FILE, readProject, renderProjectFile, type ProjectResource } from '../project/project-file.js';
import { mutatePath, validatePath } from '../runtime/webhook/paths.js';
import type { ManifestPlanner } from './api-plan.js';
import { buildApiContext, type ApiContext } from './context.js';
import { MarkerNotFoundError } from './errors.js';
import { insertAtMarker } from './insertions.js';
import { MARKERS } from './markers.js';
import { PlanBuilder, type FileSystemView, type Plan } from './plan.js';
import { renderTemplates } from './template-registry.js';
import { interfaceFields } from './type-fields.js';
import { planWebhookKustomize } from './webhook-kustomize.js';
import { decideWebhooks, type WebhookRequest } from './webhook-rules.js';
import type { PackageInfo } from './package-info.js';
import { OperatorTsError } from '../errors.js';

export interface WebhookPlanInput extends Omit<WebhookRequest, 'group' | 'version' | 'kind'> {
  view: FileSystemView;
  group: string;
  version: string;
  kind: string;
  year: number;
  info: PackageInfo;
  manifests: ManifestPlanner;
  templatesDir?: string;
}

export interface WebhookPlanResult {
  plan: Plan;
  context: ApiContext;
  /** The files with the user's code this run scaffolds (defaulter, validator, converters), for "Next steps". */
  userFiles: string[];
}

/** One version's line in the registration file. */
interface RegisteredVersion {
  kind: string;
  camelKind: string;
  version: string;
  defaulting: boolean;
  validation: boolean;
  conversion: boolean;
  spokes: string[];
  mutatePath: string;
  validatePath: string;
}

function camel(kind: string): string {
  return kind[0]!.toLowerCase() + kind.slice(1);
}

/**
 * `create webhook`: the user's code for each requested type (one file per version, kind and type, so a type added
 * later never touches another's code), a test next to each, the kind's registration file rewritten from the
 * updated PROJECT, the registration call in src/main.ts, PROJECT, and the manifests the planner computes from it —
 * one plan, written atomically.
 */
export async function planCreateWebhook(input: WebhookPlanInput, dirForMessages: string): Promise<WebhookPlanResult> {
  const project = readProject((path) => input.view.read(path), dirForMessages);
  const group = validateGroup(input.group, project.domain);
  const version = validateVersion(input.version);
  const kind = validateKind(input.kind);
  const decision = decideWebhooks(project, { ...input, group, version, kind });
  const { resource } = decision;

  const updated: ProjectResource = { ...resource, webhooks: decision.webhooks };
  const resources = project.resources.map((r) => (r === resource ? updated : r));
  const base = buildApiContext({
    project, group, version, kind, plural: resource.plural, namespaced: resource.api!.namespaced, resource: true,
    controller: resource.controller, year: input.year, info: input.info, dependency: { spec: '', vendored: false },
  });
  const common = { ...base, camelKind: camel(kind), mutatePath: mutatePath(rt(base)), validatePath: validatePath(rt(base)) };

  const builder = new PlanBuilder(input.view, input.force);
  const userFiles: string[] = [];
  const add = (context: Record<string, unknown>) => {
    for (const file of renderTemplates({ set: 'webhook', context, ...(input.templatesDir ? { templatesDir: input.templatesDir } : {}) })) {
      builder.add(file.path, file.contents, file.policy, file.mode);
      if (file.path.startsWith('src/webhooks/') && file.policy === 'error') userFiles.push(file.path);
    }
  };
  const none = { registration: false, defaulting: false, validation: false, conversion: false };
  if (input.defaulting) add({ ...common, ...none, defaulting: true, projectName: project.projectName });
  if (input.validation) add({ ...common, ...none, validation: true });
  for (const spoke of decision.newSpokes) {
    add({ ...common, ...none, conversion: true, hubApiVersion: base.apiVersion, ...converterContext(builder, kind, version, spoke) });
  }

  const registered = resources
    .filter((r) => r.group === group && r.kind === kind && r.webhooks)
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
    .map((r): RegisteredVersion => {
      const w = r.webhooks!;
      const id = { group: base.fullGroup, version: r.version, kind };
      return {
        kind, camelKind: camel(kind), version: r.version, defaulting: w.defaulting === true, validation: w.validation === true,
        conversion: w.conversion === true, spokes: w.conversion ? (w.spoke ?? []) : [], mutatePath: mutatePath(id), validatePath: validatePath(id),
      };
    });
  add({ ...common, ...none, registration: true, registered, converters: registered.flatMap((r) => r.spokes) });

  wireIntoMain(builder, kind);
  const updatedProject = { ...project, resources };
  planWebhookKustomize(builder, updatedProject, input.templatesDir === undefined ? {} : { templatesDir: input.templatesDir });
  builder.update(PROJECT_FILE, renderProjectFile(updatedProject));
  for (const file of await input.manifests(builder.pendingFiles())) builder.update(file.path, file.contents);
  return { plan: builder.build(), context: base, userFiles };
}

function rt(ctx: ApiContext): { group: string; version: string; kind: string } {
  return { group: ctx.fullGroup, version: ctx.version, kind: ctx.kind };
}

/** Which spec and status fields the spoke and the hub share, read from their types files. */
function converterContext(builder: PlanBuilder, kind: string, hub: string, spoke: string): Record<string, unknown> {
  const fields = (version: string, suffix: string) => {
    const text = builder.read(apiTypesPath({ version, kind }))?.toString('utf8');
    return text === undefined ? undefined : interfaceFields(text, `${kind}${suffix}`);
  };
  const compare = (suffix: string) => {
    const inSpoke = fields(spoke, suffix);
    const inHub = fields(hub, suffix);
    if (!inSpoke || !inHub) return { known: false, shared: [], onlyInSpoke: '', onlyInHub: '' };
    return {
      known: true,
      shared: inSpoke.filter((f) => inHub.includes(f)),
      onlyInSpoke: inSpoke.filter((f) => !inHub.includes(f)).join(', '),
      onlyInHub: inHub.filter((f) => !inSpoke.includes(f)).join(', '),
    };
  };
  const spec = compare('Spec');
  const status = compare('Status');
  return {
    spoke, hubVersion: hub, spec, status,
    // The round-trip test sets the scaffolded example field when both versions still have it.
    sharedSize: spec.shared.includes('size'),
  };
}

/** The kind's registration import and call in src/main.ts (idempotent: a second webhook type adds nothing). */
function wireIntoMain(builder: PlanBuilder, kind: string): void {
  const { path } = MARKERS.webhooks;
  const main = builder.read(path)?.toString('utf8');
  if (main === undefined) {
    throw new OperatorTsError('EMARKER', `${path} does not exist, so create webhook cannot register the webhooks in it.`, {
      hint: `restore ${path} (for example from version control or a fresh operator-ts init in another directory)`,
    });
  }
  if (!main.includes(MARKERS.webhooks.text)) {
    throw new MarkerNotFoundError(path, MARKERS.webhooks.text,
      `add the line '${MARKERS.webhooks.text}' inside main() of ${path}, after the controllers (projects created before create webhook existed lack it), then run the command again`);
  }
  const module = `./${webhookRegistrationPath(kind).slice('src/'.length).replace(/\.ts$/, '.js')}`;
  let text = insertAtMarker(main, path, MARKERS.webhooks.text, [`setup${kind}Webhooks(manager);`]);
  text = insertAtMarker(text, path, MARKERS.imports.text, [`import { setup${kind}Webhooks } from '${module}';`]);
  if (text !== main) builder.update(path, text);
}
