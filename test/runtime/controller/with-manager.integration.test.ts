import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { Widget, widgetCrd, eventually } from './fixtures.js';

test('a controller built on the real Manager reconciles and stops with it', async () => {
  const env = await startTestEnv({ crds: [widgetCrd] });
  try {
    const manager = new Manager({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger });
    controllerManagedBy(manager).for(Widget).complete({
      async reconcile(req, ctx) {
        const w = await ctx.client.get(Widget, req.namespace, req.name);
        if (!w || w.status?.observedSize === w.spec?.size) return;
        w.status = { observedSize: w.spec?.size };
        await ctx.client.updateStatus(Widget, w);
      },
    });
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    await manager.client.create(Widget, { metadata: { name: 'm', namespace: 'default' }, spec: { size: 7 } });
    await eventually(async () => ((await manager.client.read(Widget, 'default', 'm'))?.status?.observedSize === 7 ? true : undefined), 'status written');
    ac.abort();
    await running;
    const metrics = await manager.metricsRegistry.metrics();
    assert.match(metrics, /workqueue_adds_total\{name="widget",controller="widget"\} [1-9]/);
    assert.match(metrics, /controller_runtime_reconcile_total\{controller="widget",result="success"\} [1-9]/);
  } finally {
    await env.stop();
  }
});
