import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listTypesFromSchema, recordUpdateOwnership, type ListTypeLookup } from '../../../src/testing/patch/index.js';

const now = new Date('2026-01-01T00:00:07.250Z');

/**
 * A create whose body carries a managedFields entry that owns nothing takes the general path (read the
 * entries, diff against nothing, rebuild the tree) and must end exactly where the one-walk create path
 * ends: same entries, same keys in the same order (JSON text compared, so key order counts).
 */
function bothPaths(next: Record<string, any>, listTypes?: ListTypeLookup, subresource?: string): { fast: string; general: string } {
  const owner = { manager: 'nobody', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {} };
  const withEmptyOwner = { ...next, metadata: { ...next.metadata, managedFields: [owner] } };
  const input = { previous: undefined, manager: 'creator', now, ...(listTypes ? { listTypes } : {}), ...(subresource ? { subresource } : {}) };
  return {
    fast: JSON.stringify(recordUpdateOwnership({ ...input, next })),
    general: JSON.stringify(recordUpdateOwnership({ ...input, next: withEmptyOwner })),
  };
}

const crListTypes = listTypesFromSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'], items: { type: 'object' } },
        args: { type: 'array', items: { type: 'string' } },
      },
    },
  },
});

const cases: Array<[string, Record<string, any>, ListTypeLookup?]> = [
  ['a ConfigMap with labels and data', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', uid: 'u', labels: { app: 'x', tier: 'web' } }, data: { a: '1', b: '2' } }],
  ['an object with nothing ownable', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } }],
  ['empty maps, nulls and an empty list', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {}, annotations: null, finalizers: [] }, data: {}, binaryData: null }],
  ['a Deployment (zero-value nodes, keyed containers and ports)', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'd' }, finalizers: ['a/b', 'c/d'], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u1', controller: true }] },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'd' } }, strategy: {},
      template: {
        metadata: { labels: { app: 'd' } },
        spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }], args: ['x', 'y'] }, { name: 'side', image: 'j' }] },
      },
    },
  }],
  ['a Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 's' } } }],
  ['a custom resource with set, map and atomic lists', {
    apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' },
    spec: { tags: ['a', 'b'], ports: [{ port: 1, protocol: 'TCP', name: 'p' }, { port: 1, protocol: 'UDP' }], args: ['--x'], nested: { deep: { deeper: 1 }, empty: {} } },
  }, crListTypes],
  ['a keyed list with a duplicate key', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }, { name: 'c', command: ['sh'] }] } } } }],
  ['a keyed list item missing its key (atomic)', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ image: 'i' }] } } } }],
  ['a CRD (zero-value nodes of apiextensions)', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
  }],
];

describe('managedFields of a create, built in one walk', () => {
  for (const [name, object, listTypes] of cases) {
    it(`equals the general ownership path for ${name}`, () => {
      const { fast, general } = bothPaths(object, listTypes);
      assert.equal(fast, general);
    });
  }

  it('records the subresource and leaves the input alone unless asked to write in place', () => {
    const next: Record<string, any> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    const { fast, general } = bothPaths(next, undefined, 'status');
    assert.equal(fast, general);
    assert.equal(JSON.parse(fast).metadata.managedFields[0].subresource, 'status');
    const copy = recordUpdateOwnership({ previous: undefined, next, manager: 'm', now }) as any;
    assert.notEqual(copy, next);
    assert.equal(next.metadata.managedFields, undefined);
    const same = recordUpdateOwnership({ previous: undefined, next, manager: 'm', now, inPlace: true }) as any;
    assert.equal(same, next);
    assert.deepEqual(same.metadata.managedFields, [
      { manager: 'm', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:07Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } } },
    ]);
  });

  it('stamps the whole second of the given time, also when times repeat or go back', () => {
    const at = (iso: string) => (recordUpdateOwnership({ previous: undefined, next: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, manager: 'm', now: new Date(iso) }) as any).metadata.managedFields[0].time;
    assert.equal(at('2026-01-01T00:00:07.999Z'), '2026-01-01T00:00:07Z');
    assert.equal(at('2026-01-01T00:00:08.001Z'), '2026-01-01T00:00:08Z');
    assert.equal(at('2025-12-31T23:59:59.500Z'), '2025-12-31T23:59:59Z');
  });
});
