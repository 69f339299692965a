import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CoordinationV1Api } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

/** Polls until `fn` is true; fails with `what` after `ms` (a correctness bound, not a speed claim). */
async function eventually(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('real controllers run only on the leader and move to the standby on a graceful stop', async (t) => {
  const env = await startTestEnv();
  t.after(() => env.stop());
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  const reconciledBy: Record<string, string[]> = { a: [], b: [] };
  const managers = ['a', 'b'].map((who) => {
    const m = new Manager({
      kubeConfig: env.kubeConfig,
      logger: silentLogger,
      healthProbeBindAddress: '0',
      defaultMetrics: false,
      leaderElection: { enabled: true, id: 'controllers.example.com', namespace: 'default', identity: `replica-${who}`, leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
    });
    controllerManagedBy(m)
      .named(`cm-${who}`)
      .for(ConfigMap)
      .complete({
        async reconcile(req, ctx) {
          reconciledBy[who]!.push(req.name);
          const cm = await ctx.client.get(ConfigMap, req.namespace, req.name);
          if (cm && cm.data?.seenBy === undefined) await ctx.client.patch(ConfigMap, req.namespace, req.name, { data: { seenBy: who } });
        },
      });
    return m;
  });
  const [a, b] = managers as [Manager, Manager];
  const stopA = new AbortController();
  const runA = a.start(stopA.signal);
  await a.elected();
  const stopB = new AbortController();
  const runB = b.start(stopB.signal);

  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'first' }, data: {} } });
  await eventually('a reconciles "first"', async () => (await core.readNamespacedConfigMap({ name: 'first', namespace: 'default' })).data?.seenBy === 'a');
  assert.equal(reconciledBy.b!.length, 0, 'the standby reconciles nothing');

  stopA.abort();
  await runA;
  await b.elected();
  const holder = (await env.kubeConfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'controllers.example.com', namespace: 'default' })).spec?.holderIdentity;
  assert.equal(holder, 'replica-b');
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'second' }, data: {} } });
  await eventually('b reconciles "second"', async () => (await core.readNamespacedConfigMap({ name: 'second', namespace: 'default' })).data?.seenBy === 'b');
  assert.ok(!reconciledBy.a!.includes('second'));
  await eventually('"became leader" / "stopped leading" events on the Lease', async () => {
    const events = (await core.listNamespacedEvent({ namespace: 'default' })).items.filter((e) => e.reason === 'LeaderElection' && e.involvedObject.kind === 'Lease');
    const messages = events.map((e) => e.message ?? '');
    return ['replica-a became leader', 'replica-a stopped leading', 'replica-b became leader'].every((m) => messages.some((x) => x.includes(m)));
  });
  stopB.abort();
  await runB;
});
