import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { SharedCache } from '../../../src/runtime/cache/shared-cache.js';
import { Client } from '../../../src/runtime/client/client.js';
import type { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ControllerOptionsError } from '../../../src/runtime/controller/build-options.js';
import { ReconcilePanicError, ReconcileTimeoutError } from '../../../src/runtime/controller/controller.js';
import { TerminalError, type ReconcileContext, type Predicate } from '../../../src/runtime/controller/types.js';
import { annotationChangedPredicate, generationChangedPredicate, labelChangedPredicate, objectPredicate, resourceVersionChangedPredicate } from '../../../src/runtime/controller/predicates.js';
import { ConfigMap, Secret } from '../../../src/runtime/builtin-resources.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import type { EventRecorder, Request, Result, Runnable } from '../../../src/runtime/types.js';
import { createLeaseGuard } from '../../../src/runtime/leaderelection/lease-guard.js';
import { FakeListerWatcher } from '../informer/fake-lister-watcher.js';

/** A host whose cache is fed by in-memory lister-watchers, whose time is a FakeClock and whose lease is held. */
function fakeHost(opts: { syncPeriodMs?: number; random?: () => number } = {}) {
  const clock = new FakeClock();
  const sources = new Map<string, FakeListerWatcher>();
  const source = (plural: string) => {
    let lw = sources.get(plural);
    if (!lw) sources.set(plural, (lw = new FakeListerWatcher()));
    return lw;
  };
  const cache = new SharedCache({ listerWatcherFor: (rt) => source(rt.plural), clock, logger: silentLogger, syncPeriodMs: opts.syncPeriodMs, random: opts.random });
  const runnables: Runnable[] = [];
  const leadership = new AbortController();
  const host = {
    kubeConfig: {} as KubeConfig,
    logger: silentLogger,
    clock,
    metricsRegistry: new Registry(),
    leaseGuard: createLeaseGuard({ clock, heldUntil: () => Infinity, leadership: () => leadership.signal, describe: () => 'test lease' }),
    defaultMaxConcurrentReconciles: 1,
    cache,
    client: new Client({ transport: {} as RestTransport, cache, fieldManager: 'x' }),
    add: (r: Runnable) => runnables.push(r),
    eventRecorder: (): EventRecorder => ({ event() {} }),
  };
  const ac = new AbortController();
  const start = () => Promise.all([cache.start(ac.signal), ...runnables.map((r) => r.start(ac.signal))]);
  return { host, clock, source, ac, start, runnables };
}

const settle = () => flushMicrotasks(40);

function recording(script: (req: Request, n: number, ctx: ReconcileContext) => Promise<Result | void> | Result | void = () => undefined) {
  const calls: Array<{ name: string; at: number; ctx: ReconcileContext }> = [];
  return {
    calls,
    count: (name: string) => calls.filter((c) => c.name === name).length,
    reconciler: {
      async reconcile(req: Request, ctx: ReconcileContext) {
        calls.push({ name: req.name, at: ctx.clock.now(), ctx });
        return script(req, calls.filter((c) => c.name === req.name).length, ctx);
      },
    },
  };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = registry.getSingleMetric(name);
  if (!m) return undefined;
  const { values } = await m.get();
  const v = values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val) && Object.keys(x.labels).length === Object.keys(labels).length);
  return v?.value;
}

test('syncPeriodMs: every cached object is re-delivered as an update at the jittered period; old and new are the same object', async () => {
  // random() = 0.5 gives the factor 0.9 + 0.5 / 5 = 1.0, so the period is exactly 60 s.
  const { host, clock, source, ac, start } = fakeHost({ syncPeriodMs: 60_000, random: () => 0.5 });
  const cms = source('configmaps');
  cms.put('a', { metadata: { name: 'a', namespace: 'default', generation: 1 } }, 'default', false);
  cms.put('b', { metadata: { name: 'b', namespace: 'default', generation: 1 } }, 'default', false);
  const all = recording();
  controllerManagedBy(host).named('all').for(ConfigMap).complete(all.reconciler);
  const filtered = recording();
  controllerManagedBy(host).named('generation').for(ConfigMap, { predicates: [generationChangedPredicate] }).complete(filtered.reconciler);
  const updates: Array<[KubernetesObject, KubernetesObject]> = [];
  host.cache.informer(ConfigMap).addEventHandler({ onUpdate: (o, n) => updates.push([o, n]) });
  const t0 = clock.now();
  const running = start();
  await settle();
  assert.deepEqual([all.count('a'), all.count('b'), filtered.count('a')], [1, 1, 1]);
  await clock.advance(59_999);
  assert.equal(all.calls.length, 2, 'nothing before the period');
  await clock.advance(1);
  assert.deepEqual([all.count('a'), all.count('b')], [2, 2], 'every object reconciled again at the period');
  assert.equal(all.calls.at(-1)!.at - t0, 60_000);
  assert.equal(filtered.calls.length, 2, 'generationChangedPredicate filters a resync out, as in controller-runtime');
  assert.equal(updates.length, 2);
  for (const [oldObj, newObj] of updates) assert.equal(oldObj, newObj, 'a resync is an update whose old and new are the same object');
  await clock.advance(60_000);
  assert.deepEqual([all.count('a'), all.count('b')], [3, 3], 'and again every period');
  assert.equal(host.cache.informer(ConfigMap).stats.resyncs, 2);
  ac.abort();
  await running;
});

test('a resync passes none of the change predicates (old and new are equal)', () => {
  const obj: KubernetesObject = { metadata: { name: 'x', generation: 3, resourceVersion: '9', labels: { a: '1' }, annotations: { b: '2' } } };
  for (const p of [generationChangedPredicate, resourceVersionChangedPredicate, labelChangedPredicate, annotationChangedPredicate]) assert.equal(p.update!(obj, obj), false);
  assert.equal(objectPredicate(() => true).update!(obj, obj), true, 'a predicate that does not compare lets it through');
});

test('each informer draws its own resync period in [0.9, 1.1) × syncPeriodMs', async () => {
  const draws = [0, 0.999];
  const { host, clock, source, ac, start } = fakeHost({ syncPeriodMs: 100_000, random: () => draws.shift() ?? 0.5 });
  source('configmaps').put('c', {}, 'default', false);
  source('secrets').put('s', {}, 'default', false);
  const cm = host.cache.informer(ConfigMap); // factor 0.9 → 90 s
  const secret = host.cache.informer(Secret); // factor 1.0998 → 109.98 s
  const running = start();
  await settle();
  await clock.advance(89_999);
  assert.deepEqual([cm.stats.resyncs, secret.stats.resyncs], [0, 0]);
  await clock.advance(1);
  assert.deepEqual([cm.stats.resyncs, secret.stats.resyncs], [1, 0]);
  await clock.advance(109_980 - 90_000 - 1);
  assert.equal(secret.stats.resyncs, 0);
  await clock.advance(1);
  assert.equal(secret.stats.resyncs, 1);
  ac.abort();
  await running;
});

test('reconcileTimeoutMs: the signal aborts at the timeout; the reconcile counts as an error and is retried with backoff', async () => {
  const { host, clock, source, ac, start } = fakeHost();
  source('configmaps').put('slow', {}, 'default', false);
  const reasons: unknown[] = [];
  const rec = recording((_req, n, ctx) => {
    if (n > 1) return undefined;
    // Honours its signal: rejects with the abort reason.
    return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => {
      reasons.push(ctx.signal.reason);
      reject(ctx.signal.reason);
    }));
  });
  controllerManagedBy(host).for(ConfigMap).withOptions({ reconcileTimeoutMs: 30_000 }).complete(rec.reconciler);
  const t0 = clock.now();
  const running = start();
  await settle();
  const sleepersWithTimer = clock.pendingSleepers; // the informer's watchdog and this reconcile's timeout
  await clock.advance(29_999);
  assert.equal(reasons.length, 0);
  await clock.advance(1);
  assert.equal(reasons.length, 1);
  assert.ok(reasons[0] instanceof ReconcileTimeoutError);
  assert.equal(rec.calls[0]!.ctx.signal.aborted, true);
  await clock.advance(5); // the first backoff step of the default rate limiter
  assert.deepEqual(rec.calls.map((c) => c.at - t0), [0, 30_005]);
  const reg = host.metricsRegistry;
  assert.equal(await metric(reg, 'controller_runtime_reconcile_errors_total', { controller: 'configmap' }), 1);
  assert.equal(await metric(reg, 'controller_runtime_reconcile_total', { controller: 'configmap', result: 'error' }), 1);
  assert.equal(await metric(reg, 'controller_runtime_reconcile_total', { controller: 'configmap', result: 'success' }), 1);
  assert.equal(await metric(reg, 'controller_runtime_reconcile_timeouts_total', { controller: 'configmap' }), 1);
  assert.equal(rec.calls[1]!.ctx.signal.aborted, false, 'each reconcile has its own timeout');
  assert.equal(clock.pendingSleepers, sleepersWithTimer - 1, 'a finished reconcile leaves no timer behind');
  ac.abort();
  await running;
});

test('reconcileTimeoutMs: a reconcile that ignores its signal is not killed, but its late success is treated as the error', async () => {
  const { host, clock, source, ac, start } = fakeHost();
  source('configmaps').put('stubborn', {}, 'default', false);
  const rec = recording(async (_req, n, ctx) => {
    if (n === 1) await ctx.clock.sleep(45_000); // ignores ctx.signal
    if (n === 2) throw new TerminalError('late terminal error');
    return undefined;
  });
  controllerManagedBy(host).for(ConfigMap).withOptions({ reconcileTimeoutMs: 10_000 }).complete(rec.reconciler);
  const t0 = clock.now();
  const running = start();
  await settle();
  await clock.advance(10_000);
  assert.equal(rec.calls[0]!.ctx.signal.aborted, true);
  assert.equal(rec.calls.length, 1, 'the worker still waits for it');
  await clock.advance(35_000);
  await clock.advance(5);
  assert.deepEqual(rec.calls.map((c) => c.at - t0), [0, 45_005], 'its success after the timeout was retried with backoff');
  const reg = host.metricsRegistry;
  assert.equal(await metric(reg, 'controller_runtime_reconcile_total', { controller: 'configmap', result: 'success' }), 0);
  assert.equal(await metric(reg, 'controller_runtime_reconcile_total', { controller: 'configmap', result: 'error' }), 2);
  assert.equal(await metric(reg, 'controller_runtime_terminal_reconcile_errors_total', { controller: 'configmap' }), 1, 'a terminal error within the timeout is terminal');
  assert.equal(await metric(reg, 'controller_runtime_reconcile_timeouts_total', { controller: 'configmap' }), 1, 'only the reconcile that outlived its timeout');
  ac.abort();
  await running;
});

test('reconcile panics: programming errors are counted whether recovered or not; other errors are not', async () => {
  const { host, clock, source, ac, start } = fakeHost();
  source('configmaps').put('type-error', {}, 'default', false);
  source('configmaps').put('plain-error', {}, 'default', false);
  const rec = recording((req, n) => {
    if (n > 2) return undefined;
    if (req.name === 'type-error') throw new TypeError('x is undefined');
    throw new Error('ordinary');
  });
  controllerManagedBy(host).for(ConfigMap).complete(rec.reconciler);
  const running = start();
  await settle();
  await clock.advance(5);
  await clock.advance(10);
  assert.equal(rec.count('type-error'), 3, 'recovered: retried with backoff');
  assert.equal(await metric(host.metricsRegistry, 'controller_runtime_reconcile_panics_total', { controller: 'configmap' }), 2);
  ac.abort();
  await running;

  const off = fakeHost();
  off.source('configmaps').put('a', {}, 'default', false);
  controllerManagedBy(off.host).for(ConfigMap).withOptions({ recoverPanic: false }).complete({
    async reconcile() {
      throw new RangeError('bad length');
    },
  });
  await assert.rejects(off.start(), ReconcilePanicError);
  assert.equal(await metric(off.host.metricsRegistry, 'controller_runtime_reconcile_panics_total', { controller: 'configmap' }), 1, 'counted when not recovered too');
  off.ac.abort();
});

test('withEventFilter applies to every watch of the controller, before its own predicates', async () => {
  const { host, source, ac, start } = fakeHost();
  const rec = recording();
  const onlyKeep: Predicate = objectPredicate((o) => o.metadata?.labels?.keep === 'yes');
  controllerManagedBy(host)
    .for(ConfigMap)
    .owns(Secret)
    .watches(Secret, (s) => [{ namespace: 'default', name: `mapped-${s.metadata!.name}` }])
    .withEventFilter(onlyKeep)
    .complete(rec.reconciler);
  const running = start();
  await settle();
  const cms = source('configmaps');
  const secrets = source('secrets');
  await cms.waitForWatches(1);
  await secrets.waitForWatches(1);
  cms.put('kept', { metadata: { name: 'kept', namespace: 'default', labels: { keep: 'yes' } } });
  cms.put('dropped', { metadata: { name: 'dropped', namespace: 'default' } });
  const owner = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u', controller: true }];
  secrets.put('s1', { metadata: { name: 's1', namespace: 'default', labels: { keep: 'yes' }, ownerReferences: owner } });
  secrets.put('s2', { metadata: { name: 's2', namespace: 'default', ownerReferences: owner } });
  await settle();
  assert.deepEqual(rec.calls.map((c) => c.name).sort(), ['kept', 'mapped-s1', 'owner']);
  ac.abort();
  await running;
});

test('needLeaderElection false: the controller says so and its reconciles get an unfenced client', async () => {
  const { host, source, ac, start } = fakeHost();
  source('configmaps').put('a', {}, 'default', false);
  const elected = recording();
  const everywhere = recording();
  const c1 = controllerManagedBy(host).named('elected').for(ConfigMap).complete(elected.reconciler);
  const c2 = controllerManagedBy(host).named('everywhere').for(ConfigMap).withOptions({ needLeaderElection: false }).complete(everywhere.reconciler);
  assert.equal(c1.needLeaderElection(), true);
  assert.equal(c2.needLeaderElection(), false);
  const running = start();
  await settle();
  assert.equal(elected.calls[0]!.ctx.client.fenced, true);
  assert.equal(everywhere.calls[0]!.ctx.client.fenced, false);
  ac.abort();
  await running;
});

test('controller metrics: workqueue series labelled name and controller; active workers, max concurrent reconciles, terminal errors', async () => {
  const { host, clock, source, ac, start } = fakeHost();
  source('configmaps').put('t', {}, 'default', false);
  source('configmaps').put('held', {}, 'default', false);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const rec = recording(async (req) => {
    if (req.name === 't') throw new TerminalError('bad spec');
    await gate;
  });
  controllerManagedBy(host).named('cm').for(ConfigMap).withOptions({ maxConcurrentReconciles: 3 }).complete(rec.reconciler);
  const running = start();
  await settle();
  const reg = host.metricsRegistry;
  const labels = { name: 'cm', controller: 'cm' };
  assert.equal(await metric(reg, 'controller_runtime_max_concurrent_reconciles', { controller: 'cm' }), 3);
  assert.equal(await metric(reg, 'controller_runtime_active_workers', { controller: 'cm' }), 1, "the held reconcile's worker");
  assert.equal(await metric(reg, 'controller_runtime_terminal_reconcile_errors_total', { controller: 'cm' }), 1);
  assert.equal(await metric(reg, 'controller_runtime_reconcile_errors_total', { controller: 'cm' }), 1);
  assert.equal(await metric(reg, 'workqueue_adds_total', labels), 2);
  assert.equal(await metric(reg, 'workqueue_depth', { ...labels, priority: '' }), 0);
  await clock.advance(1_500);
  const text = await reg.metrics();
  assert.match(text, /workqueue_longest_running_processor_seconds\{name="cm",controller="cm"\} 1\.5/);
  assert.match(text, /workqueue_queue_duration_seconds_bucket\{le="1e-8",name="cm",controller="cm"\}/);
  assert.match(text, /workqueue_work_duration_seconds_bucket\{le="1000",name="cm",controller="cm"\}/, "controller-runtime's 12 buckets: 1e-8 … 1000 s");
  release();
  await settle();
  assert.equal(await metric(reg, 'controller_runtime_active_workers', { controller: 'cm' }), 0);
  ac.abort();
  await running;
});

test('bad controller options and predicates fail at setup with typed errors', () => {
  const { host } = fakeHost();
  const noop = { reconcile: async () => undefined };
  let n = 0;
  const build = () => controllerManagedBy(host).named(`c${n++}`).for(ConfigMap);
  for (const bad of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5s' as unknown as number]) {
    assert.throws(() => build().withOptions({ reconcileTimeoutMs: bad }).complete(noop), (e: unknown) => e instanceof ControllerOptionsError && e.option === 'reconcileTimeoutMs' && e.message.includes(String(bad)) && /positive number of milliseconds/.test(e.message));
  }
  assert.throws(() => build().withOptions({ needLeaderElection: 'no' as unknown as boolean }).complete(noop), (e: unknown) => e instanceof ControllerOptionsError && e.option === 'needLeaderElection');
  assert.throws(() => build().withEventFilter(((o: KubernetesObject) => !!o) as unknown as Predicate), (e: unknown) => e instanceof ControllerOptionsError && /a function, not a predicate object/.test(e.message) && /objectPredicate/.test(e.hint!));
  assert.throws(() => build().withEventFilter(null as unknown as Predicate), (e: unknown) => e instanceof ControllerOptionsError && /predicate is null/.test(e.message));
  assert.throws(() => build().withEventFilter({ update: true } as unknown as Predicate), (e: unknown) => e instanceof ControllerOptionsError && /update is boolean, not a function/.test(e.message));
  assert.throws(() => controllerManagedBy(host).for(ConfigMap, { predicates: ['x' as unknown as Predicate] }), (e: unknown) => e instanceof ControllerOptionsError && /for\(ConfigMap\)/.test(e.message));
  assert.throws(() => controllerManagedBy(host).for(ConfigMap).owns(Secret, { predicates: generationChangedPredicate as unknown as Predicate[] }), (e: unknown) => e instanceof ControllerOptionsError && /must be an array/.test(e.message));
  // The failed builds registered nothing: the name is still free.
  assert.doesNotThrow(() => controllerManagedBy(host).named('c0').for(ConfigMap).withOptions({ reconcileTimeoutMs: 1_000 }).complete(noop));
});
