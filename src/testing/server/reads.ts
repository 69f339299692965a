import { objectKey } from './object-store.js';
import { apiVersionOf, groupResourceOf, type Obj } from './registry.js';
import { parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from './selectors.js';
import { scopeTarget, type ApiState, type Scope } from './state.js';
import { errors } from './status.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

interface ContinueToken {
  rv: number;
  after: string;
}

/** The selectors of a list or watch request, parsed once. */
export interface Filter {
  label: LabelSelector;
  field: FieldSelector;
  namespace?: string;
}

export function buildFilter(scope: Scope, labelSelector: string | undefined, fieldSelector: string | undefined): Filter {
  const supported = ['metadata.name', ...(scope.resource.namespaced ? ['metadata.namespace'] : []), ...(scope.resource.fieldSelectors ?? [])];
  return { label: parseLabelSelector(labelSelector), field: parseFieldSelector(fieldSelector, supported), namespace: scope.namespace };
}

export function matchesFilter(filter: Filter, object: Obj): boolean {
  if (filter.namespace !== undefined && object.metadata?.namespace !== filter.namespace) return false;
  return filter.label.matches(object.metadata?.labels) && filter.field.matches(object);
}

function encodeToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof token.rv === 'number' && typeof token.after === 'string') return token;
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest(`the continue token ${JSON.stringify(text)} is not valid: pass the metadata.continue value of the previous page unchanged`);
}

/** Parses a resourceVersion query value; bad values are a 400 like the real server. */
export function parseResourceVersion(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw errors.badRequest(`invalid resource version ${JSON.stringify(value)}: resource versions are opaque strings this server issues as decimal integers`);
  return Number(value);
}

/** GET of one object and of collections (with selectors, pagination and consistent snapshots). */
export class Reader {
  constructor(private readonly state: ApiState) {}

  get(scope: Scope, name: string): Obj {
    const found = this.state.store.get(groupResourceOf(scope.resource), scope.namespace, name);
    if (!found) throw errors.notFound(scopeTarget(scope, name));
    return this.state.present(scope.resource, scope.version, found);
  }

  list(scope: Scope, query: ListQuery): Obj {
    const filter = buildFilter(scope, query.labelSelector, query.fieldSelector);
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) {
      throw errors.badRequest(`limit must be a non-negative integer, got ${query.limit}`);
    }
    const token = query.continue ? decodeToken(query.continue) : undefined;
    const requested = parseResourceVersion(query.resourceVersion);
    const match = query.resourceVersionMatch ?? '';
    if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
      throw errors.badRequest(`resourceVersionMatch ${JSON.stringify(match)} is not supported: use Exact or NotOlderThan`);
    }
    if (match !== '' && requested === undefined) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (token && requested !== undefined && requested !== 0) throw errors.badRequest('specifying resourceVersion is not allowed when using continue');

    let rv = this.state.store.currentRevision();
    let objects: Obj[];
    if (token) {
      rv = token.rv;
      objects = this.snapshot(scope, rv, true);
    } else if (match === 'Exact' && requested !== undefined) {
      if (requested > rv) throw errors.expired(`Too large resource version: ${requested}, current: ${rv}`);
      rv = requested;
      objects = this.snapshot(scope, rv, false);
    } else {
      objects = this.state.store.list(groupResourceOf(scope.resource), scope.namespace);
    }

    const matching = objects.filter((o) => matchesFilter(filter, o));
    let start = 0;
    if (token) {
      while (start < matching.length && keyOf(matching[start]!) <= token.after) start++;
    }
    const limit = query.limit && query.limit > 0 ? query.limit : undefined;
    const page = limit === undefined ? matching.slice(start) : matching.slice(start, start + limit);
    const remaining = matching.length - start - page.length;
    const metadata: Obj = { resourceVersion: String(rv) };
    if (remaining > 0 && page.length > 0) {
      metadata.continue = encodeToken({ rv, after: keyOf(page[page.length - 1]!) });
      metadata.remainingItemCount = remaining;
    }
    return {
      apiVersion: apiVersionOf(scope.resource.group, scope.version),
      kind: scope.resource.listKind,
      metadata,
      items: page.map((o) => this.state.present(scope.resource, scope.version, o)),
    };
  }

  /** The objects of a resource as they were at `rv`, rebuilt from the event history. */
  private snapshot(scope: Scope, rv: number, forContinue: boolean): Obj[] {
    const groupResource = groupResourceOf(scope.resource);
    const later = this.state.store.log.since(groupResource, rv);
    if (!later) {
      throw errors.expired(forContinue
        ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
        : `Too old resource version: ${rv} (${this.state.store.log.oldestAvailable()})`);
    }
    const byKey = new Map<string, Obj>();
    for (const o of this.state.store.list(groupResource, scope.namespace)) byKey.set(keyOf(o), o);
    for (let i = later.length - 1; i >= 0; i--) {
      const event = later[i]!;
      const key = keyOf(event.object);
      if (scope.namespace !== undefined && event.object.metadata.namespace !== scope.namespace) continue;
      if (event.type === 'ADDED') byKey.delete(key);
      else if (event.previous) byKey.set(key, event.previous);
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }
}

function keyOf(object: Obj): string {
  return objectKey(object.metadata?.namespace, object.metadata?.name);
}
