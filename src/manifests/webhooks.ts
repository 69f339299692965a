import { webhookPath } from '../project/layout.js';
import { fullGroupName } from '../project/names.js';
import { PROJECT_FILE, type ProjectResource } from '../project/project-file.js';
import { CONVERT_PATH, mutatePath, validatePath } from '../runtime/webhook/paths.js';
import type { AdmissionOperation } from '../runtime/webhook/types.js';
import { GENERATED_BY_ANNOTATION, type CrdConversion } from './crd.js';
import { ManifestError } from './errors.js';
import { toYamlDocument } from './yaml-output.js';

/** Where the admission webhook configurations go (Kubebuilder's path; config/webhook/kustomization.yaml lists it). */
export const WEBHOOK_MANIFESTS_PATH = 'config/webhook/manifests.yaml';

/** The Service in front of the manager's webhook server (config/webhook/service.yaml), before kustomize's namePrefix. */
export const WEBHOOK_SERVICE = { name: 'webhook-service', namespace: 'system' } as const;

export interface WebhookClientConfig {
  service: { name: string; namespace: string; path: string };
}

export interface AdmissionWebhook {
  name: string;
  admissionReviewVersions: ['v1'];
  clientConfig: WebhookClientConfig;
  failurePolicy: 'Fail';
  sideEffects: 'None';
  rules: Array<{ apiGroups: string[]; apiVersions: string[]; operations: AdmissionOperation[]; resources: string[] }>;
}

export interface WebhookManifests {
  /** config/webhook/manifests.yaml, or undefined when PROJECT records no webhooks at all. */
  admission?: string;
  /** spec.conversion per CRD name (`<plural>.<group>`), for kinds whose hub has `conversion: true`. */
  conversions: Map<string, CrdConversion>;
}

/** The operations a validating webhook's rule may list (`*` is left out: it would send CONNECT too). */
export const ADMISSION_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const satisfies readonly AdmissionOperation[];

/**
 * Kubebuilder's default markers admit creates and updates. A mutating webhook always gets these; a validating one
 * gets what its validator file exports (validatorOperationsName), or these when the file has no such export.
 */
export const DEFAULT_OPERATIONS: readonly AdmissionOperation[] = ['CREATE', 'UPDATE'];

/** The export of src/webhooks/<version>/<kind>.validator.ts that lists its webhook's operations. */
export function validatorOperationsName(kind: string): string {
  return `${kind[0]!.toLowerCase()}${kind.slice(1)}ValidatorOperations`;
}

/** The validator file of a resource, the key of BuildWebhookOptions.validatingOperations. */
export function validatorPath(r: Pick<ProjectResource, 'version' | 'kind'>): string {
  return webhookPath(r.version, r.kind, 'validator');
}

export interface BuildWebhookOptions {
  /** Operations per validator file (validatorPath); a file not in the map gets DEFAULT_OPERATIONS. */
  validatingOperations?: ReadonlyMap<string, readonly AdmissionOperation[]>;
}

function clientConfig(path: string): WebhookClientConfig {
  return { service: { ...WEBHOOK_SERVICE, path } };
}

function where(r: ProjectResource): { file: string; line: number; subject: string } {
  return { file: PROJECT_FILE, line: 1, subject: `${r.kind} ${fullGroupName(r.group, r.domain)}/${r.version}` };
}

/**
 * A webhook's name: `m<kind>-<version>.<group>` (`v` for validating), e.g. mmemcached-v1alpha1.cache.example.com.
 * Kubebuilder writes `<...>.kb.io`, which makes two groups with the same kind and version collide inside one
 * configuration; the API group is the project's own, unique per kind and version, and a fully qualified name.
 */
export function webhookName(prefix: 'm' | 'v', r: ProjectResource): string {
  const label = `${prefix}${r.kind.toLowerCase()}-${r.version}`;
  if (label.length > 63) {
    throw new ManifestError(`the webhook name label '${label}' is ${label.length} characters; Kubernetes allows 63`, {
      location: where(r), hint: `Use a kind of at most ${63 - 2 - r.version.length} characters.`,
    });
  }
  return `${label}.${fullGroupName(r.group, r.domain)}`;
}

function admissionWebhook(prefix: 'm' | 'v', r: ProjectResource, operations: readonly AdmissionOperation[]): AdmissionWebhook {
  const group = fullGroupName(r.group, r.domain);
  const gvk = { group, version: r.version, kind: r.kind };
  return {
    name: webhookName(prefix, r),
    admissionReviewVersions: ['v1'],
    clientConfig: clientConfig(prefix === 'm' ? mutatePath(gvk) : validatePath(gvk)),
    failurePolicy: 'Fail',
    sideEffects: 'None',
    rules: [{ apiGroups: [group], apiVersions: [r.version], operations: [...operations], resources: [r.plural] }],
  };
}

/** Checks the webhooks PROJECT records against its APIs: each names a resource we serve, spokes are its kind's versions. */
export function checkProjectWebhooks(resources: ProjectResource[]): void {
  const hubs = new Map<string, ProjectResource>();
  for (const r of resources) {
    const w = r.webhooks;
    if (!w) continue;
    if (!r.api) {
      throw new ManifestError('PROJECT records webhooks for a resource without an API of this project', {
        location: where(r),
        hint: `Run operator-ts create api --group ${r.group} --version ${r.version} --kind ${r.kind} first, or remove the webhooks entry from PROJECT.`,
      });
    }
    const versions = resources.filter((o) => o.api && o.group === r.group && o.domain === r.domain && o.kind === r.kind).map((o) => o.version);
    if (!w.conversion) {
      if (w.spoke && w.spoke.length > 0) {
        throw new ManifestError(`PROJECT lists spoke versions [${w.spoke.join(', ')}] but not conversion: true`, {
          location: where(r), hint: 'Set conversion: true on the hub version, or remove spoke.',
        });
      }
      continue;
    }
    const key = `${fullGroupName(r.group, r.domain)}/${r.kind}`;
    const other = hubs.get(key);
    if (other) {
      throw new ManifestError(`${r.kind} has two conversion hubs in PROJECT, ${other.version} and ${r.version}`, {
        location: where(r), hint: 'Keep conversion: true on one version of the kind (the hub) and list the others under its spoke.',
      });
    }
    hubs.set(key, r);
    if (versions.length < 2) {
      throw new ManifestError(`conversion is on for ${r.kind}, which has only the version ${r.version}`, {
        location: where(r), hint: `Add another version first (operator-ts create api --group ${r.group} --version <v> --kind ${r.kind}), or remove conversion.`,
      });
    }
    for (const spoke of w.spoke ?? []) {
      if (spoke === r.version) {
        throw new ManifestError(`${r.kind} ${r.version} is the conversion hub and lists itself as a spoke`, {
          location: where(r), hint: `Remove ${spoke} from spoke; spokes are the other versions (${versions.filter((v) => v !== r.version).join(', ')}).`,
        });
      }
      if (!versions.includes(spoke)) {
        throw new ManifestError(`spoke '${spoke}' is not a version of ${r.kind} (PROJECT has ${versions.join(', ')})`, {
          location: where(r), hint: `Create it with operator-ts create api --version ${spoke} --kind ${r.kind}, or remove it from spoke.`,
        });
      }
    }
  }
}

/**
 * The webhook manifests PROJECT and the validators' operations imply, after checking PROJECT (ManifestError on a
 * webhook PROJECT cannot have).
 */
export function buildWebhookManifests(resources: ProjectResource[], opts: BuildWebhookOptions = {}): WebhookManifests {
  checkProjectWebhooks(resources);
  const mutating: AdmissionWebhook[] = [];
  const validating: AdmissionWebhook[] = [];
  const conversions = new Map<string, CrdConversion>();
  for (const r of resources) {
    if (r.webhooks?.defaulting) mutating.push(admissionWebhook('m', r, DEFAULT_OPERATIONS));
    if (r.webhooks?.validation) validating.push(admissionWebhook('v', r, opts.validatingOperations?.get(validatorPath(r)) ?? DEFAULT_OPERATIONS));
    if (r.webhooks?.conversion) {
      conversions.set(`${r.plural}.${fullGroupName(r.group, r.domain)}`, {
        strategy: 'Webhook',
        webhook: { clientConfig: clientConfig(CONVERT_PATH), conversionReviewVersions: ['v1'] },
      });
    }
  }
  const byName = (a: AdmissionWebhook, b: AdmissionWebhook): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const docs: string[] = [];
  if (mutating.length > 0) docs.push(configuration('MutatingWebhookConfiguration', 'mutating-webhook-configuration', mutating.sort(byName)));
  if (validating.length > 0) docs.push(configuration('ValidatingWebhookConfiguration', 'validating-webhook-configuration', validating.sort(byName)));
  // config/webhook/kustomization.yaml lists this file once create webhook ran, so a project with conversion
  // webhooks only still gets one (kustomize accepts a file without objects).
  if (docs.length === 0 && conversions.size > 0) docs.push(NO_ADMISSION_WEBHOOKS);
  return { ...(docs.length > 0 ? { admission: docs.join('') } : {}), conversions };
}

const NO_ADMISSION_WEBHOOKS = '---\n# No defaulting or validating webhooks: PROJECT records conversion webhooks only (see the CRDs).\n';

function configuration(kind: string, name: string, webhooks: AdmissionWebhook[]): string {
  return toYamlDocument({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name, annotations: { ...GENERATED_BY_ANNOTATION } }, webhooks });
}
