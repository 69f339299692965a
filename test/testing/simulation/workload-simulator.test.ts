import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiServer, startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { rawRequest } from '../helpers.js';

const deployment = (name: string, replicas?: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
  },
});

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

async function post(env: TestEnv, body: object): Promise<any> {
  const res = await rawRequest(env, 'POST', DEPLOYMENTS, { body: JSON.stringify(body), contentType: 'application/json' });
  assert.equal(res.code, 201, JSON.stringify(res.body));
  return res.body;
}

async function get(env: TestEnv, name: string): Promise<any> {
  const res = await rawRequest(env, 'GET', `${DEPLOYMENTS}/${name}`);
  assert.equal(res.code, 200);
  return res.body;
}

describe('workload simulation on the embedded server', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv({ simulate: { workloads: true } });
  });
  after(() => env.stop());

  it('gives a new Deployment the status of a finished rollout as soon as it is created', async () => {
    const created = await post(env, deployment('web', 3));
    assert.deepEqual(created.status, {}, 'the create response is the object as created (a real server answers status: {}), before any controller ran');
    const got = await get(env, 'web');
    assert.equal(got.status.observedGeneration, 1);
    assert.equal(got.status.replicas, 3);
    assert.equal(got.status.updatedReplicas, 3);
    assert.equal(got.status.readyReplicas, 3);
    assert.equal(got.status.availableReplicas, 3);
    assert.deepEqual(got.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    assert.equal(got.status.conditions[0].message, 'Deployment has minimum availability.');
    assert.match(got.status.conditions[1].message, /^ReplicaSet "web-[bcdfghjklmnpqrstvwxz2456789]+" has successfully progressed\.$/);
    const status = got.metadata.managedFields.find((f: any) => f.subresource === 'status');
    assert.equal(status?.manager, 'kube-controller-manager');
  });

  it('follows a scale-up with a new observedGeneration and counts, and a watcher sees spec then status', async () => {
    const before = await get(env, 'web');
    const watch = await fetch(`${env.url}${DEPLOYMENTS}?watch=1&fieldSelector=metadata.name%3Dweb&resourceVersion=${before.metadata.resourceVersion}`);
    const patched = await rawRequest(env, 'PATCH', `${DEPLOYMENTS}/web`, { body: JSON.stringify({ spec: { replicas: 5 } }), contentType: 'application/merge-patch+json' });
    assert.equal(patched.code, 200);
    const reader = watch.body!.getReader();
    let text = '';
    while (text.split('\n').filter((l) => l !== '').length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    await reader.cancel();
    const [first, second] = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    assert.equal(first.object.spec.replicas, 5);
    assert.equal(first.object.status.replicas, 3, 'the spec change arrives with the old status');
    assert.equal(second.object.status.replicas, 5);
    assert.equal(second.object.status.observedGeneration, 2);
    assert.equal(second.object.metadata.generation, 2, 'a status write does not bump the generation');
    const got = await get(env, 'web');
    const available = got.status.conditions.find((c: any) => c.type === 'Available');
    const old = before.status.conditions.find((c: any) => c.type === 'Available');
    assert.equal(available.lastTransitionTime, old.lastTransitionTime, 'an unchanged condition keeps its times');
  });

  it('reports a Deployment scaled to zero without replica counts, and a paused one as Progressing=Unknown', async () => {
    await post(env, deployment('idle', 0));
    const idle = await get(env, 'idle');
    assert.equal(idle.status.replicas, undefined);
    assert.equal(idle.status.availableReplicas, undefined);
    assert.equal(idle.status.conditions.find((c: any) => c.type === 'Available').status, 'True');
    await post(env, { ...deployment('held', 2), spec: { ...deployment('held', 2).spec, paused: true } });
    const held = await get(env, 'held');
    assert.deepEqual(held.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'Unknown', 'DeploymentPaused'],
    ]);
  });

  it('sets a status written by someone else back to the simulated one', async () => {
    const got = await get(env, 'web');
    const res = await rawRequest(env, 'PUT', `${DEPLOYMENTS}/web/status`, {
      body: JSON.stringify({ ...got, status: { ...got.status, readyReplicas: 1 } }), contentType: 'application/json',
    });
    assert.equal(res.code, 200);
    assert.equal(res.body.status.readyReplicas, 1, 'the write itself succeeds');
    assert.equal((await get(env, 'web')).status.readyReplicas, 5, 'and the simulated controller sets the status back, as the real one would');
  });
});

describe('workload simulation is off by default', () => {
  it('leaves a Deployment without status', async () => {
    const env = await startTestEnv();
    try {
      await post(env, deployment('plain', 2));
      assert.deepEqual((await get(env, 'plain')).status, {}, 'the empty status a real server gives a new Deployment');
    } finally {
      await env.stop();
    }
  });

  it('refuses bad simulate options, naming the value', async () => {
    await assert.rejects(ApiServer.start({ simulate: { workloads: 'yes' as unknown as boolean } }), /simulate\.workloads must be true or false, got "yes"/);
    await assert.rejects(ApiServer.start({ simulate: { pods: true } as object }), /simulate has no option "pods"; it knows workloads/);
  });
});
