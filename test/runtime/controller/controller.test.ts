import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { SharedCache } from '../../../src/runtime/cache/shared-cache.js';
import { Client } from '../../../src/runtime/client/client.js';
import type { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ReconcilePanicError } from '../../../src/runtime/controller/controller.js';
import { TerminalError, type ReconcileContext } from '../../../src/runtime/controller/types.js';
import { generationChangedPredicate } from '../../../src/runtime/controller/predicates.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { ValidationError } from '../../../src/errors.js';
import type { EventRecorder, Request, Result, Runnable } from '../../../src/runtime/types.js';
import { FakeListerWatcher } from '../informer/fake-lister-watcher.js';
import { Widget } from './fixtures.js';
import { alwaysHeldGuard } from '../../../src/runtime/leaderelection/lease-guard.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';

/** A host whose cache is fed by in-memory lister-watchers and whose time is a FakeClock. */
function fakeHost() {
  const clock = new FakeClock();
  const sources = new Map<string, FakeListerWatcher>();
  const source = (plural: string) => {
    let lw = sources.get(plural);
    if (!lw) sources.set(plural, (lw = new FakeListerWatcher()));
    return lw;
  };
  const cache = new SharedCache({ listerWatcherFor: (rt) => source(rt.plural), clock, logger: silentLogger });
  const runnables: Runnable[] = [];
  const host = {
    kubeConfig: {} as KubeConfig,
    logger: silentLogger,
    clock,
    metricsRegistry: new Registry(),
    leaseGuard: alwaysHeldGuard,
    defaultMaxConcurrentReconciles: 1,
    cache,
    client: new Client({ transport: {} as RestTransport, cache, fieldManager: 'x' }),
    add: (r: Runnable) => runnables.push(r),
    eventRecorder: (): EventRecorder => ({ event() {} }),
  };
  const ac = new AbortController();
  const start = () => Promise.all([cache.start(ac.signal), ...runnables.map((r) => r.start(ac.signal))]);
  return { host, clock, source, ac, start };
}

/** Settles pending work: real microtasks only, no real sleeping. */
const settle = () => flushMicrotasks(40);

function scripted(script: (req: Request, n: number, ctx: ReconcileContext) => Result | void) {
  const calls: Array<{ name: string; at: number; ctx: ReconcileContext }> = [];
  return {
    calls,
    reconciler: {
      async reconcile(req: Request, ctx: ReconcileContext) {
        calls.push({ name: req.name, at: ctx.clock.now(), ctx });
        return script(req, calls.filter((c) => c.name === req.name).length, ctx);
      },
    },
  };
}

test('result handling on a fake clock: requeueAfter, requeue with backoff, errors with backoff, terminal', async () => {
  const { host, clock, source, ac, start } = fakeHost();
  const t0 = clock.now();
  const { calls, reconciler } = scripted((req, n) => {
    if (req.name === 'after') return n < 3 ? { requeueAfter: 60_000 } : undefined;
    if (req.name === 'again') return n < 3 ? { requeue: true } : undefined;
    if (req.name === 'fails' && n < 4) throw new Error(`failure ${n}`);
    if (req.name === 'terminal') throw new TerminalError('no');
    return undefined;
  });
  const cms = source('configmaps');
  for (const name of ['after', 'again', 'fails', 'terminal']) cms.put(name, {}, 'default', false);
  controllerManagedBy(host).for(ConfigMap).complete(reconciler);
  const running = start();
  await settle();
  const times = (name: string) => calls.filter((c) => c.name === name).map((c) => c.at - t0);
  assert.deepEqual(times('after'), [0]);
  assert.deepEqual(times('terminal'), [0]);
  await clock.advance(5); // first retry of 'again' and 'fails': 5 ms
  await clock.advance(10); // second: +10 ms
  await clock.advance(20); // third 'fails' retry: +20 ms
  assert.deepEqual(times('again'), [0, 5, 15]);
  assert.deepEqual(times('fails'), [0, 5, 15, 35]);
  await clock.advance(60_000);
  await clock.advance(60_000);
  assert.deepEqual(times('after'), [0, 60_000, 120_000], 'requeueAfter waits exactly its delay, then stops when not asked again');
  assert.deepEqual(times('terminal'), [0], 'terminal errors are not retried');
  assert.equal(times('fails').length, 4, 'no more retries after success');
  ac.abort();
  await running;
});

test('a reconcile that failed with LeaseNotHeldError (or an error caused by one) is dropped, not retried', async () => {
  const { host, clock, source, ac, start } = fakeHost();
  const lines: string[] = [];
  const log = { ...silentLogger, info: (msg: string) => lines.push(msg), child: () => log };
  const { calls, reconciler } = scripted((req) => {
    if (req.name === 'fenced') throw new LeaseNotHeldError('lease gone');
    if (req.name === 'wrapped') throw new Error('status write failed', { cause: new LeaseNotHeldError('lease gone') });
    throw new Error('ordinary failure');
  });
  const cms = source('configmaps');
  for (const name of ['fenced', 'wrapped', 'ordinary']) cms.put(name, {}, 'default', false);
  controllerManagedBy({ ...host, logger: log }).for(ConfigMap).complete(reconciler);
  const running = start();
  await settle();
  for (let i = 0; i < 10; i++) await clock.advance(1_000);
  const count = (name: string) => calls.filter((c) => c.name === name).length;
  assert.equal(count('fenced'), 1);
  assert.equal(count('wrapped'), 1);
  assert.ok(count('ordinary') > 1, 'an ordinary error is retried with backoff');
  assert.equal(lines.filter((l) => /no longer holds the lease/.test(l)).length, 2, 'one info line per dropped reconcile');
  ac.abort();
  await running;
});

test('events map to requests: predicates filter, owned children map to their controller owner, deletes are delivered', async () => {
  const { host, source, ac, start } = fakeHost();
  const { calls, reconciler } = scripted(() => undefined);
  controllerManagedBy(host)
    .for(Widget, { predicates: [generationChangedPredicate] })
    .owns(ConfigMap)
    .watches(ConfigMap, (cm: KubernetesObject) => (cm.metadata?.labels?.widget ? [{ namespace: 'default', name: cm.metadata.labels.widget }] : []))
    .complete(reconciler);
  const running = start();
  await settle();
  const widgets = source('widgets');
  const cms = source('configmaps');
  await widgets.waitForWatches(1);
  await cms.waitForWatches(1);
  widgets.put('w', { metadata: { name: 'w', namespace: 'default', generation: 1 } });
  await settle();
  assert.deepEqual(calls.map((c) => c.name), ['w']);
  widgets.broadcast({ type: 'MODIFIED', object: { metadata: { name: 'w', namespace: 'default', generation: 1, resourceVersion: '500' } } });
  await settle();
  assert.equal(calls.length, 1, 'status-only change filtered by generationChangedPredicate');
  cms.put('child', { metadata: { name: 'child', namespace: 'default', ownerReferences: [{ apiVersion: 'test.operator-ts.dev/v1', kind: 'Widget', name: 'w', uid: 'u', controller: true }] } });
  cms.put('not-controller', { metadata: { name: 'not-controller', namespace: 'default', ownerReferences: [{ apiVersion: 'test.operator-ts.dev/v1', kind: 'Widget', name: 'x', uid: 'u' }] } });
  cms.put('other-group', { metadata: { name: 'other-group', namespace: 'default', ownerReferences: [{ apiVersion: 'other.dev/v1', kind: 'Widget', name: 'y', uid: 'u', controller: true }] } });
  cms.put('labelled', { metadata: { name: 'labelled', namespace: 'default', labels: { widget: 'z' } } });
  await settle();
  assert.deepEqual(calls.map((c) => c.name), ['w', 'w', 'z']);
  widgets.remove('w');
  await settle();
  assert.deepEqual(calls.map((c) => c.name), ['w', 'w', 'z', 'w']);
  ac.abort();
  await running;
});

test('context carries a fenced client, a reconcileId per reconcile, the clock and the stop signal', async () => {
  const { host, source, ac, start } = fakeHost();
  const { calls, reconciler } = scripted(() => undefined);
  source('configmaps').put('a', {}, 'default', false);
  source('configmaps').put('b', {}, 'default', false);
  controllerManagedBy(host).for(ConfigMap).withOptions({ maxConcurrentReconciles: 2 }).complete(reconciler);
  const running = start();
  await settle();
  assert.equal(calls.length, 2);
  assert.notEqual(calls[0].ctx.reconcileId, calls[1].ctx.reconcileId);
  assert.equal(calls[0].ctx.signal.aborted, false);
  ac.abort();
  await running;
  assert.equal(calls[0].ctx.signal.aborted, true);
});

test('recoverPanic: false stops the controller on a programming error (the default retries it: see the integration test)', async () => {
  const { host, source, ac, start } = fakeHost();
  source('configmaps').put('a', {}, 'default', false);
  controllerManagedBy(host).for(ConfigMap).withOptions({ recoverPanic: false }).complete({
    async reconcile() {
      throw new TypeError('undefined is not a function');
    },
  });
  await assert.rejects(start(), ReconcilePanicError);
  ac.abort();
});

test('builder validation: primary kind, reconciler, names, worker count', () => {
  const { host } = fakeHost();
  const noop = { reconcile: async () => undefined };
  assert.throws(() => controllerManagedBy(host).complete(noop), /no primary kind/);
  assert.throws(() => controllerManagedBy(host).for(ConfigMap).for(Widget), /for\(\) was called twice/);
  assert.throws(() => controllerManagedBy(host).for(ConfigMap).complete({} as never), /reconcile\(request, context\)/);
  assert.throws(() => controllerManagedBy(host).for(ConfigMap).named('Bad Name').complete(noop), (e: unknown) => e instanceof ValidationError && /"Bad Name"/.test(e.message));
  assert.throws(() => controllerManagedBy(host).for(ConfigMap).withOptions({ maxConcurrentReconciles: 0 }).complete(noop), /at least 1, got 0/);
  const c = controllerManagedBy(host).for(ConfigMap).complete(noop);
  assert.equal(c.name, 'configmap');
  assert.equal(c.needLeaderElection(), true);
  assert.throws(() => controllerManagedBy(host).for(ConfigMap).complete(noop), /already registered/);
});
