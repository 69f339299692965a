import { deepEqual, isPlainObject, type JsonObject } from './json-values.js';
import { mergeKeyOf, resolveListStrategy, type ListTypeLookup } from './merge-keys.js';

/**
 * Sets of field paths as server-side apply tracks them, in the FieldsV1 vocabulary: `f:<name>` for an
 * object field, `k:<json>` for an item of a keyed list (the item itself is owned too), `v:<json>` for a
 * value of a set list. A path is a list of those segments; a set is keyed by the joined path.
 */
export type FieldPath = readonly string[];

export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.add(path);
    return set;
  }

  add(path: FieldPath): void {
    this.paths.set(joinPath(path), path);
  }
  delete(path: FieldPath): void {
    this.paths.delete(joinPath(path));
  }
  has(path: FieldPath): boolean {
    return this.paths.has(joinPath(path));
  }
  get size(): number {
    return this.paths.size;
  }
  [Symbol.iterator](): IterableIterator<FieldPath> {
    return this.paths.values();
  }
  /** True when a path of this set is `prefix` or lies below it. */
  hasUnder(prefix: FieldPath): boolean {
    for (const path of this.paths.values()) if (prefix.every((segment, i) => path[i] === segment)) return true;
    return false;
  }
  minus(other: FieldSet): FieldSet {
    return FieldSet.of([...this].filter((path) => !other.has(path)));
  }

  /** FieldsV1 JSON: nested objects keyed by segment; `"."` marks a node owned itself when it also has children. */
  toFieldsV1(): JsonObject {
    const root: JsonObject = {};
    const owned = new Set<JsonObject>();
    for (const path of this.paths.values()) {
      let node = root;
      for (const segment of path) node = (node[segment] ??= {}) as JsonObject;
      owned.add(node);
    }
    const finish = (node: JsonObject): void => {
      for (const child of Object.values(node)) finish(child as JsonObject);
      if (owned.has(node) && Object.keys(node).length > 0 && node !== root) {
        // The server writes "." before the children.
        const children = Object.entries(node);
        for (const [key] of children) delete node[key];
        node['.'] = {};
        for (const [key, child] of children) node[key] = child;
      }
    };
    finish(root);
    return root;
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, path: string[]): void => {
      if (!isPlainObject(node)) return;
      const children = Object.keys(node).filter((key) => key !== '.');
      if (path.length > 0 && (children.length === 0 || '.' in node)) set.add(path);
      for (const key of children) walk(node[key], [...path, key]);
    };
    walk(fields, []);
    return set;
  }
}

function joinPath(path: FieldPath): string {
  return path.join('\u0000');
}

/** Fields of metadata that an applier or updater can own; the rest belong to the server. */
export const OWNABLE_METADATA: ReadonlySet<string> = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);

/**
 * The paths an object sets: its leaves (scalars, atomic lists, empty objects), every keyed list item and
 * set value. apiVersion, kind and server-owned metadata are left out; nulls mean "not set". When `nodes`
 * is given, it receives the paths of the containers in between (non-empty objects, keyed and set lists),
 * which an update owns when it makes them appear.
 */
export function fieldsOf(object: JsonObject, listTypes?: ListTypeLookup, nodes?: FieldSet): FieldSet {
  const set = new FieldSet();
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || value === null || value === undefined) continue;
    if (key === 'metadata' && isPlainObject(value)) {
      for (const [metaKey, metaValue] of Object.entries(value)) {
        if (OWNABLE_METADATA.has(metaKey) && metaValue !== null) collect(metaValue, ['metadata', metaKey], ['f:metadata', `f:${metaKey}`], set, listTypes, nodes);
      }
      continue;
    }
    collect(value, [key], [`f:${key}`], set, listTypes, nodes);
  }
  return set;
}

function collect(value: unknown, names: readonly string[], path: string[], set: FieldSet, listTypes: ListTypeLookup | undefined, nodes?: FieldSet): void {
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, child]) => child !== null && child !== undefined);
    if (entries.length === 0) set.add(path);
    else nodes?.add(path);
    for (const [key, child] of entries) collect(child, [...names, key], [...path, `f:${key}`], set, listTypes, nodes);
    return;
  }
  if (Array.isArray(value)) {
    const strategy = resolveListStrategy(listTypes, names, value);
    if (strategy?.kind === 'set' && value.every((item) => !isPlainObject(item) && !Array.isArray(item))) {
      if (value.length === 0) set.add(path);
      else nodes?.add(path);
      for (const item of value) set.add([...path, `v:${JSON.stringify(item)}`]);
      return;
    }
    if (strategy?.kind === 'map' && value.length > 0 && value.every((item) => mergeKeyOf(item, strategy.keys) !== undefined)) {
      nodes?.add(path);
      for (const item of value) {
        const itemPath = [...path, `k:${JSON.stringify(mergeKeyOf(item, strategy.keys))}`];
        set.add(itemPath);
        for (const [key, child] of Object.entries(item as JsonObject)) {
          if (child !== null && child !== undefined) collect(child, [...names, key], [...itemPath, `f:${key}`], set, listTypes, nodes);
        }
      }
      return;
    }
  }
  set.add(path);
}

/** The JSON after `k:`/`v:`; undefined for a segment that is not one (stored managedFields may hold anything). */
function parseSegmentValue(segment: string): unknown {
  if (!segment.startsWith('k:') && !segment.startsWith('v:')) return undefined;
  try {
    return JSON.parse(segment.slice(2)) as unknown;
  } catch {
    return undefined;
  }
}

/** Where a segment points inside a container: the found value, or found=false. */
function step(container: unknown, segment: string): { found: boolean; value?: unknown; index?: number } {
  if (segment.startsWith('f:')) {
    if (!isPlainObject(container)) return { found: false };
    const name = segment.slice(2);
    return Object.prototype.hasOwnProperty.call(container, name) ? { found: true, value: container[name] } : { found: false };
  }
  if (!Array.isArray(container)) return { found: false };
  const wanted = parseSegmentValue(segment);
  if (wanted === undefined) return { found: false };
  const index = segment.startsWith('k:')
    ? container.findIndex((item) => isPlainObject(item) && isPlainObject(wanted) && Object.entries(wanted).every(([k, v]) => deepEqual(item[k], v)))
    : container.findIndex((item) => deepEqual(item, wanted));
  return index >= 0 ? { found: true, value: container[index], index } : { found: false };
}

/** Reads the value a path points at. */
export function valueAt(object: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let current: { found: boolean; value?: unknown } = { found: true, value: object };
  for (const segment of path) {
    current = step(current.value, segment);
    if (!current.found) return current;
  }
  return current;
}

/** Removes what a path points at (an object field, a list item, a set value); a missing path is a no-op. */
export function removeAt(object: unknown, path: FieldPath): void {
  const parent = valueAt(object, path.slice(0, -1));
  if (!parent.found) return;
  const last = path[path.length - 1]!;
  const found = step(parent.value, last);
  if (!found.found) return;
  if (Array.isArray(parent.value)) parent.value.splice(found.index!, 1);
  else delete (parent.value as JsonObject)[last.slice(2)];
}

/** A path as the API server prints it in conflict messages: `.spec.replicas`, `.spec.containers[name="app"].image`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((segment) => {
      if (segment.startsWith('f:')) return `.${segment.slice(2)}`;
      const value = parseSegmentValue(segment);
      if (segment.startsWith('v:')) return `[${JSON.stringify(value)}]`;
      if (!isPlainObject(value)) return `[${segment}]`;
      return `[${Object.entries(value).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}

/** A path naming a keyed list item itself (its fields have their own paths). */
export function isItemPath(path: FieldPath): boolean {
  return path.length > 0 && path[path.length - 1]!.startsWith('k:');
}
