import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { testKubeConfig } from '../../../src/testing/kubeconfig-client.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { startTcpProxy } from './tcp-proxy.js';

/** Polls until `fn` is true; fails with `what` after `ms` (a correctness bound, not a speed claim). */
async function eventually(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** LIST requests for ConfigMaps in what a client sent (a watch carries watch=true and is not counted). */
function configMapLists(sent: string): string[] {
  return [...sent.matchAll(/^GET (\/api\/v1\/(?:namespaces\/[^/ ]+\/)?configmaps(?:\?[^ ]*)?) HTTP/gm)].map((m) => m[1]!).filter((path) => !/[?&]watch=(true|1)/.test(path));
}

function replica(kubeConfig: KubeConfig, who: string, reconciled: string[]) {
  const m = new Manager({
    kubeConfig,
    logger: silentLogger,
    healthProbeBindAddress: '127.0.0.1:0',
    defaultMetrics: false,
    leaderElection: { enabled: true, id: 'warm.example.com', namespace: 'default', identity: `replica-${who}`, leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
  });
  controllerManagedBy(m)
    .named(`warm-${who}`)
    .for(ConfigMap)
    .complete({
      async reconcile(req) {
        reconciled.push(req.name);
      },
    });
  return m;
}

test('a standby syncs its cache before it leads and, after the hand-over, reconciles every object without a LIST', async (t) => {
  const env = await startTestEnv();
  const proxy = await startTcpProxy(new URL(env.url));
  t.after(async () => {
    await proxy.close();
    await env.stop();
  });
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  for (const name of ['one', 'two', 'three']) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name } } });
  const byA: string[] = [];
  const byB: string[] = [];
  const a = replica(env.kubeConfig, 'a', byA);
  const b = replica(testKubeConfig(proxy.url), 'b', byB);
  const stopA = new AbortController();
  const runA = a.start(stopA.signal);
  await a.elected();
  const stopB = new AbortController();
  const runB = b.start(stopB.signal);
  t.after(() => {
    stopB.abort();
    return runB;
  });

  while (!b.healthProbeAddress()) await new Promise((r) => setTimeout(r, 10));
  await eventually('the standby is ready', async () => (await fetch(`http://${b.healthProbeAddress()}/readyz`)).status === 200);
  assert.equal(b.isLeader(), false);
  assert.equal(b.cache.informer(ConfigMap).hasSynced(), true, 'the standby\'s cache synced before it leads');
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'four' } } });
  await eventually('the standby\'s cache sees "four"', () => b.cache.informer(ConfigMap).store.get('default', 'four') !== undefined);
  await eventually('a reconciles everything', () => ['one', 'two', 'three', 'four'].every((n) => byA.includes(n)));
  assert.equal(byB.length, 0, 'the standby reconciles nothing');
  const listsBefore = configMapLists(proxy.sent());
  assert.equal(listsBefore.length, 1, `the standby listed ConfigMaps once, at start: ${listsBefore.join(', ')}`);

  stopA.abort();
  await runA;
  await b.elected();
  await eventually('b reconciles every existing ConfigMap', () => ['one', 'two', 'three', 'four'].every((n) => byB.includes(n)));
  assert.deepEqual(configMapLists(proxy.sent()), listsBefore, 'the new leader reconciled from its warm cache: no LIST after the hand-over');
});
