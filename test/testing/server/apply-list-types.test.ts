import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestEnv } from '../../../src/testing/index.js';
import { rawRequest, testEnv } from '../helpers.js';

// Server-side apply on a custom resource follows the CRD's x-kubernetes-list-type, not field-name guesses.
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'pools.lists.example.com' },
  spec: {
    group: 'lists.example.com',
    scope: 'Namespaced',
    names: { plural: 'pools', singular: 'pool', kind: 'Pool', listKind: 'PoolList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: {
        shards: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'],
          items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, weight: { type: 'integer' } } } },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      } } } } },
    }],
  },
};

describe('server-side apply with CRD list types', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv({ crds: [crd] });
  });
  after(() => env.stop());

  const apply = (manager: string, spec: object) =>
    rawRequest(env, 'PATCH', `/apis/lists.example.com/v1/namespaces/default/pools/p?fieldManager=${manager}`, {
      body: JSON.stringify({ apiVersion: 'lists.example.com/v1', kind: 'Pool', metadata: { name: 'p' }, spec }),
      contentType: 'application/apply-patch+yaml',
    });

  it('merges map-list entries and set items applied by different managers', async () => {
    assert.equal((await apply('alpha', { shards: [{ id: 'a', weight: 1 }], tags: ['x'] })).code, 201);
    const second = await apply('beta', { shards: [{ id: 'b', weight: 2 }], tags: ['y'] });
    assert.equal(second.code, 200, JSON.stringify(second.body));
    assert.deepEqual(second.body.spec.shards, [{ id: 'a', weight: 1 }, { id: 'b', weight: 2 }]);
    assert.deepEqual(second.body.spec.tags, ['x', 'y']);
  });

  it('removes only the entries a manager stopped applying', async () => {
    const result = await apply('alpha', { tags: ['x'] });
    assert.equal(result.code, 200, JSON.stringify(result.body));
    assert.deepEqual(result.body.spec.shards, [{ id: 'b', weight: 2 }]);
  });
});
