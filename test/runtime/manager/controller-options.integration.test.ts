import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { FakeClock } from '../../../src/runtime/fake-clock.js';

/** Polls until `fn` is true; fails with `what` after `ms` (a correctness bound, not a speed claim). */
async function eventually(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('needLeaderElection false: the controller runs on the standby too, and its writes are not fenced', async (t) => {
  const stopA = new AbortController();
  const stopB = new AbortController();
  const env = await startTestEnv();
  // A failed assertion must not leave the managers running (the test would never end).
  t.after(() => {
    stopA.abort();
    stopB.abort();
    return env.stop();
  });
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  const leaderOnly: Record<string, string[]> = { a: [], b: [] };
  const managers = ['a', 'b'].map((who) => {
    const m = new Manager({
      kubeConfig: env.kubeConfig,
      logger: silentLogger,
      healthProbeBindAddress: '0',
      defaultMetrics: false,
      leaderElection: { enabled: true, id: 'unelected.example.com', namespace: 'default', identity: `replica-${who}`, leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
    });
    // Writes an annotation of its own on every ConfigMap: the standby's patch fails with LeaseNotHeldError if fenced.
    controllerManagedBy(m)
      .named('everywhere')
      .for(ConfigMap)
      .withOptions({ needLeaderElection: false })
      .complete({
        async reconcile(req, ctx) {
          const cm = await ctx.client.get(ConfigMap, req);
          if (cm && !cm.metadata?.annotations?.[`seen-by-${who}`]) {
            await ctx.client.patch(ConfigMap, req.namespace, req.name, { metadata: { annotations: { [`seen-by-${who}`]: 'yes' } } });
          }
        },
      });
    controllerManagedBy(m)
      .named('leader-only')
      .for(ConfigMap)
      .complete({
        async reconcile(req) {
          leaderOnly[who]!.push(req.name);
        },
      });
    return m;
  });
  const [a, b] = managers as [Manager, Manager];
  const runA = a.start(stopA.signal);
  await a.elected();
  const runB = b.start(stopB.signal);

  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'shared' }, data: {} } });
  await eventually('both replicas annotate "shared"', async () => {
    const annotations = (await core.readNamespacedConfigMap({ name: 'shared', namespace: 'default' })).metadata?.annotations ?? {};
    return annotations['seen-by-a'] === 'yes' && annotations['seen-by-b'] === 'yes';
  });
  assert.equal(b.isLeader(), false, 'b annotated while standing by');
  assert.ok(leaderOnly.a!.includes('shared'));
  assert.deepEqual(leaderOnly.b, [], 'the leader-only controller does not run on the standby');

  stopB.abort();
  stopA.abort();
  await Promise.all([runA, runB]); // both stop, the unelected controllers with the rest
});

test('syncPeriodMs on the manager: every cached object is reconciled again after the (jittered) period', async (t) => {
  const stop = new AbortController();
  const env = await startTestEnv();
  t.after(() => {
    stop.abort();
    return env.stop();
  });
  const clock = new FakeClock();
  const manager = new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, clock, healthProbeBindAddress: '0', defaultMetrics: false, syncPeriodMs: 60_000 });
  const seen: string[] = [];
  controllerManagedBy(manager)
    .for(ConfigMap)
    .withEventFilter({ create: (o) => o.metadata?.namespace === 'resync', update: (_o, n) => n.metadata?.namespace === 'resync' })
    .complete({
      async reconcile(req) {
        seen.push(req.name);
      },
    });
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'resync' } } });
  await core.createNamespacedConfigMap({ namespace: 'resync', body: { metadata: { name: 'one' } } });
  const running = manager.start(stop.signal);
  await eventually('the first reconcile', () => seen.length === 1);
  await clock.advance(53_000); // below the shortest jittered period (0.9 × 60 s)
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(seen.length, 1);
  await clock.advance(13_000); // past the longest (1.1 × 60 s)
  await eventually('the resync reconcile', () => seen.length === 2);
  assert.deepEqual(seen, ['one', 'one']);
  stop.abort();
  await running;
});
