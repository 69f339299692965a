import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { testKubeConfig } from '../../../src/testing/kubeconfig-client.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { LeaderElectionLostError } from '../../../src/runtime/leaderelection/errors.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { RecordingRunnable } from './fakes.js';
import { startTcpProxy } from './tcp-proxy.js';

// Short but valid timings (lease > renew > 1.2 × retry) keep these tests quick on loopback.
const timings = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };

function newManager(kubeConfig: KubeConfig, identity: string, id: string) {
  return new Manager({
    kubeConfig,
    logger: silentLogger,
    healthProbeBindAddress: '0',
    defaultMetrics: false,
    leaderElection: { enabled: true, id, namespace: 'default', identity, ...timings },
  });
}

async function readLease(kc: KubeConfig, name: string) {
  return kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ name, namespace: 'default' });
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two managers contend on the embedded API server: exactly one leads, and a graceful stop hands over within 1 s', async (t) => {
  const env = await startTestEnv();
  t.after(() => env.stop());
  const log: string[] = [];
  const a = newManager(env.kubeConfig, 'replica-a', 'contend.example.com');
  const b = newManager(env.kubeConfig, 'replica-b', 'contend.example.com');
  a.add(new RecordingRunnable('a-controller', log, true));
  b.add(new RecordingRunnable('b-controller', log, true));
  const stopA = new AbortController();
  const stopB = new AbortController();
  const runA = a.start(stopA.signal);
  const runB = b.start(stopB.signal);
  await Promise.race([a.elected(), b.elected()]);
  await settle(3 * timings.retryPeriodMs);
  assert.equal(Number(a.isLeader()) + Number(b.isLeader()), 1, 'exactly one leader');
  const [leader, standby, stopLeader, runLeader, stopStandby, runStandby] = a.isLeader() ? [a, b, stopA, runA, stopB, runB] : [b, a, stopB, runB, stopA, runA];
  assert.equal(log.length, 1, `only the leader's controller runs: ${log.join(', ')}`);
  assert.equal((await readLease(env.kubeConfig, 'contend.example.com')).spec?.holderIdentity, leader.identity());

  const stoppedAt = performance.now();
  stopLeader.abort();
  await standby.elected();
  const handOverMs = performance.now() - stoppedAt;
  await runLeader;
  assert.ok(handOverMs < 1_000, `hand-over took ${handOverMs.toFixed(0)} ms`);
  const lease = await readLease(env.kubeConfig, 'contend.example.com');
  assert.equal(lease.spec?.holderIdentity, standby.identity());
  assert.equal(lease.spec?.leaseTransitions, 1);
  stopStandby.abort();
  await runStandby;
});

test('a leader cut off from the API server stops its controllers before its lease expires', async (t) => {
  const env = await startTestEnv();
  const proxy = await startTcpProxy(new URL(env.url));
  t.after(async () => {
    await proxy.close();
    await env.stop();
  });
  const events: string[] = [];
  const a = newManager(testKubeConfig(proxy.url), 'cut-a', 'cut.example.com');
  const ctrl = new RecordingRunnable('a-controller', events, true);
  a.add(ctrl);
  const runA = a.start(new AbortController().signal);
  await a.elected();
  // MicroTime on the wire: what the manager sent has six fractional digits.
  const sent = proxy.sent();
  const times = [...sent.matchAll(/"(acquireTime|renewTime)":"([^"]+)"/g)].map((m) => m[2]!);
  assert.ok(times.length >= 2, 'the proxy saw the lease body');
  for (const time of times) assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const stored = (await readLease(env.kubeConfig, 'cut.example.com')).spec!;
  assert.equal(typeof stored.renewTime, 'string', 'client-node hands MicroTime back as a string');

  const b = newManager(env.kubeConfig, 'cut-b', 'cut.example.com');
  b.add(new RecordingRunnable('b-controller', events, true));
  const stopB = new AbortController();
  const runB = b.start(stopB.signal);
  await settle(timings.retryPeriodMs);
  proxy.cut();
  await assert.rejects(runA, LeaderElectionLostError);
  assert.equal(a.leaseGuard.isHeld(), false);
  assert.equal(ctrl.stopped, true);
  await b.elected();
  // Order of events: a's controller stopped before b's started, so they never overlapped.
  assert.deepEqual(events, ['a-controller started', 'a-controller stopped', 'b-controller started']);
  stopB.abort();
  await runB;
});
