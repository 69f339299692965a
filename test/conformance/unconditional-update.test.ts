import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { rawRequest, uniqueSuffix } from './helpers.js';

/**
 * A PUT whose body has no metadata.resourceVersion: most built-in kinds (ConfigMaps) take it as an unconditional
 * update of the current object; custom resources, and the built-in kinds whose strategy says so (Leases,
 * PodDisruptionBudgets, webhook configurations), answer 422. Expectations were taken from a v1.32 server.
 */
describe('PUT without metadata.resourceVersion', () => {
  let target: ConformanceTarget;
  const run = uniqueSuffix();
  const group = `server-fidelity-${run}.test`;
  const ns = `server-fidelity-${run}-rv`;
  const json = (method: string, path: string, body?: object) =>
    rawRequest(target, { method, path, ...(body ? { contentType: 'application/json', body: JSON.stringify(body) } : {}) });
  const things = (name = '', sub = '') => `/apis/${group}/v1/namespaces/${ns}/things${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`;
  const thing = (spec: object, status?: object) => ({ apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 't' }, spec, ...(status ? { status } : {}) });

  before(async () => {
    target = await startTarget();
    const crd = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `things.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
        versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    assert.equal(crd.status, 201, crd.text);
    assert.equal((await json('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    await eventually(async () => assert.equal((await json('GET', things())).status, 200), { timeoutMs: 20_000, intervalMs: 200 });
  });
  after(async () => {
    await json('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.${group}`);
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await target.stop();
  });

  it('is 422 for a custom resource and its /status, before anything is written', async () => {
    const created = await json('POST', things(), thing({ a: 1 }));
    assert.equal(created.status, 201, created.text);
    for (const [sub, body] of [['', thing({ a: 2 })], ['status', thing({ a: 1 }, { phase: 'x' })]] as const) {
      const res = await json('PUT', things('t', sub), body);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.reason, 'Invalid');
      assert.equal(res.json.message, `things.${group} "t" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`);
      assert.deepEqual(res.json.details, {
        name: 't', group, kind: 'things',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }],
      });
    }
    // An empty resourceVersion is the same as none.
    const empty = await json('PUT', things('t'), { ...thing({ a: 3 }), metadata: { name: 't', resourceVersion: '' } });
    assert.equal(empty.status, 422, empty.text);
    const stored = (await json('GET', things('t'))).json;
    assert.deepEqual(stored.spec, { a: 1 });
    assert.equal(stored.metadata.resourceVersion, created.json.metadata.resourceVersion);
    // With the current resourceVersion the same update goes through; a missing object is still 404.
    const put = await json('PUT', things('t'), { ...thing({ a: 2 }), metadata: { name: 't', resourceVersion: stored.metadata.resourceVersion } });
    assert.equal(put.status, 200, put.text);
    assert.equal((await json('PUT', things('missing'), { ...thing({}), metadata: { name: 'missing' } })).status, 404);
  });

  it('is 422 for a Lease, worded with the resource', async () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'a' } };
    assert.equal((await json('POST', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, lease)).status, 201);
    const res = await json('PUT', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/l`, { ...lease, spec: { holderIdentity: 'b' } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.message, 'leases.coordination.k8s.io "l" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    assert.equal(res.json.details.kind, 'leases');
  });

  it('updates a ConfigMap unconditionally', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    const created = await json('POST', `/api/v1/namespaces/${ns}/configmaps`, cm);
    assert.equal(created.status, 201, created.text);
    const res = await json('PUT', `/api/v1/namespaces/${ns}/configmaps/c`, { ...cm, data: { a: '2' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { a: '2' });
    assert.notEqual(res.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
  });
});
