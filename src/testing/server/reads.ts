import { decodeContinueToken, encodeContinueToken, readPage } from './list-page.js';
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

/** The selectors of a list or watch request, parsed once. */
export interface Filter {
  label: LabelSelector;
  field: FieldSelector;
  namespace?: string;
  /** A label or field selector was given (not everything in scope matches). */
  selective: boolean;
}

export function buildFilter(scope: Scope, labelSelector: string | undefined, fieldSelector: string | undefined): Filter {
  const supported = ['metadata.name', ...(scope.resource.namespaced ? ['metadata.namespace'] : []), ...(scope.resource.fieldSelectors ?? [])];
  return {
    label: parseLabelSelector(labelSelector),
    field: parseFieldSelector(fieldSelector, supported, scope.resource.view?.storedField),
    namespace: scope.namespace,
    selective: (labelSelector ?? '').trim() !== '' || (fieldSelector ?? '').trim() !== '',
  };
}

export function matchesFilter(filter: Filter, object: Obj): boolean {
  if (filter.namespace !== undefined && object.metadata?.namespace !== filter.namespace) return false;
  return filter.label.matches(object.metadata?.labels) && filter.field.matches(object);
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
    const token = query.continue ? decodeContinueToken(query.continue) : undefined;
    const requested = parseResourceVersion(query.resourceVersion);
    const match = query.resourceVersionMatch ?? '';
    if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
      throw errors.badRequest(`resourceVersionMatch ${JSON.stringify(match)} is not supported: use Exact or NotOlderThan`);
    }
    if (match !== '' && requested === undefined) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (token && requested !== undefined && requested !== 0) throw errors.badRequest('specifying resourceVersion is not allowed when using continue');

    const current = this.state.store.currentRevision();
    let rv = current;
    let expiredMessage = '';
    if (token) {
      rv = token.rv;
      expiredMessage = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
    } else if (match === 'Exact' && requested !== undefined) {
      if (requested > current) throw errors.expired(`Too large resource version: ${requested}, current: ${current}`);
      rv = requested;
      expiredMessage = `Too old resource version: ${rv} (${this.state.store.log.oldestAvailable()})`;
    }
    const page = readPage(this.state.store, {
      groupResource: groupResourceOf(scope.resource),
      namespace: scope.namespace,
      rv,
      after: token?.after ?? '',
      // resourceVersion=0 is served whole, limit ignored, as a real server's watch cache serves it.
      limit: query.limit && query.limit > 0 && !(requested === 0 && !token) ? query.limit : undefined,
      matches: (o) => matchesFilter(filter, o),
      // Like a real server: a filtered list cannot know how many of the remaining objects match.
      countRemaining: !filter.selective,
      expiredMessage,
    });
    const metadata: Obj = { resourceVersion: String(rv) };
    if (page.continueAfter !== undefined) {
      metadata.continue = encodeContinueToken({ rv, after: page.continueAfter });
      if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
    }
    return {
      apiVersion: apiVersionOf(scope.resource.group, scope.version),
      kind: scope.resource.listKind,
      metadata,
      items: page.items.map((o) => listItem(scope.resource.custom, this.state.present(scope.resource, scope.version, o))),
    };
  }
}

/**
 * Like the real server, items of a built-in kind's list carry no apiVersion/kind (typed items leave TypeMeta
 * empty); custom resources' items keep theirs.
 */
function listItem(custom: boolean, object: Obj): Obj {
  if (custom) return object;
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}
