/** What a request path names. */
export type Route =
  | { type: 'health'; check: string }
  | { type: 'version' }
  | { type: 'coreVersions' }
  | { type: 'groups' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string; watchPath: boolean }
  | { type: 'openapiV3Root' }
  | { type: 'openapiV3'; group: string; version: string }
  | { type: 'unknown' };

const HEALTH = new Set(['healthz', 'readyz', 'livez']);

function decode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment; // nothing to decode, and nothing that could fail
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Parses `/api/v1/namespaces/ns/configmaps/name/status` and friends; anything else is 'unknown'. */
export function parsePath(pathname: string): Route {
  const raw = pathname.split('/').filter((s) => s !== '');
  const segments = raw.map(decode);
  if (segments.some((s) => s === undefined)) return { type: 'unknown' };
  const parts = segments as string[];
  if (parts.length >= 1 && HEALTH.has(parts[0]!)) return { type: 'health', check: parts[0]! };
  if (parts.length === 1 && parts[0] === 'version') return { type: 'version' };
  if (parts[0] === 'openapi' && parts[1] === 'v3') {
    if (parts.length === 2) return { type: 'openapiV3Root' };
    if (parts[2] === 'api' && parts.length === 4) return { type: 'openapiV3', group: '', version: parts[3]! };
    if (parts[2] === 'apis' && parts.length === 5) return { type: 'openapiV3', group: parts[3]!, version: parts[4]! };
    return { type: 'unknown' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'coreVersions' };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'groups' };
    if (parts.length === 2) return { type: 'group', group: parts[1]! };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { type: 'unknown' };
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return watchPath ? { type: 'unknown' } : { type: 'resourceList', group, version };
  let namespace: string | undefined;
  const namespaceSubresource = group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  if (rest.length > 3) return { type: 'unknown' };
  return { type: 'resource', group, version, plural: rest[0]!, namespace, name: rest[1], subresource: rest[2], watchPath };
}
