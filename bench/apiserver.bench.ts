/**
 * Embedded API server benchmark: start-up time, create/get/list throughput through client-node, and
 * watch event latency with 1, 10 and 100 watchers. Prints figures and exits by itself.
 * Run: node --import tsx bench/apiserver.bench.ts
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { startTestEnv, type TestEnv } from '../src/testing/index.js';
import { parallel } from './parallel.js';

const HARD_LIMIT_MS = 180_000;
setTimeout(() => {
  console.error(`benchmark exceeded ${HARD_LIMIT_MS / 1000}s; aborting`);
  process.exit(1);
}, HARD_LIMIT_MS).unref();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startup(): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const env = await startTestEnv();
    times.push(performance.now() - t0);
    await env.stop();
  }
  times.sort((a, b) => a - b);
  console.log(`start-up (startTestEnv, incl. kubeconfig file): median ${percentile(times, 50).toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms (20 runs)`);
}

async function throughput(env: TestEnv): Promise<void> {
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'bench' } } });
  const n = 2000;
  const concurrency = 16;
  const createMs = await parallel(n, concurrency, (i) => core.createNamespacedConfigMap({ namespace: 'bench', body: { metadata: { name: `cm-${i}`, labels: { shard: String(i % 10) } }, data: { i: String(i) } } }));
  console.log(`create: ${(n / (createMs / 1000)).toFixed(0)} ops/s (${n} ConfigMaps, ${concurrency} concurrent, client-node)`);
  const getMs = await parallel(n, concurrency, (i) => core.readNamespacedConfigMap({ name: `cm-${i}`, namespace: 'bench' }));
  console.log(`get:    ${(n / (getMs / 1000)).toFixed(0)} ops/s`);
  const lists = 200;
  const listMs = await parallel(lists, 8, () => core.listNamespacedConfigMap({ namespace: 'bench', labelSelector: 'shard=3' }));
  console.log(`list:   ${(lists / (listMs / 1000)).toFixed(0)} ops/s (label selector over ${n} objects, 200 matches each)`);
  const pages = 100;
  const pageMs = await parallel(pages, 8, () => core.listNamespacedConfigMap({ namespace: 'bench', limit: 100 }));
  console.log(`list:   ${(pages / (pageMs / 1000)).toFixed(0)} ops/s (first page of 100 of ${n})`);
}

async function watchLatency(env: TestEnv, watchers: number): Promise<void> {
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  const name = `watched-${watchers}`;
  const created = await core.createNamespacedConfigMap({ namespace: 'bench', body: { metadata: { name }, data: { seq: '-1' } } });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const updates = 200;
  let received = 0;
  let allReceived!: () => void;
  const done = new Promise<void>((r) => (allReceived = r));
  const controllers: AbortController[] = [];
  let connected = 0;
  for (let w = 0; w < watchers; w++) {
    controllers.push(await new Watch(env.kubeConfig).watch(
      '/api/v1/namespaces/bench/configmaps',
      { resourceVersion: created.metadata!.resourceVersion, fieldSelector: `metadata.name=${name}` },
      (type, object: any) => {
        if (type !== 'MODIFIED') return;
        const seq = Number(object.data.seq);
        latencies.push(performance.now() - sentAt.get(seq)!);
        if (++received === updates * watchers) allReceived();
      },
      () => undefined,
    ));
    connected++;
  }
  while (env.server.openWatchCount < connected) await new Promise((r) => setTimeout(r, 5));
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  for (let seq = 0; seq < updates; seq++) {
    sentAt.set(seq, performance.now());
    await core.patchNamespacedConfigMap({ name, namespace: 'bench', body: { data: { seq: String(seq) } } }, merge);
  }
  await done;
  for (const c of controllers) c.abort();
  latencies.sort((a, b) => a - b);
  console.log(`watch latency, ${String(watchers).padStart(3)} watcher(s): p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms (${latencies.length} deliveries; from sending the PATCH to the client-node callback)`);
}

await startup();
const env = await startTestEnv();
try {
  await throughput(env);
  for (const watchers of [1, 10, 100]) await watchLatency(env, watchers);
} finally {
  await env.stop();
}
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
process.exit(0);
