// Reconciles per second for 1000 objects against the embedded API server: a controller whose
// reconcile reads the object from the cache and writes its status through the status subresource.
// Run: node --import tsx bench/reconcile.bench.ts
import { startTestEnv } from '../src/testing/index.js';
import { controllerManagedBy } from '../src/runtime/controller/builder.js';
import type { ReconcileContext } from '../src/runtime/controller/types.js';
import type { Request } from '../src/runtime/types.js';
import { TestHost, Widget, widgetCrd } from '../test/runtime/controller/fixtures.js';

const OBJECTS = 1000;
const LIMIT_MS = 120_000;

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function run(workers: number): Promise<void> {
  const env = await startTestEnv({ crds: [widgetCrd] });
  const ns = 'bench';
  env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const host = new TestHost(env.kubeConfig);
  const names = Array.from({ length: OBJECTS }, (_, i) => `w-${i}`);
  await inBatches(names, 50, (name) => host.client.create(Widget, { metadata: { name, namespace: ns }, spec: { size: 1 } }));

  let target = 1;
  let pending = new Set(names);
  let reconciles = 0;
  let resolvePass!: () => void;
  let pass = new Promise<void>((r) => (resolvePass = r));
  controllerManagedBy(host).for(Widget).withOptions({ maxConcurrentReconciles: workers }).complete({
    async reconcile(req: Request, ctx: ReconcileContext) {
      reconciles++;
      const w = await ctx.client.get(Widget, req.namespace, req.name);
      if (!w || w.status?.observedSize === w.spec?.size) return;
      w.status = { observedSize: w.spec?.size };
      await ctx.client.updateStatus(Widget, w);
      if (w.spec?.size === target && pending.delete(req.name) && pending.size === 0) resolvePass();
    },
  });
  const timeout = setTimeout(() => {
    console.error(`bench: gave up after ${LIMIT_MS / 1000} s with ${pending.size} objects left`);
    process.exit(1);
  }, LIMIT_MS);
  const ac = new AbortController();
  const started = performance.now();
  const running = host.start(ac.signal);
  await pass;
  const coldMs = performance.now() - started;
  const coldReconciles = reconciles;

  // Steady state: change every spec; each change arrives by watch and is reconciled.
  target = 2;
  pending = new Set(names);
  pass = new Promise<void>((r) => (resolvePass = r));
  reconciles = 0;
  const t2 = performance.now();
  await inBatches(names, 50, (name) => host.client.patch(Widget, ns, name, { spec: { size: 2 } }));
  await pass;
  const warmMs = performance.now() - t2;
  clearTimeout(timeout);
  ac.abort();
  await running;
  await env.stop();
  console.log(
    `workers=${workers}  start-up pass: ${OBJECTS} objects in ${coldMs.toFixed(0)} ms = ${((OBJECTS / coldMs) * 1000).toFixed(0)} status-writing reconciles/s (${coldReconciles} reconciles)` +
      `  |  watch-driven pass (spec patched by the bench): ${((OBJECTS / warmMs) * 1000).toFixed(0)} objects/s (${reconciles} reconciles, includes the bench's own 1000 patches)`,
  );
}

console.log(`reconcile.bench: ${OBJECTS} Widgets, embedded API server on 127.0.0.1, node ${process.version}`);
for (const workers of [1, 4, 16]) await run(workers);
process.exit(0);
