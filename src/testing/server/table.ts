import type { Obj, ServedResource } from './registry.js';

/** True when the Accept header asks for a meta.k8s.io Table (what `kubectl get` asks for). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part) && /;\s*v=v1(\s*;|\s*$)/.test(part));
}

function age(creationTimestamp: unknown): string {
  const created = Date.parse(String(creationTimestamp));
  if (!Number.isFinite(created)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((Date.now() - created) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** Evaluates the simple JSONPath subset printer columns use: `.spec.replicas`, `.status.conditions[0].type`. */
function jsonPathValue(object: Obj, path: string): unknown {
  const parts = path.replace(/^\{?\.?/, '').replace(/\}$/, '').split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  let current: unknown = object;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Obj)[/^\d+$/.test(part) && Array.isArray(current) ? Number(part) : part];
  }
  return current;
}

/**
 * A meta.k8s.io/v1 Table: NAME and AGE plus a CRD's additionalPrinterColumns, with each row carrying
 * its object's metadata, which is what kubectl prints and uses for `-o name`.
 */
export function toTable(resource: ServedResource, version: string, items: Obj[], listMeta: Obj): Obj {
  const extra = resource.printerColumns?.get(version) ?? [];
  const columnDefinitions = [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    ...extra.filter((c) => c.jsonPath !== '.metadata.creationTimestamp').map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
    { name: 'Age', type: 'date', format: '', description: 'CreationTimestamp of the object.', priority: 0 },
  ];
  const rows = items.map((object) => ({
    cells: [
      object.metadata?.name,
      ...extra.filter((c) => c.jsonPath !== '.metadata.creationTimestamp').map((c) => {
        const value = jsonPathValue(object, c.jsonPath);
        return value === undefined ? '<none>' : value;
      }),
      age(object.metadata?.creationTimestamp),
    ],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
  }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions, rows };
}
