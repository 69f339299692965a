import { canonicalJson } from './list-types.js';
import { isObject, propertySchema, type SchemaNode } from './schema-node.js';

/**
 * CRD validation ratcheting, on by default since Kubernetes 1.30: on update, a schema error raised by a
 * value that is unchanged from the old object is not reported, so tightening a schema does not lock
 * existing objects. New and old values are correlated from the root: object properties by name, items
 * of `x-kubernetes-list-type: map` lists by their keys. Items of other lists (atomic, set) do not
 * correlate; errors inside them ratchet only when the nearest correlated ancestor is unchanged.
 */
export interface Correlation {
  /** The node's new and old values, or undefined when the node has no old counterpart. */
  current?: { value: unknown; old: unknown };
  /** The nearest ancestor (or the node itself) that has an old counterpart. */
  nearest: { value: unknown; old: unknown };
}

export function rootCorrelation(obj: unknown, oldObj: unknown): Correlation {
  const pair = { value: obj, old: oldObj };
  return { current: pair, nearest: pair };
}

/** The correlation of a child node: `segment` is a property name or a list index below `schema`. */
export function childCorrelation(parent: Correlation, schema: SchemaNode | undefined, segment: string | number, atRoot = false): Correlation {
  const uncorrelated: Correlation = { nearest: parent.nearest };
  const current = parent.current;
  if (!current) return uncorrelated;
  let pair: { value: unknown; old: unknown } | undefined;
  if (typeof segment === 'string') {
    // apiVersion and kind are rewritten on every read, so their changes cannot be seen; never ratchet them.
    if (atRoot && (segment === 'apiVersion' || segment === 'kind')) return uncorrelated;
    if (isObject(current.value) && isObject(current.old) && Object.hasOwn(current.old, segment)) {
      pair = { value: current.value[segment], old: current.old[segment] };
    }
  } else if (Array.isArray(current.value) && Array.isArray(current.old) && schema?.['x-kubernetes-list-type'] === 'map') {
    const item = current.value[segment];
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (entry: unknown): string | undefined => (isObject(entry) ? canonicalJson(keys.map((key) => entry[key] ?? null)) : undefined);
    const wanted = keyOf(item);
    const old = wanted === undefined ? undefined : current.old.find((entry) => keyOf(entry) === wanted);
    if (old !== undefined) pair = { value: item, old };
  }
  return pair ? { current: pair, nearest: pair } : uncorrelated;
}

/** Whether errors raised at this node are ratcheted: its correlated node (or nearest such ancestor) is unchanged. */
export function isUnchanged(correlation: Correlation): boolean {
  const pair = correlation.current ?? correlation.nearest;
  return canonicalJson(pair.value) === canonicalJson(pair.old);
}

/** The schema of a child node, following properties, additionalProperties and list items. */
export function childSchema(schema: SchemaNode | undefined, segment: string | number): SchemaNode | undefined {
  if (!schema) return undefined;
  return typeof segment === 'number' ? schema.items : propertySchema(schema, segment);
}

/** Whether an error raised at the node reached by `segments` from the root is ratcheted on this update. */
export function isRatchetedAt(root: SchemaNode, obj: unknown, oldObj: unknown, segments: Array<string | number>): boolean {
  let correlation = rootCorrelation(obj, oldObj);
  let schema: SchemaNode | undefined = root;
  segments.forEach((segment, depth) => {
    correlation = childCorrelation(correlation, schema, segment, depth === 0);
    schema = childSchema(schema, segment);
  });
  return isUnchanged(correlation);
}
