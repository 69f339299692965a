import { errors, StatusError } from './status.js';
import type { Obj, ServedResource } from './registry.js';

/**
 * How an answer is shaped, from the Accept header: the object itself, a meta.k8s.io Table (what `kubectl get`
 * asks for), or PartialObjectMetadata(List) (what metadata-only informers ask for).
 */
export type Representation =
  | { as: 'object' }
  | { as: 'Table'; apiVersion: string }
  | { as: 'PartialObjectMetadata' | 'PartialObjectMetadataList'; apiVersion: string };

const OBJECT: Representation = { as: 'object' };
const ACCEPTED = 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

function parameters(clause: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of clause.split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return params;
}

/** What one Accept clause with an `as` parameter asks for; undefined when the real server would not serve it. */
function transformOf(params: Map<string, string>): Representation | undefined {
  const as = params.get('as')!;
  const group = params.get('g');
  const version = params.get('v');
  if (group !== 'meta.k8s.io') return undefined;
  if (version !== 'v1' && version !== 'v1beta1') return undefined;
  if (as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as, apiVersion: `meta.k8s.io/${version}` };
  return undefined;
}

/**
 * Picks the representation as the real server does: the first clause it can serve wins (later clauses are not a
 * fallback for a wrong list/object target, see checkTarget); a header whose every clause asks for a
 * transformation it does not serve is answered 406 with the real server's message. Clauses without `as` are the
 * object itself (the media type is not checked: answers are always JSON).
 */
export function negotiate(accept: string | undefined): Representation {
  if (!accept || accept.trim() === '') return OBJECT;
  for (const clause of accept.split(',')) {
    if (clause.trim() === '') continue;
    const params = parameters(clause);
    if (!params.has('as')) return OBJECT;
    const wanted = transformOf(params);
    if (wanted) return wanted;
  }
  throw errors.notAcceptable(ACCEPTED);
}

/** The Go type the real server names in its 406 answers: '*core.SecretList', '*unstructured.Unstructured'. */
function goType(resource: ServedResource, list: boolean): string {
  if (resource.custom) return list ? '*unstructured.UnstructuredList' : '*unstructured.Unstructured';
  const pkg = resource.group === '' ? 'core' : resource.group.split('.')[0]!;
  return `*${pkg}.${list ? resource.listKind : resource.kind}`;
}

/**
 * A PartialObjectMetadata answer for a list, or a PartialObjectMetadataList for one object, fails as on the real
 * server: 406, except a custom resource asked as a list, which there is a 500 without a reason.
 */
export function checkTarget(representation: Representation, resource: ServedResource, list: boolean): void {
  if (representation.as === 'PartialObjectMetadata' && list) {
    throw errors.notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${goType(resource, true)})`);
  }
  if (representation.as === 'PartialObjectMetadataList' && !list) {
    // The real server fails differently for custom resources: its unstructured converter cannot make a list.
    if (resource.custom) throw new StatusError(500, '', 'content is not a list');
    throw errors.notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${goType(resource, false)})`);
  }
}

/** The object's whole metadata (managedFields included, as the real server sends them) and nothing else. */
export function toPartialObjectMetadata(object: Obj, apiVersion: string): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: object.metadata };
}

export function toPartialObjectMetadataList(list: Obj, apiVersion: string): Obj {
  const items = (list.items as Obj[]).map((item) => toPartialObjectMetadata(item, apiVersion));
  return { kind: 'PartialObjectMetadataList', apiVersion, metadata: list.metadata, items };
}
