import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, rawRequest } from './helpers.js';

// A resourceVersion inside a patch body or an apply configuration is a precondition: the server answers
// 409 Conflict when it is not the object's current one. Delete takes explicit uid/resourceVersion
// preconditions. These are what make a late-arriving write safe by construction.
describe('write preconditions (resourceVersion in patch and apply bodies, delete preconditions)', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'fencing-preconditions');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const cm = (name = '') => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
  const deploy = (name = '') => `/apis/apps/v1/namespaces/${ns}/deployments${name ? `/${name}` : ''}`;
  const send = (method: string, path: string, body: unknown, contentType = 'application/json') =>
    rawRequest(target, { method, path, contentType, body: JSON.stringify(body) });
  const createConfigMap = async (name: string) => {
    const res = await send('POST', cm(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json as { metadata: { resourceVersion: string; uid: string } };
  };
  const createDeployment = async (name: string) => {
    const res = await send('POST', deploy(), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json as { metadata: { resourceVersion: string } };
  };
  const dataOf = async (name: string) => ((await rawRequest(target, { method: 'GET', path: cm(name) })).json as { data?: Record<string, string> }).data;

  for (const [type, contentType] of [
    ['merge', 'application/merge-patch+json'],
    ['strategic', 'application/strategic-merge-patch+json'],
  ] as const) {
    it(`a ${type} patch with a stale metadata.resourceVersion is 409 Conflict and changes nothing; the current one applies`, async () => {
      const created = await createConfigMap(`rv-${type}`);
      const stale = await send('PATCH', cm(`rv-${type}`), { metadata: { resourceVersion: '1' }, data: { a: 'stale' } }, contentType);
      assert.equal(stale.status, 409);
      assertStatus(stale.json, 409, 'Conflict');
      assert.deepEqual(await dataOf(`rv-${type}`), { a: '1' });
      const fresh = await send('PATCH', cm(`rv-${type}`), { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { a: '2' } }, contentType);
      assert.equal(fresh.status, 200, JSON.stringify(fresh.json));
      assert.deepEqual(await dataOf(`rv-${type}`), { a: '2' });
    });
  }

  it('a JSON patch that replaces metadata.resourceVersion with a stale one is 409 Conflict', async () => {
    await createConfigMap('rv-json');
    const stale = await send('PATCH', cm('rv-json'), [{ op: 'replace', path: '/metadata/resourceVersion', value: '1' }, { op: 'replace', path: '/data/a', value: 'stale' }], 'application/json-patch+json');
    assert.equal(stale.status, 409);
    assertStatus(stale.json, 409, 'Conflict');
    assert.deepEqual(await dataOf('rv-json'), { a: '1' });
  });

  it('a strategic merge patch of a Deployment and a merge patch of its status with a stale resourceVersion are 409', async () => {
    await createDeployment('rv-deploy');
    const spec = await send('PATCH', deploy('rv-deploy'), { metadata: { resourceVersion: '1' }, spec: { replicas: 3 } }, 'application/strategic-merge-patch+json');
    assert.equal(spec.status, 409);
    assertStatus(spec.json, 409, 'Conflict');
    const status = await send('PATCH', `${deploy('rv-deploy')}/status`, { metadata: { resourceVersion: '1' }, status: { replicas: 0 } }, 'application/merge-patch+json');
    assert.equal(status.status, 409);
    assertStatus(status.json, 409, 'Conflict');
  });

  it('server-side apply with a stale metadata.resourceVersion is 409 even with force; with none it applies', async () => {
    await createConfigMap('rv-apply');
    const body = (rv?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv-apply', namespace: ns, ...(rv ? { resourceVersion: rv } : {}) }, data: { b: 'x' } });
    const stale = await send('PATCH', `${cm('rv-apply')}?fieldManager=fencing&force=true`, body('1'), 'application/apply-patch+yaml');
    assert.equal(stale.status, 409);
    assertStatus(stale.json, 409, 'Conflict');
    assert.deepEqual(await dataOf('rv-apply'), { a: '1' });
    const ok = await send('PATCH', `${cm('rv-apply')}?fieldManager=fencing&force=true`, body(), 'application/apply-patch+yaml');
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
  });

  it('server-side apply of a missing object with a resourceVersion creates it (the precondition guards only existing objects)', async () => {
    const res = await send('PATCH', `${cm('rv-apply-new')}?fieldManager=fencing&force=true`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv-apply-new', namespace: ns, resourceVersion: '1' }, data: { b: 'x' } }, 'application/apply-patch+yaml');
    assert.equal(res.status, 201, JSON.stringify(res.json));
  });

  it('delete with a stale resourceVersion or a wrong uid precondition is 409 and the object stays', async () => {
    const created = await createConfigMap('del-pre');
    const byRv = await send('DELETE', cm('del-pre'), { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } });
    assert.equal(byRv.status, 409);
    assertStatus(byRv.json, 409, 'Conflict');
    const byUid = await send('DELETE', cm('del-pre'), { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } });
    assert.equal(byUid.status, 409);
    assertStatus(byUid.json, 409, 'Conflict');
    assert.deepEqual(await dataOf('del-pre'), { a: '1' });
    const ok = await send('DELETE', cm('del-pre'), { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
  });
});
