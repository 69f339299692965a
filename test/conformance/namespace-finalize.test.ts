import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, eventually, rawRequest } from './helpers.js';

/**
 * PUT /api/v1/namespaces/{name}/finalize: the only write that sets a namespace's spec.finalizers (tooling
 * uses it to free a namespace stuck in Terminating). It writes metadata and spec, keeps status, checks the
 * finalizer names, answers 405 to every other verb, and removes a Terminating namespace once nothing holds it.
 */
describe('namespaces/finalize', () => {
  let target: ConformanceTarget;
  const made: string[] = [];
  before(async () => {
    target = await startTarget();
  });
  after(async () => {
    for (const name of made) await rawRequest(target, { method: 'DELETE', path: `/api/v1/namespaces/${name}` });
    await target.stop();
  });

  const json = (method: string, path: string, body?: object) =>
    rawRequest(target, { method, path, ...(body ? { contentType: 'application/json', body: JSON.stringify(body) } : {}) });
  const newNamespace = async (topic: string) => {
    const name = `conf-fin-${topic}-${randomBytes(3).toString('hex')}`;
    const res = await json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(res.status, 201, res.text);
    made.push(name);
    return res.json;
  };
  const finalize = (name: string, body: object) => json('PUT', `/api/v1/namespaces/${name}/finalize`, body);

  it('writes spec.finalizers and metadata, keeps status; the main endpoint keeps spec.finalizers', async () => {
    const ns = await newNamespace('write');
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    const body = { ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, added: 'yes' } }, spec: { finalizers: ['example.com/x', 'kubernetes'] }, status: { phase: 'Terminating' } };
    const res = await finalize(ns.metadata.name, body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'Namespace');
    assert.deepEqual(res.json.spec.finalizers, ['example.com/x', 'kubernetes']);
    assert.equal(res.json.metadata.labels.added, 'yes');
    assert.equal(res.json.status.phase, 'Active');
    assert.ok(res.json.metadata.managedFields.some((entry: any) => entry.subresource === 'finalize'), JSON.stringify(res.json.metadata.managedFields));

    const main = await json('PUT', `/api/v1/namespaces/${ns.metadata.name}`, { ...res.json, spec: { finalizers: [] } });
    assert.equal(main.status, 200, main.text);
    assert.deepEqual(main.json.spec.finalizers, ['example.com/x', 'kubernetes']);

    const cleared = await finalize(ns.metadata.name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.metadata.name } });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.json.spec.finalizers, undefined);
    assert.equal(cleared.json.metadata.labels.added, undefined);
    // A namespace without the `kubernetes` finalizer would stay Terminating on a real server after one DELETE.
    const restored = await finalize(ns.metadata.name, { ...cleared.json, spec: { finalizers: ['kubernetes'] } });
    assert.deepEqual(restored.json.spec.finalizers, ['kubernetes']);
  });

  it('refuses bad finalizer names, a wrong name, a stale resourceVersion and a missing namespace', async () => {
    const ns = await newNamespace('bad');
    const name = ns.metadata.name;
    const bad = await finalize(name, { ...ns, spec: { finalizers: ['bad name!', 'kubernetes', 'plain'] } });
    assertStatus(bad.json, 422, 'Invalid');
    const causes = bad.json.details.causes.map((c: any) => `${c.field}: ${c.message}`);
    assert.ok(causes.some((c: string) => /^spec\.finalizers\[0\]: Invalid value: "bad name!": name part must consist of alphanumeric characters/.test(c)), causes.join('\n'));
    assert.ok(causes.includes('spec.finalizers[0]: Invalid value: "bad name!": name is neither a standard finalizer name nor is it fully qualified'), causes.join('\n'));
    assert.ok(causes.includes('spec.finalizers[2]: Invalid value: "plain": name is neither a standard finalizer name nor is it fully qualified'), causes.join('\n'));
    assert.ok(!causes.some((c: string) => c.startsWith('spec.finalizers[1]')), causes.join('\n'));

    for (const [finalizers, detail] of [
      ['kubernetes', 'cannot unmarshal string into Go struct field NamespaceSpec.spec.finalizers of type []v1.FinalizerName'],
      [[1], 'cannot unmarshal number into Go struct field NamespaceSpec.spec.finalizers of type v1.FinalizerName'],
    ] as const) {
      const undecodable = await finalize(name, { ...ns, spec: { finalizers } });
      assertStatus(undecodable.json, 400, 'BadRequest');
      assert.equal(undecodable.json.message, `Namespace in version "v1" cannot be handled as a Namespace: json: ${detail}`);
    }
    const unchanged = await json('GET', `/api/v1/namespaces/${name}`);
    assert.deepEqual(unchanged.json.spec.finalizers, ['kubernetes']);

    const other = await finalize(name, { ...ns, metadata: { name: 'someone-else' } });
    assertStatus(other.json, 400, 'BadRequest', /the name of the object \(someone-else\) does not match the name on the URL/);
    const stale = await finalize(name, { ...ns, metadata: { ...ns.metadata, resourceVersion: '1' } });
    assertStatus(stale.json, 409, 'Conflict');
    const missing = `conf-fin-missing-${randomBytes(3).toString('hex')}`;
    const absent = await finalize(missing, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: missing } });
    assertStatus(absent.json, 404, 'NotFound');
  });

  it('answers 405 to verbs other than PUT', async () => {
    const ns = await newNamespace('verbs');
    const path = `/api/v1/namespaces/${ns.metadata.name}/finalize`;
    for (const [method, contentType] of [['GET', undefined], ['POST', 'application/json'], ['DELETE', undefined], ['PATCH', 'application/merge-patch+json']] as const) {
      const res = await rawRequest(target, { method, path, ...(contentType ? { contentType, body: '{}' } : {}) });
      assertStatus(res.json, 405, 'MethodNotAllowed');
    }
  });

  it('removes a namespace stuck in Terminating when its finalizers are cleared, leaving the content', async () => {
    const ns = await newNamespace('stuck');
    const name = ns.metadata.name;
    const held = await json('POST', `/api/v1/namespaces/${name}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    assert.equal(held.status, 201, held.text);
    const deleting = await json('DELETE', `/api/v1/namespaces/${name}`);
    assert.equal(deleting.status, 200, deleting.text);
    const stuck = await eventually('namespace Terminating with the content left', async () => {
      const current = await json('GET', `/api/v1/namespaces/${name}`);
      return current.json.status?.phase === 'Terminating' && current.json.status?.conditions?.some((c: any) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') ? current.json : undefined;
    });
    assert.deepEqual(stuck.spec.finalizers, ['kubernetes']);
    const res = await finalize(name, { ...stuck, spec: { finalizers: [] } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.finalizers, undefined);
    assert.ok(res.json.metadata.deletionTimestamp);
    const gone = await json('GET', `/api/v1/namespaces/${name}`);
    assertStatus(gone.json, 404, 'NotFound');
    // The content is not deleted with it: it shows again in a namespace of the same name, where it can be freed.
    const left = await json('GET', `/api/v1/namespaces/${name}/configmaps/held`);
    assert.equal(left.status, 200, left.text);
    const again = await json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(again.status, 201, again.text);
    const freed = await rawRequest(target, {
      method: 'PATCH', path: `/api/v1/namespaces/${name}/configmaps/held`, contentType: 'application/merge-patch+json', body: '{"metadata":{"finalizers":null}}',
    });
    assert.equal(freed.status, 200, freed.text);
    await json('DELETE', `/api/v1/namespaces/${name}/configmaps/held`);
  });
});
