import { apiVersionOf, type ResourceRegistry, type ServedResource } from './registry.js';
import { storageVersionHashOf } from './storage-version-hash.js';

/** The Kubernetes version this server reports (kubectl warns on more than one minor of skew). */
export const SERVER_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+operator-ts' };

export function versionInfo(): object {
  return {
    ...SERVER_VERSION,
    gitCommit: 'operator-ts',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'none',
    compiler: 'operator-ts',
    platform: `node/${process.platform}`,
  };
}

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, versions: string[]): object {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(registry: ResourceRegistry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => groupEntry(g.name, g.versions)) };
}

export function apiGroup(registry: ResourceRegistry, group: string): object | undefined {
  const found = registry.groups().find((g) => g.name === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(found.name, found.versions) };
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function verbsOf(resource: ServedResource): string[] {
  return resource.verbs ?? ALL_VERBS;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): object {
  const resources: object[] = [];
  for (const r of registry.resourcesAt(group, version)) {
    const entry: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: verbsOf(r) };
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
    if (r.categories.length > 0) entry.categories = r.categories;
    if (!r.virtual) entry.storageVersionHash = storageVersionHashOf(r);
    resources.push(entry);
    if (r.finalizeSubresource) resources.push({ name: `${r.plural}/finalize`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['update'] });
    if (r.scale?.has(version)) resources.push({ name: `${r.plural}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (r.tokenRequest) resources.push({ name: `${r.plural}/token`, singularName: '', namespaced: r.namespaced, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    if (r.statusSubresource) resources.push({ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}
