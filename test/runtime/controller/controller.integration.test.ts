import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { TerminalError, type ReconcileContext } from '../../../src/runtime/controller/types.js';
import { setControllerReference } from '../../../src/runtime/helpers/owner-references.js';
import type { Request } from '../../../src/runtime/types.js';
import { TestHost, Widget, eventually, recordingLogger, widgetCrd, type LogLine } from './fixtures.js';

let env: TestEnv;
before(async () => {
  env = await startTestEnv({ crds: [widgetCrd] });
});
after(async () => {
  await env.stop();
});

/** Reconciles Widgets: owns a ConfigMap child, writes status, fails on demand. */
class WidgetReconciler {
  calls = new Map<string, number>();
  absent: string[] = [];
  active = 0;
  maxActiveSameKey = 0;
  private activeKeys = new Map<string, number>();

  async reconcile(req: Request, ctx: ReconcileContext) {
    const key = `${req.namespace}/${req.name}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    this.activeKeys.set(key, (this.activeKeys.get(key) ?? 0) + 1);
    this.maxActiveSameKey = Math.max(this.maxActiveSameKey, this.activeKeys.get(key)!);
    try {
      ctx.log.info('reconcile started');
      const widget = await ctx.client.get(Widget, req.namespace, req.name);
      if (!widget) {
        this.absent.push(key);
        return;
      }
      if (widget.spec?.fail === 'terminal') throw new TerminalError('spec cannot work');
      if (widget.spec?.fail === 'transient' && this.calls.get(key)! <= 3) throw new Error('transient trouble');
      if (widget.spec?.fail === 'throw-sync') throw new TypeError('a bug');
      const childName = `${req.name}-child`;
      if (!(await ctx.client.get(ConfigMap, req.namespace, childName))) {
        const child = { metadata: { name: childName, namespace: req.namespace }, data: { size: String(widget.spec?.size ?? 0) } };
        setControllerReference(widget, child);
        await ctx.client.create(ConfigMap, child);
      }
      await new Promise((r) => setTimeout(r, 2)); // give a second worker a chance to overlap
      if (widget.status?.observedSize === widget.spec?.size) return; // nothing to write: no self-triggered loop
      widget.status = { ...widget.status, observedSize: widget.spec?.size, reconciles: this.calls.get(key) };
      await ctx.client.updateStatus(Widget, widget);
      ctx.recorder.event(widget, 'Normal', 'Reconciled', `size ${widget.spec?.size}`);
    } finally {
      this.activeKeys.set(key, this.activeKeys.get(key)! - 1);
    }
  }
}

async function runController(ns: string, options: { maxConcurrentReconciles?: number } = {}) {
  await env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const lines: LogLine[] = [];
  const host = new TestHost(env.kubeConfig, { logger: recordingLogger(lines) });
  const reconciler = new WidgetReconciler();
  const controller = controllerManagedBy(host).for(Widget).owns(ConfigMap).withOptions({ maxConcurrentReconciles: options.maxConcurrentReconciles ?? 2 }).complete(reconciler);
  const ac = new AbortController();
  const running = host.start(ac.signal);
  const stop = async () => {
    ac.abort();
    await running;
  };
  return { host, reconciler, controller, lines, stop, client: host.client };
}

test('create → reconcile → status written; owned child change → owner reconciled; delete delivered', async () => {
  const { reconciler, client, lines, stop, host } = await runController('ctl-basic');
  try {
    await client.create(Widget, { metadata: { name: 'w', namespace: 'ctl-basic' }, spec: { size: 3 } });
    const done = await eventually(async () => {
      const w = await client.read(Widget, 'ctl-basic', 'w');
      return w?.status?.observedSize === 3 ? w : undefined;
    }, 'status.observedSize = 3');
    assert.ok(done.status?.reconciles && done.status.reconciles >= 1);
    const child = await eventually(() => client.read(ConfigMap, 'ctl-basic', 'w-child'), 'the owned child');
    assert.equal(child.metadata?.ownerReferences?.[0]?.controller, true);

    const before = reconciler.calls.get('ctl-basic/w')!;
    await eventually(async () => {
      // status writes can still trigger a reconcile; wait until quiet
      const n = reconciler.calls.get('ctl-basic/w')!;
      await new Promise((r) => setTimeout(r, 100));
      return reconciler.calls.get('ctl-basic/w') === n ? true : undefined;
    }, 'the controller to settle');
    const settled = reconciler.calls.get('ctl-basic/w')!;
    assert.ok(settled >= before);
    await client.patch(ConfigMap, 'ctl-basic', 'w-child', { data: { size: 'tampered' } });
    await eventually(() => (reconciler.calls.get('ctl-basic/w')! > settled ? true : undefined), 'the owner reconciled after its child changed');

    await client.delete(Widget, 'ctl-basic', 'w');
    await eventually(() => (reconciler.absent.includes('ctl-basic/w') ? true : undefined), 'a reconcile that sees the object absent');

    const reconcileLines = lines.filter((l) => l.msg === 'reconcile started');
    assert.ok(reconcileLines.length > 0);
    for (const l of reconcileLines) {
      assert.match(String(l.fields.reconcileId), /^[0-9a-f-]{36}$/);
      assert.equal(l.fields.controller, 'widget');
      assert.equal(l.fields.namespace, 'ctl-basic');
    }
    assert.equal(new Set(reconcileLines.map((l) => l.fields.reconcileId)).size, reconcileLines.length, 'one id per reconcile');
    const metrics = await host.metricsRegistry.getSingleMetricAsString('controller_runtime_reconcile_total');
    assert.match(metrics, /controller_runtime_reconcile_total\{controller="widget",result="success"\} [1-9]/);
  } finally {
    await stop();
  }
  assert.equal(reconciler.maxActiveSameKey, 1, 'one object is never reconciled by two workers at once');
});

test('errors retry with backoff until success; terminal errors are not retried; thrown bugs never crash', async () => {
  const { reconciler, client, lines, stop, host } = await runController('ctl-errors');
  try {
    await client.create(Widget, { metadata: { name: 'flaky', namespace: 'ctl-errors' }, spec: { size: 1, fail: 'transient' } });
    await client.create(Widget, { metadata: { name: 'doomed', namespace: 'ctl-errors' }, spec: { size: 1, fail: 'terminal' } });
    await client.create(Widget, { metadata: { name: 'buggy', namespace: 'ctl-errors' }, spec: { size: 1, fail: 'throw-sync' } });
    await eventually(async () => ((await client.read(Widget, 'ctl-errors', 'flaky'))?.status?.observedSize === 1 ? true : undefined), 'flaky to succeed after retries');
    assert.ok(reconciler.calls.get('ctl-errors/flaky')! >= 4, 'three failures then a success');
    const retries = lines.filter((l) => l.msg.startsWith('Reconciler error; retrying') && l.fields.name === 'flaky');
    assert.equal(retries.length, 3);
    await eventually(() => (reconciler.calls.get('ctl-errors/buggy')! >= 3 ? true : undefined), 'buggy retried');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(reconciler.calls.get('ctl-errors/doomed'), 1, 'a terminal error is not retried');
    assert.ok(lines.some((l) => l.level === 'error' && /terminal/.test(l.msg) && l.fields.name === 'doomed'));
    const errors = await host.metricsRegistry.getSingleMetricAsString('controller_runtime_reconcile_errors_total');
    assert.match(errors, /controller="widget"\} ([4-9]|\d\d+)/);
  } finally {
    await stop();
  }
});

test('stop waits for the in-flight reconcile before start() resolves', async () => {
  await env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ctl-stop' } });
  const host = new TestHost(env.kubeConfig);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered = false;
  let finished = false;
  controllerManagedBy(host).for(Widget).named('slow').complete({
    async reconcile() {
      entered = true;
      await gate;
      finished = true;
    },
  });
  const ac = new AbortController();
  let stopped = false;
  const running = host.start(ac.signal).then(() => (stopped = true));
  await host.client.create(Widget, { metadata: { name: 's', namespace: 'ctl-stop' } });
  await eventually(() => (entered ? true : undefined), 'the reconcile to start');
  ac.abort();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(stopped, false, 'still waiting for the in-flight reconcile');
  release();
  await running;
  assert.equal(finished, true);
});
