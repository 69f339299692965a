import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { createNamespace, deleteNamespace, expectApiError, eventually, rawRequest } from './helpers.js';

describe('object semantics (CRUD)', () => {
  let target: ConformanceTarget;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let ns: string;
  before(async () => {
    target = await startTarget();
    core = target.kubeConfig.makeApiClient(CoreV1Api);
    apps = target.kubeConfig.makeApiClient(AppsV1Api);
    ns = await createNamespace(target.kubeConfig, 'crud');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const cm = (name: string, data: Record<string, string> = { a: '1' }): V1ConfigMap => ({ metadata: { name }, data });

  it('create sets uid, creationTimestamp and resourceVersion; get returns the object', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: cm('first') });
    assert.match(created.metadata!.uid!, /^[0-9a-f-]{36}$/);
    assert.ok(created.metadata!.creationTimestamp);
    assert.match(created.metadata!.resourceVersion!, /^\d+$/);
    assert.equal(created.metadata!.namespace, ns);
    const read = await core.readNamespacedConfigMap({ name: 'first', namespace: ns });
    assert.deepEqual(read.data, { a: '1' });
    assert.equal(read.metadata!.uid, created.metadata!.uid);
  });

  it('resourceVersions increase with every write', async () => {
    const a = await core.createNamespacedConfigMap({ namespace: ns, body: cm('rv-a') });
    const b = await core.createNamespacedConfigMap({ namespace: ns, body: cm('rv-b') });
    const a2 = await core.replaceNamespacedConfigMap({ name: 'rv-a', namespace: ns, body: { ...a, data: { a: '2' } } });
    assert.ok(BigInt(b.metadata!.resourceVersion!) > BigInt(a.metadata!.resourceVersion!));
    assert.ok(BigInt(a2.metadata!.resourceVersion!) > BigInt(b.metadata!.resourceVersion!));
  });

  it('a second create of the same name is 409 AlreadyExists', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('dup') });
    const status = await expectApiError(core.createNamespacedConfigMap({ namespace: ns, body: cm('dup') }), 409, 'AlreadyExists', /configmaps "dup" already exists/);
    assert.equal(status.details.name, 'dup');
    assert.equal(status.details.kind, 'configmaps');
  });

  it('an update with a stale resourceVersion is 409 Conflict', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: cm('stale') });
    await core.replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: { ...created, data: { a: 'fresh' } } });
    await expectApiError(
      core.replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: { ...created, data: { a: 'stale' } } }),
      409,
      'Conflict',
      /the object has been modified; please apply your changes to the latest version and try again/,
    );
  });

  it('get, replace and delete of a missing object are 404 NotFound', async () => {
    await expectApiError(core.readNamespacedConfigMap({ name: 'missing', namespace: ns }), 404, 'NotFound', /configmaps "missing" not found/);
    await expectApiError(core.deleteNamespacedConfigMap({ name: 'missing', namespace: ns }), 404, 'NotFound');
    await expectApiError(core.replaceNamespacedConfigMap({ name: 'missing', namespace: ns, body: { ...cm('missing'), metadata: { name: 'missing', resourceVersion: '1' } } }), 404, 'NotFound');
  });

  it('delete removes the object', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('doomed') });
    await core.deleteNamespacedConfigMap({ name: 'doomed', namespace: ns });
    await expectApiError(core.readNamespacedConfigMap({ name: 'doomed', namespace: ns }), 404, 'NotFound');
  });

  it('generateName makes a unique name with the prefix', async () => {
    const a = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { generateName: 'gen-' } } });
    const b = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { generateName: 'gen-' } } });
    assert.match(a.metadata!.name!, /^gen-[a-z0-9]{5}$/);
    assert.notEqual(a.metadata!.name, b.metadata!.name);
  });

  it('rejects invalid names with 422 Invalid naming the field', async () => {
    const status = await expectApiError(core.createNamespacedConfigMap({ namespace: ns, body: cm('Bad_Name') }), 422, 'Invalid', /metadata\.name: Invalid value: "Bad_Name"/);
    assert.ok(status.details.causes.some((c: any) => c.field === 'metadata.name'));
  });

  it('refuses creates in a namespace that does not exist with 404', async () => {
    await expectApiError(core.createNamespacedConfigMap({ namespace: 'conf-no-such-namespace', body: cm('x') }), 404, 'NotFound', /namespaces "conf-no-such-namespace" not found/);
  });

  it('a terminating namespace refuses creates with 403 Forbidden', async () => {
    const doomed = await createNamespace(target.kubeConfig, 'term');
    // A finalizer on a ConfigMap keeps the namespace terminating while we try to create in it.
    await core.createNamespacedConfigMap({ namespace: doomed, body: { metadata: { name: 'holder', finalizers: ['example.com/hold'] } } });
    await core.deleteNamespace({ name: doomed });
    await expectApiError(core.createNamespacedConfigMap({ namespace: doomed, body: cm('late') }), 403, 'Forbidden', /because it is being terminated/);
    await core.patchNamespacedConfigMap({ name: 'holder', namespace: doomed, body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    await eventually('namespace deletion', async () => {
      try {
        await core.readNamespace({ name: doomed });
        return undefined;
      } catch (err) {
        return (err as { code?: number }).code === 404 ? true : undefined;
      }
    }, 200);
  });

  it('generation starts at 1 and is bumped by spec changes only', async () => {
    const deployment = {
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: deployment });
    assert.equal(created.metadata!.generation, 1);
    const labelled = await apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } } });
    assert.equal(labelled.metadata!.generation, 1, 'a metadata change keeps the generation');
    const scaled = await apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: { ...labelled, spec: { ...labelled.spec!, replicas: 3 } } });
    assert.equal(scaled.metadata!.generation, 2, 'a spec change bumps the generation');
  });

  it('serves secrets, services, service accounts, events and leases', async () => {
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 's' }, stringData: { k: 'v' } } });
    const secret = await core.readNamespacedSecret({ name: 's', namespace: ns });
    assert.equal(Buffer.from(secret.data!.k!, 'base64').toString(), 'v');
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'sa' } } });
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }], selector: { app: 'x' } } } });
    await core.createNamespacedEvent({
      namespace: ns,
      body: { metadata: { name: 'ev' }, involvedObject: { kind: 'ConfigMap', name: 'first', namespace: ns }, reason: 'Test', message: 'hello', type: 'Normal' },
    });
    const lease = await rawRequest(target, {
      method: 'POST',
      path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`,
      contentType: 'application/json',
      body: JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2024-01-01T00:00:00.000000Z' } }),
    });
    assert.equal(lease.status, 201, lease.text);
    assert.equal(lease.json.spec.renewTime, '2024-01-01T00:00:00.000000Z');
  });
});
