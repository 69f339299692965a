/**
 * What the built-in kinds declare with `patchMergeKey`/`patchStrategy` and `listType=map|set` in their Go
 * types, reduced to the lists controllers touch. Keyed by field name: the same names mean the same thing
 * across the built-in kinds (containers by name, conditions by type, ...). A list not named here is atomic:
 * a strategic merge patch or an apply replaces it as a whole.
 */

export type ListStrategy = { kind: 'map'; keys: readonly string[] } | { kind: 'set' };

const MAP_LISTS: Record<string, readonly (readonly string[])[]> = {
  containers: [['name']],
  initContainers: [['name']],
  ephemeralContainers: [['name']],
  env: [['name']],
  volumes: [['name']],
  volumeMounts: [['mountPath']],
  volumeDevices: [['devicePath']],
  imagePullSecrets: [['name']],
  hostAliases: [['ip']],
  conditions: [['type']],
  ownerReferences: [['uid']],
  topologySpreadConstraints: [['topologyKey', 'whenUnsatisfiable']],
  // Container ports merge by containerPort, Service ports by port: pick whichever the items carry.
  ports: [['containerPort'], ['port']],
  resourceClaims: [['name']],
};

const SET_LISTS = new Set(['finalizers']);

/**
 * How the list under `fieldName` merges, given the items that will be merged (to tell container ports
 * from service ports). Undefined means atomic.
 */
export function listStrategyFor(fieldName: string | undefined, items: readonly unknown[]): ListStrategy | undefined {
  if (fieldName === undefined) return undefined;
  if (SET_LISTS.has(fieldName)) return { kind: 'set' };
  const candidates = MAP_LISTS[fieldName];
  if (!candidates) return undefined;
  const objects = items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
  const fits = candidates.find((keys) => objects.length > 0 && objects.every((item) => item[keys[0]!] !== undefined));
  return { kind: 'map', keys: fits ?? candidates[0]! };
}

/** Reads the merge key values of a list item, or undefined when it lacks the first key. */
export function mergeKeyOf(item: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  if (record[keys[0]!] === undefined) return undefined;
  const key: Record<string, unknown> = {};
  for (const name of [...keys].sort()) if (record[name] !== undefined) key[name] = record[name];
  return key;
}

/**
 * API groups whose kinds the real server accepts strategic merge patches for. Custom resources and
 * aggregated APIs answer 415; the server should call this per resource.
 */
const STRATEGIC_GROUPS = new Set(['', 'apps', 'batch', 'coordination.k8s.io', 'events.k8s.io', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'autoscaling', 'discovery.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io', 'certificates.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io']);

/**
 * Whether a strategic merge patch is accepted for a resource. Built-in groups (core, apps, coordination, ...)
 * yes; a CRD-served resource never, even in a built-in-looking group — pass `isCustomResource`.
 */
export function supportsStrategicMerge(resource: { group: string; isCustomResource?: boolean }): boolean {
  if (resource.isCustomResource) return false;
  return STRATEGIC_GROUPS.has(resource.group);
}

/**
 * Declared list semantics, looked up by the field names from the object root (list items add no name):
 * a strategy, 'atomic' (replace whole), or undefined to fall back to the built-in field-name table.
 * For custom resources build one from the CRD schema with listTypesFromSchema.
 */
export type ListTypeLookup = (fieldNames: readonly string[]) => ListStrategy | 'atomic' | undefined;

export function resolveListStrategy(lookup: ListTypeLookup | undefined, fieldNames: readonly string[], items: readonly unknown[]): ListStrategy | undefined {
  const declared = lookup?.(fieldNames);
  if (declared === 'atomic') return undefined;
  if (declared !== undefined) return declared;
  return listStrategyFor(fieldNames[fieldNames.length - 1], items);
}

type SchemaLike = { type?: unknown; items?: unknown; properties?: Record<string, unknown>; additionalProperties?: unknown; [key: string]: unknown };

/**
 * List semantics from a CRD's openAPIV3Schema: `x-kubernetes-list-type: map` (by list-map-keys) and `set`
 * merge, any other list is atomic, as server-side apply treats custom resources. Paths the schema does not
 * describe (preserved unknown fields) fall back to the built-in table.
 */
export function listTypesFromSchema(openAPIV3Schema: object): ListTypeLookup {
  const isSchema = (value: unknown): value is SchemaLike => typeof value === 'object' && value !== null && !Array.isArray(value);
  return (fieldNames) => {
    let node: unknown = openAPIV3Schema;
    for (const name of fieldNames) {
      if (!isSchema(node)) return undefined;
      if (node.type === 'array') node = node.items;
      if (!isSchema(node)) return undefined;
      node = node.properties?.[name] ?? (isSchema(node.additionalProperties) ? node.additionalProperties : undefined);
    }
    if (!isSchema(node) || node.type !== 'array') return undefined;
    const listType = node['x-kubernetes-list-type'];
    const keys = node['x-kubernetes-list-map-keys'];
    if (listType === 'map' && Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string')) return { kind: 'map', keys: keys as string[] };
    if (listType === 'set') return { kind: 'set' };
    return 'atomic';
  };
}
