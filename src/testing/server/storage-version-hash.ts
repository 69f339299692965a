import { createHash } from 'node:crypto';
import type { ServedResource } from './registry.js';

/**
 * Discovery's `storageVersionHash`, computed as the real server computes it (apiserver's
 * endpoints/discovery StorageVersionHash): the first 8 bytes of SHA-256 over "group/version/kind" of the
 * version objects are stored as, in standard base64. Clients (kubectl's discovery cache, the storage-version
 * migrator) compare it to notice a storage version change.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

const cache = new WeakMap<ServedResource, string>();

/** The hash of a served resource: its storage group/version/kind, or its own group, first version and kind. */
export function storageVersionHashOf(resource: ServedResource): string {
  let hash = cache.get(resource);
  if (hash === undefined) {
    const stored = resource.storedAs ?? { group: resource.group, version: resource.versions[0]!, kind: resource.kind };
    hash = storageVersionHash(stored.group, stored.version, stored.kind);
    cache.set(resource, hash);
  }
  return hash;
}
