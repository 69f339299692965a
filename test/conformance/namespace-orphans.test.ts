import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, eventually, rawRequest } from './helpers.js';

/**
 * Namespaces whose spec.finalizers were changed through `finalize` before deletion, and the objects such a
 * namespace leaves behind when it goes before its content:
 * - with no spec finalizers the namespace controller counts it as finalized and does nothing: it stays
 *   Terminating, content and all, until the next DELETE or write of it removes it;
 * - with only a foreign spec finalizer its content is still deleted, and it waits for that finalizer;
 * - objects left in a namespace that is gone can be read and deleted, but every other write (update, patch,
 *   apply, /status, /scale, create) is 404 for the namespace (the NamespaceLifecycle admission).
 * A real cluster's namespace controller waits a few seconds before acting, so these tests poll.
 */
describe('namespaces deleted without the kubernetes finalizer, and what they leave behind', () => {
  let target: ConformanceTarget;
  const made: string[] = [];
  before(async () => {
    target = await startTarget();
  });
  after(async () => {
    for (const name of made) {
      await rawRequest(target, { method: 'PUT', path: `/api/v1/namespaces/${name}/finalize`, contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
      await rawRequest(target, { method: 'DELETE', path: `/api/v1/namespaces/${name}` });
    }
    await target.stop();
  });

  const json = (method: string, path: string, body?: object, contentType = 'application/json') =>
    rawRequest(target, { method, path, ...(body ? { contentType, body: JSON.stringify(body) } : {}) });
  const newNamespace = async (topic: string, finalizers: string[]) => {
    const name = `server-ns-${topic}-${randomBytes(3).toString('hex')}`;
    const res = await json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(res.status, 201, res.text);
    made.push(name);
    const cm = await json('POST', `/api/v1/namespaces/${name}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'left' }, data: { a: '1' } });
    assert.equal(cm.status, 201, cm.text);
    const set = await json('PUT', `/api/v1/namespaces/${name}/finalize`, { ...res.json, spec: { finalizers } });
    assert.equal(set.status, 200, set.text);
    return name;
  };

  it('keeps a namespace with no spec finalizers Terminating with its content; one with a foreign finalizer is emptied', async () => {
    const bare = await newNamespace('bare', []);
    const foreign = await newNamespace('foreign', ['example.com/hold']);
    const first = await json('DELETE', `/api/v1/namespaces/${bare}`);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.status.phase, 'Terminating');
    assert.ok(first.json.metadata.deletionTimestamp);
    assert.equal((await json('DELETE', `/api/v1/namespaces/${foreign}`)).status, 200);

    // The foreign-finalizer namespace, deleted after the bare one, shows the namespace controller has acted.
    await eventually('content of the namespace with a foreign spec finalizer deleted', async () => {
      const cm = await json('GET', `/api/v1/namespaces/${foreign}/configmaps/left`);
      const ns = await json('GET', `/api/v1/namespaces/${foreign}`);
      const removed = ns.json.status?.conditions?.find((c: any) => c.type === 'NamespaceContentRemaining');
      return cm.status === 404 && removed?.status === 'False' ? true : undefined;
    }, 300);
    const held = await json('GET', `/api/v1/namespaces/${foreign}`);
    assert.equal(held.status, 200, 'a foreign spec finalizer keeps the namespace');
    assert.deepEqual(held.json.spec.finalizers, ['example.com/hold']);
    assert.equal(held.json.status.phase, 'Terminating');

    const stuck = await json('GET', `/api/v1/namespaces/${bare}`);
    assert.equal(stuck.status, 200, 'a namespace with no spec finalizers is not removed by the controller');
    assert.equal(stuck.json.status.phase, 'Terminating');
    assert.equal(stuck.json.status.conditions, undefined, JSON.stringify(stuck.json.status));
    assert.equal((await json('GET', `/api/v1/namespaces/${bare}/configmaps/left`)).status, 200, 'its content is not deleted');

    const second = await json('DELETE', `/api/v1/namespaces/${bare}`);
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.kind, 'Namespace');
    assertStatus((await json('GET', `/api/v1/namespaces/${bare}`)).json, 404, 'NotFound');
    assert.equal((await json('DELETE', `/api/v1/namespaces/${bare}/configmaps/left`)).status, 200, 'the content is left behind');

    // Clearing the foreign finalizer lets the emptied namespace go.
    const cleared = await json('PUT', `/api/v1/namespaces/${foreign}/finalize`, { ...held.json, spec: { finalizers: [] } });
    assert.equal(cleared.status, 200, cleared.text);
    assertStatus((await json('GET', `/api/v1/namespaces/${foreign}`)).json, 404, 'NotFound');
  });

  it('removes a Terminating namespace with no finalizers on its next write', async () => {
    const name = await newNamespace('relabel', []);
    assert.equal((await json('DELETE', `/api/v1/namespaces/${name}`)).status, 200);
    const labelled = await json('PATCH', `/api/v1/namespaces/${name}`, { metadata: { labels: { touched: 'yes' } } }, 'application/merge-patch+json');
    assert.equal(labelled.status, 200, labelled.text);
    assertStatus((await json('GET', `/api/v1/namespaces/${name}`)).json, 404, 'NotFound');
    await json('DELETE', `/api/v1/namespaces/${name}/configmaps/left`);
  });

  it('answers 404 for the namespace to writes of objects left in a removed namespace, and allows reads and deletes', async () => {
    const name = await newNamespace('gone', []);
    const deployment = await json('POST', `/apis/apps/v1/namespaces/${name}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    assert.equal(deployment.status, 201, deployment.text);
    await json('DELETE', `/api/v1/namespaces/${name}`);
    await json('DELETE', `/api/v1/namespaces/${name}`);
    assertStatus((await json('GET', `/api/v1/namespaces/${name}`)).json, 404, 'NotFound');

    const left = await json('GET', `/api/v1/namespaces/${name}/configmaps/left`);
    assert.equal(left.status, 200, left.text);
    const listed = await json('GET', `/api/v1/namespaces/${name}/configmaps`);
    assert.deepEqual(listed.json.items.map((item: any) => item.metadata.name), ['left']);

    const gone = new RegExp(`^namespaces "${name}" not found$`);
    const expectGone = (res: { json: any }, what: string) => {
      assertStatus(res.json, 404, 'NotFound', gone);
      assert.deepEqual(res.json.details, { name, kind: 'namespaces' }, what);
    };
    const cmPath = `/api/v1/namespaces/${name}/configmaps/left`;
    expectGone(await json('PUT', cmPath, { ...left.json, data: { a: '2' } }), 'update');
    expectGone(await json('PATCH', cmPath, { data: { a: '3' } }, 'application/merge-patch+json'), 'merge patch');
    expectGone(await json('PATCH', `${cmPath}?dryRun=All`, { data: { a: '3' } }, 'application/merge-patch+json'), 'dry-run patch');
    // The namespace check comes before the resourceVersion check.
    expectGone(await json('PATCH', cmPath, { metadata: { resourceVersion: '1' } }, 'application/merge-patch+json'), 'stale patch');
    expectGone(await json('PATCH', `${cmPath}?fieldManager=conformance`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'left' }, data: { b: '4' } }, 'application/apply-patch+yaml'), 'apply');
    expectGone(await json('POST', `/api/v1/namespaces/${name}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } }), 'create');
    const deployPath = `/apis/apps/v1/namespaces/${name}/deployments/web`;
    expectGone(await json('PATCH', `${deployPath}/status`, { status: { replicas: 3 } }, 'application/merge-patch+json'), 'status patch');
    expectGone(await json('PATCH', `${deployPath}/scale`, { spec: { replicas: 3 } }, 'application/merge-patch+json'), 'scale patch');
    // A missing object is still reported as itself.
    assertStatus((await json('PATCH', `/api/v1/namespaces/${name}/configmaps/absent`, { data: {} }, 'application/merge-patch+json')).json, 404, 'NotFound', /^configmaps "absent" not found$/);

    assert.equal((await json('DELETE', `${cmPath}?dryRun=All`)).status, 200);
    assert.equal((await json('GET', cmPath)).status, 200, 'a dry-run delete keeps it');
    assert.equal((await json('DELETE', cmPath)).status, 200);
    assertStatus((await json('GET', cmPath)).json, 404, 'NotFound');
    const collection = await json('DELETE', `/apis/apps/v1/namespaces/${name}/deployments`);
    assert.equal(collection.status, 200, collection.text);
    assert.deepEqual(collection.json.items.map((item: any) => item.metadata.name), ['web']);
    assert.equal((await json('GET', `/apis/apps/v1/namespaces/${name}/deployments`)).json.items.length, 0);
  });
});
