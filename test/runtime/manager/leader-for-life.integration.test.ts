import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { RecordingRunnable } from './fakes.js';

const NS = 'default';

async function createPod(kc: KubeConfig, name: string): Promise<string> {
  const pod = await kc.makeApiClient(CoreV1Api).createNamespacedPod({
    namespace: NS,
    body: { metadata: { name }, spec: { containers: [{ name: 'manager', image: 'controller:latest' }] } },
  });
  return pod.metadata!.uid!;
}

function newManager(kc: KubeConfig, pod: string, id: string, releaseOnCancel = true) {
  return new Manager({
    kubeConfig: kc,
    logger: silentLogger,
    healthProbeBindAddress: '0',
    defaultMetrics: false,
    metricsBindAddress: '127.0.0.1:0',
    leaderElection: { enabled: true, strategy: 'for-life', id, pod: { name: pod, namespace: NS }, releaseOnCancel, forLifeMaxBackoffMs: 2_000 },
  });
}

async function lockOwner(kc: KubeConfig, name: string): Promise<string | undefined> {
  try {
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name, namespace: NS });
    return cm.metadata?.ownerReferences?.map((r) => `${r.kind}/${r.name}/${r.uid}`).join(',');
  } catch {
    return undefined;
  }
}

async function metricsText(m: Manager): Promise<string> {
  return (await fetch(`http://${m.metricsAddress()}/metrics`)).text();
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startPair(kc: KubeConfig, id: string, releaseOnCancel = true) {
  const uidA = await createPod(kc, `${id}-a`);
  const uidB = await createPod(kc, `${id}-b`);
  const log: string[] = [];
  const a = newManager(kc, `${id}-a`, id, releaseOnCancel);
  const b = newManager(kc, `${id}-b`, id, releaseOnCancel);
  a.add(new RecordingRunnable('a-controller', log, true));
  b.add(new RecordingRunnable('b-controller', log, true));
  const stopA = new AbortController();
  const stopB = new AbortController();
  const runA = a.start(stopA.signal);
  await a.elected();
  const runB = b.start(stopB.signal);
  await settle(300); // b has tried once and waits on its backoff, watching the lock
  return { a, b, stopA, stopB, runA, runB, log, uidA, uidB };
}

test('for-life on the embedded server: one leader owns the lock; a graceful stop deletes it and the other leads at once', async (t) => {
  const env = await startTestEnv();
  t.after(() => env.stop());
  const kc = env.kubeConfig;
  const { a, b, stopA, stopB, runA, runB, log, uidA, uidB } = await startPair(kc, 'graceful');
  assert.equal(a.isLeader(), true);
  assert.equal(b.isLeader(), false);
  assert.ok(log.some((l) => l.startsWith('a-controller')), `the leader runs its controller: ${log.join(', ')}`);
  assert.equal(log.some((l) => l.startsWith('b-controller')), false, 'the standby does not');
  assert.equal(await lockOwner(kc, 'graceful'), `Pod/graceful-a/${uidA}`);
  assert.match(await metricsText(a), /leader_election_master_status\{name="graceful"\} 1/);
  assert.match(await metricsText(b), /leader_election_master_status\{name="graceful"\} 0/);

  const stoppedAt = performance.now();
  stopA.abort();
  await b.elected();
  const handOverMs = performance.now() - stoppedAt;
  await runA;
  // b's backoff is 1-2 s at this point: only the watch of the deletion makes this fast.
  assert.ok(handOverMs < 900, `hand-over took ${handOverMs.toFixed(0)} ms`);
  assert.equal(await lockOwner(kc, 'graceful'), `Pod/graceful-b/${uidB}`);
  assert.match(await metricsText(b), /leader_election_master_status\{name="graceful"\} 1/);
  stopB.abort();
  await runB;
  assert.equal(await lockOwner(kc, 'graceful'), undefined, 'the last leader deleted its lock too');
});

test('for-life: a killed leader whose Pod is deleted loses the lock to garbage collection and the other takes over', async (t) => {
  const env = await startTestEnv();
  t.after(() => env.stop());
  const kc = env.kubeConfig;
  // releaseOnCancel false: stopping `a` leaves its lock behind, as a SIGKILL would.
  const { a, b, stopA, stopB, runA, runB, uidB } = await startPair(kc, 'crash', false);
  stopA.abort();
  await runA;
  await settle(2_500);
  assert.equal(b.isLeader(), false, 'the lock of a live Pod is respected even though its process stopped');
  assert.match((await lockOwner(kc, 'crash'))!, /^Pod\/crash-a\//);
  const deletedAt = performance.now();
  await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: 'crash-a', namespace: NS });
  await b.elected();
  const takeOverMs = performance.now() - deletedAt;
  assert.ok(takeOverMs < 2_500, `take-over took ${takeOverMs.toFixed(0)} ms`);
  assert.equal(await lockOwner(kc, 'crash'), `Pod/crash-b/${uidB}`);
  assert.equal(a.isLeader(), false);
  stopB.abort();
  await runB;
});

test('for-life: a lock owned by an evicted Pod is deleted as stale (no garbage collection involved) and taken over', async (t) => {
  const env = await startTestEnv();
  t.after(() => env.stop());
  const kc = env.kubeConfig;
  const { stopA, stopB, runA, runB, b, uidB } = await startPair(kc, 'evicted', false);
  stopA.abort();
  await runA;
  const core = kc.makeApiClient(CoreV1Api);
  const pod = await core.readNamespacedPod({ name: 'evicted-a', namespace: NS });
  await core.replaceNamespacedPodStatus({ name: 'evicted-a', namespace: NS, body: { ...pod, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } } });
  await b.elected();
  assert.equal(await lockOwner(kc, 'evicted'), `Pod/evicted-b/${uidB}`);
  assert.ok((await core.readNamespacedPod({ name: 'evicted-a', namespace: NS })).metadata?.uid, 'the evicted Pod itself is left alone');
  stopB.abort();
  await runB;
});

test('for-life: a manager whose Pod does not exist stops with LeaderForLifeError and never leads', async (t) => {
  const env = await startTestEnv();
  t.after(() => env.stop());
  const log: string[] = [];
  const m = newManager(env.kubeConfig, 'no-such-pod', 'ghost');
  m.add(new RecordingRunnable('ctrl', log, true));
  await assert.rejects(m.start(new AbortController().signal), (err: unknown) => (err as { code?: string }).code === 'ELEADERFORLIFE' && /no-such-pod/.test((err as Error).message));
  assert.equal(m.isLeader(), false);
  assert.deepEqual(log, []);
  assert.equal(await lockOwner(env.kubeConfig, 'ghost'), undefined);
});
