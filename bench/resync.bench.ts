/**
 * Cost of the periodic resync (the manager's syncPeriodMs) for 10,000 and 50,000 cached ConfigMaps: one resync
 * pass that re-reconciles every object (a no-op reconcile), and one filtered out by generationChangedPredicate,
 * next to the baseline of the controller's start (initial list, replay and reconcile of every object) in the same
 * run. In-memory list/watch, so only the runtime's own work is measured; the clock is a FakeClock.
 * Run: node --import tsx bench/resync.bench.ts
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { FakeClock } from '../src/runtime/fake-clock.js';
import { SharedCache } from '../src/runtime/cache/shared-cache.js';
import { Client } from '../src/runtime/client/client.js';
import type { RestTransport } from '../src/runtime/client/rest-transport.js';
import { controllerManagedBy } from '../src/runtime/controller/builder.js';
import { generationChangedPredicate } from '../src/runtime/controller/predicates.js';
import { ConfigMap } from '../src/runtime/builtin-resources.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import { alwaysHeldGuard } from '../src/runtime/leaderelection/lease-guard.js';
import type { ListerWatcher } from '../src/runtime/informer/list-watch.js';
import type { EventRecorder, Runnable } from '../src/runtime/types.js';

const PERIOD_MS = 60_000;

/** Lists `objects` once; its watch stays open, silent, until aborted. */
function staticSource(objects: KubernetesObject[]): ListerWatcher<KubernetesObject> {
  return {
    list: async () => ({ items: objects, resourceVersion: '1' }),
    watch: (request) => new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true })),
  };
}

async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise<void>((r) => setImmediate(r));
}

async function run(n: number, filtered: boolean): Promise<{ startMs: number; resyncMs: number; reconciles: number }> {
  const objects = Array.from({ length: n }, (_, i): KubernetesObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'bench', generation: 1, resourceVersion: String(i + 1) } }));
  const clock = new FakeClock();
  // random() = 0.5: the jitter factor is exactly 1, so one advance of PERIOD_MS triggers one resync.
  const cache = new SharedCache({ listerWatcherFor: () => staticSource(objects), clock, logger: silentLogger, syncPeriodMs: PERIOD_MS, random: () => 0.5 });
  const runnables: Runnable[] = [];
  const host = {
    kubeConfig: {} as KubeConfig, logger: silentLogger, clock, metricsRegistry: new Registry(), leaseGuard: alwaysHeldGuard,
    defaultMaxConcurrentReconciles: 1, cache, client: new Client({ transport: {} as RestTransport, cache, fieldManager: 'bench' }),
    add: (r: Runnable) => runnables.push(r), eventRecorder: (): EventRecorder => ({ event() {} }),
  };
  let reconciles = 0;
  controllerManagedBy(host).for(ConfigMap, { predicates: filtered ? [generationChangedPredicate] : [] }).complete({
    async reconcile() {
      reconciles++;
    },
  });
  const ac = new AbortController();
  let started = performance.now();
  const running = Promise.all([cache.start(ac.signal), ...runnables.map((r) => r.start(ac.signal))]);
  await waitUntil(() => reconciles === n);
  const startMs = performance.now() - started;
  started = performance.now();
  await clock.advance(PERIOD_MS);
  await waitUntil(() => reconciles === (filtered ? n : 2 * n));
  const resyncMs = performance.now() - started;
  const result = { startMs, resyncMs, reconciles: reconciles - n };
  ac.abort();
  await running;
  return result;
}

console.log('objects | start: list + replay + reconcile each (baseline) | resync pass, every object reconciled | resync pass, filtered by generationChangedPredicate');
for (const n of [10_000, 50_000]) {
  const all = await run(n, false);
  const filtered = await run(n, true);
  console.log(
    `${n} | ${all.startMs.toFixed(0)} ms | ${all.resyncMs.toFixed(0)} ms (${all.reconciles} reconciles) | ${filtered.resyncMs.toFixed(0)} ms (${filtered.reconciles} reconciles)`,
  );
}
