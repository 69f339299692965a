/**
 * Regression: an update event used to enqueue the same request twice (for the new and the old object). A waiting
 * worker takes an item the moment it is added, so the second add counted as a re-add during processing and the
 * object was reconciled again straight after its status write, from a cache that had not seen that write yet:
 * a spurious 409 Conflict after every spec change.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import type { ReconcileContext } from '../../../src/runtime/controller/types.js';
import type { Request } from '../../../src/runtime/types.js';
import { TestHost, Widget, eventually, widgetCrd } from './fixtures.js';

let env: TestEnv;
before(async () => {
  env = await startTestEnv({ crds: [widgetCrd] });
});
after(async () => {
  await env.stop();
});

test('a status write is followed by one reconcile that sees it, never a stale one', async () => {
  const host = new TestHost(env.kubeConfig);
  const reads: Array<{ resourceVersion: string; observed: number | undefined; size: number | undefined }> = [];
  let conflicts = 0;
  controllerManagedBy(host).named('widget-status').for(Widget).complete({
    async reconcile(req: Request, ctx: ReconcileContext) {
      const widget = await ctx.client.get(Widget, req.namespace, req.name);
      if (!widget) return;
      reads.push({ resourceVersion: widget.metadata!.resourceVersion!, observed: widget.status?.observedSize, size: widget.spec?.size });
      if (widget.status?.observedSize === widget.spec?.size) return;
      widget.status = { ...widget.status, observedSize: widget.spec?.size };
      try {
        await ctx.client.updateStatus(Widget, widget);
      } catch (err) {
        conflicts++;
        throw err;
      }
    },
  });
  const stop = new AbortController();
  const running = host.start(stop.signal);
  try {
    await host.client.create(Widget, { apiVersion: Widget.apiVersion, kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 1 } });
    await eventually(() => reads.some((r) => r.observed === 1) || undefined, 'the status write to be seen');
    const current = (await host.client.read(Widget, 'default', 'w'))!;
    await host.client.patch(Widget, 'default', 'w', { spec: { size: 2 } });
    await eventually(() => reads.some((r) => r.observed === 2) || undefined, 'the second status write to be seen');
    // Let any straggling reconcile run; there must be none that read a stale object.
    await new Promise((r) => setTimeout(r, 200));

    assert.equal(conflicts, 0, `no reconcile wrote from a stale read: ${JSON.stringify(reads)}`);
    const afterPatch = reads.filter((r) => Number(r.resourceVersion) > Number(current.metadata!.resourceVersion));
    assert.deepEqual(afterPatch.map((r) => [r.size, r.observed]), [[2, 1], [2, 2]], 'one reconcile writes, one sees the write');
  } finally {
    stop.abort();
    await running;
  }
});
