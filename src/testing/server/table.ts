import { evaluateJsonPath } from './jsonpath.js';
import type { Obj, ServedResource } from './registry.js';

function age(creationTimestamp: unknown): string {
  const created = Date.parse(String(creationTimestamp));
  if (!Number.isFinite(created)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((Date.now() - created) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** A printer column's cell: its JSONPath matches joined like the real server, dates shown as ages. */
function cellValue(object: Obj, column: { jsonPath: string; type: string }): unknown {
  const matches = evaluateJsonPath(object, column.jsonPath);
  if (matches.length === 0) return '<none>';
  if (column.type === 'date') return age(matches[0]);
  if (matches.length === 1 && typeof matches[0] !== 'object') return matches[0];
  return matches.map((m) => (typeof m === 'object' ? JSON.stringify(m) : String(m))).join(',');
}

/**
 * A meta.k8s.io/v1 Table: NAME and AGE plus a CRD's additionalPrinterColumns, with each row carrying
 * its object's metadata, which is what kubectl prints and uses for `-o name`.
 */
export function toTable(resource: ServedResource, version: string, items: Obj[], listMeta: Obj): Obj {
  const extra = resource.printerColumns?.get(version) ?? [];
  // Like the real server: a CRD's own printer columns replace the default Age column.
  const columns = extra.length > 0 ? extra : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'CreationTimestamp of the object.', priority: 0 }];
  const columnDefinitions = [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    ...columns.map((c) => ({ name: c.name, type: c.type, format: ('format' in c ? c.format : undefined) ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
  ];
  const rows = items.map((object) => ({
    cells: [object.metadata?.name, ...columns.map((c) => cellValue(object, c))],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
  }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions, rows };
}
