import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { SharedCache } from '../../../src/runtime/cache/shared-cache.js';
import { Client } from '../../../src/runtime/client/client.js';
import type { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { alwaysHeldGuard } from '../../../src/runtime/leaderelection/lease-guard.js';
import type { EventRecorder, Logger, LogFields, Request, Runnable } from '../../../src/runtime/types.js';
import { FakeListerWatcher } from '../informer/fake-lister-watcher.js';
import { Widget } from './fixtures.js';

test('watches() with an async map: resolved requests are reconciled (deduplicated), a rejected map is logged and maps nothing', async () => {
  const errors: Array<{ msg: string; fields?: LogFields }> = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (msg, fields) => errors.push({ msg, fields }), child: () => logger };
  const clock = new FakeClock();
  const sources = new Map([['widgets', new FakeListerWatcher()], ['configmaps', new FakeListerWatcher()]]);
  const cache = new SharedCache({ listerWatcherFor: (rt) => sources.get(rt.plural)!, clock, logger });
  const runnables: Runnable[] = [];
  const host = {
    kubeConfig: {} as KubeConfig, logger, clock, metricsRegistry: new Registry(), leaseGuard: alwaysHeldGuard, defaultMaxConcurrentReconciles: 1,
    cache, client: new Client({ transport: {} as RestTransport, cache, fieldManager: 'x' }),
    add: (r: Runnable) => runnables.push(r), eventRecorder: (): EventRecorder => ({ event() {} }),
  };
  const reconciled: string[] = [];
  controllerManagedBy(host)
    .for(Widget)
    .watches(ConfigMap, async (cm) => {
      await flushMicrotasks(3); // resolves later than a synchronous map would
      if (cm.metadata?.name === 'bad') throw new Error('lookup failed');
      return [{ namespace: 'default', name: 'w1' }, { namespace: 'default', name: 'w1' }];
    })
    .complete({ async reconcile(req: Request) { reconciled.push(req.name); } });
  const ac = new AbortController();
  const running = Promise.all([cache.start(ac.signal), ...runnables.map((r) => r.start(ac.signal))]);
  try {
    await flushMicrotasks(40);
    assert.deepEqual(reconciled, []);
    sources.get('configmaps')!.put('bad');
    await flushMicrotasks(40);
    assert.deepEqual(reconciled, []);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.msg, /watch map function failed/);
    assert.deepEqual([errors[0]!.fields?.kind, errors[0]!.fields?.error], ['ConfigMap', 'lookup failed']);
    sources.get('configmaps')!.put('good');
    await flushMicrotasks(40);
    assert.deepEqual(reconciled, ['w1']);
  } finally {
    ac.abort();
    await running;
  }
});
