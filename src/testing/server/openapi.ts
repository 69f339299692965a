import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceRegistry, type ServedResource } from './registry.js';

/**
 * A minimal OpenAPI v3 surface: kubectl reads it to learn that the server validates fields itself
 * (the `fieldValidation` parameter on PATCH), so it sends `fieldValidation=Strict` instead of needing
 * full type schemas. No component schemas are published: kubectl then uses the strategic-merge
 * metadata compiled into it for built-in kinds, and JSON merge patches for custom resources.
 */
function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function groupVersions(registry: ResourceRegistry): Array<{ group: string; version: string }> {
  const out: Array<{ group: string; version: string }> = [{ group: '', version: 'v1' }];
  for (const g of registry.groups()) for (const version of g.versions) out.push({ group: g.name, version });
  return out;
}

export function openApiV3Root(registry: ResourceRegistry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of groupVersions(registry)) {
    const doc = JSON.stringify(openApiV3GroupVersion(registry, group, version));
    const hash = createHash('sha256').update(doc).digest('hex').slice(0, 32).toUpperCase();
    paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
  }
  return { paths };
}

const WRITE_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } }));

function operations(resource: ServedResource, version: string): Record<string, unknown> {
  const gvk = { group: resource.group, version, kind: resource.kind };
  const op = (action: string, extra: object[] = []) => ({
    operationId: `${action}${resource.kind}`,
    parameters: [...WRITE_PARAMETERS, ...extra],
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  return {
    get: { operationId: `read${resource.kind}`, responses: { '200': { description: 'OK' } }, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
    put: op('put'),
    patch: op('patch', [{ name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }]),
    delete: op('delete'),
  };
}

/** The document of one group/version: PATCH/PUT/DELETE operations with the query parameters we honour. */
export function openApiV3GroupVersion(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const resources = registry.resourcesAt(group, version);
  if (resources.length === 0 && !(group === '' && version === 'v1')) return undefined;
  const paths: Record<string, unknown> = {};
  const base = `/${gvPath(group, version)}`;
  for (const r of resources) {
    const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
    paths[`${collection}/{name}`] = operations(r, version);
    paths[collection] = {
      post: {
        operationId: `create${r.kind}`,
        parameters: WRITE_PARAMETERS,
        responses: { '201': { description: 'Created' } },
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': { group: r.group, version, kind: r.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (operator-ts test server)', version: apiVersionOf(group, version) }, paths, components: { schemas: {} } };
}
