import { fullGroupName, pluralize } from './names.js';

/**
 * Where a project keeps each file of an API, and the default names derived from a kind. The CLI, the scaffold
 * engine and the manifests generator all ask here, so a path or a default never differs between them.
 */
export interface ApiIdentity {
  group: string;
  domain: string;
  version: string;
  kind: string;
  plural: string;
}

export const CRD_BASES_DIR = 'config/crd/bases';
/** The manager's ClusterRole, generated from the controllers' rbac declarations. */
export const ROLE_PATH = 'config/rbac/role.yaml';

/** The default plural of a kind; irregular plurals are set with --plural (and @plural on the type). */
export function defaultPlural(kind: string): string {
  return pluralize(kind.toLowerCase());
}

/** The API types file of a version of a kind. */
export function apiTypesPath(api: Pick<ApiIdentity, 'version' | 'kind'>): string {
  return `src/api/${api.version}/${api.kind.toLowerCase()}.types.ts`;
}

/** One controller per kind: every version of the kind shares it. */
export function controllerPath(kind: string): string {
  return `src/controllers/${kind.toLowerCase()}.controller.ts`;
}

export function controllerTestPath(kind: string): string {
  return `test/${kind.toLowerCase()}.controller.test.ts`;
}

/** The CRD file name under config/crd/bases, `<group>.<domain>_<plural>.yaml`, given the full group. */
export function crdFileName(fullGroup: string, plural: string): string {
  return `${fullGroup}_${plural}.yaml`;
}

export function crdFilePath(api: Pick<ApiIdentity, 'group' | 'domain' | 'plural'>): string {
  return `${CRD_BASES_DIR}/${crdFileName(fullGroupName(api.group, api.domain), api.plural)}`;
}

export function sampleFileName(api: Pick<ApiIdentity, 'group' | 'version' | 'kind'>): string {
  return `${api.group}_${api.version}_${api.kind.toLowerCase()}.yaml`;
}

/** The admin, editor and viewer ClusterRoles of a kind (shared by its versions). */
export function perKindRoleFiles(kind: string): string[] {
  return ['admin', 'editor', 'viewer'].map((role) => `${kind.toLowerCase()}_${role}_role.yaml`);
}

/** The webhook code a version of a kind can have; a spoke's converter lives with the spoke. */
export type WebhookFileType = 'defaulter' | 'validator' | 'conversion';

/** One file per version, kind and webhook type, so adding a type later never touches the code of another. */
export function webhookPath(version: string, kind: string, type: WebhookFileType): string {
  return `src/webhooks/${version}/${kind.toLowerCase()}.${type}.ts`;
}

export function webhookTestPath(version: string, kind: string, type: WebhookFileType): string {
  return `test/webhooks/${version}/${kind.toLowerCase()}.${type}.test.ts`;
}

/** The generated file that registers every webhook of a kind with the manager (rewritten from PROJECT). */
export function webhookRegistrationPath(kind: string): string {
  return `src/webhooks/${kind.toLowerCase()}.webhook.ts`;
}
