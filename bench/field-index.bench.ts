/**
 * List by field index vs a full scan of the same cache, side by side, at 10k and 50k cached objects.
 *
 * Objects: ConfigMaps in 10 namespaces, each naming one of n/10 Secrets in `data.secretRef`, so every Secret is
 * referenced by 10 objects (one per namespace). Each row is the median of LOOKUPS lists, each for another Secret:
 * - index: `cache.list(ConfigMap, { matchingFields: { 'data.secretRef': s } })` (and the same in one namespace);
 * - scan (what a map function does without an index): `cache.list(ConfigMap)` then a filter (SCAN_LOOKUPS rounds);
 * - scan, store only: the same filter over the informer's store without copying every object first (the
 *   cheapest a scan can be; lists copy what they return).
 * Also printed: the first sync with and without the index (the cost of building it; median of SYNC_ROUNDS, the
 * order alternating so neither side always runs after the other's garbage) and the JS heap after sync.
 * Run: node --import tsx bench/field-index.bench.ts [--sizes=10000,50000]
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap } from '../src/runtime/builtin-resources.js';
import { FakeClock } from '../src/runtime/fake-clock.js';
import { SharedCache } from '../src/runtime/cache/shared-cache.js';
import type { ListerWatcher } from '../src/runtime/informer/list-watch.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (arg('sizes') ?? '10000,50000').split(',').map(Number);
const NAMESPACES = 10;
const LOOKUPS = 50;
/** A scan through the client copies every object; fewer rounds keep the run short. */
const SCAN_LOOKUPS = 11;
const SYNC_ROUNDS = 3;

type Cm = KubernetesObject & { data?: Record<string, string> };
const refOf = (o: Cm) => (o.data?.secretRef ? [o.data.secretRef] : []);

function objects(n: number): Cm[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: `ns-${i % NAMESPACES}`, resourceVersion: String(i + 1), labels: { app: 'bench' } },
    data: { secretRef: `secret-${Math.floor(i / NAMESPACES)}`, payload: 'x'.repeat(100) },
  }));
}

/** Serves `items` as one list, then a watch that stays open until the cache stops. */
function staticSource(items: Cm[]): ListerWatcher<KubernetesObject> {
  return {
    list: async () => ({ items: items.map((o) => structuredClone(o)), resourceVersion: String(items.length) }),
    watch: (req) => new Promise((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true })),
  };
}

async function withCache<T>(items: Cm[], indexed: boolean, fn: (cache: SharedCache, syncMs: number) => Promise<T>): Promise<T> {
  const cache = new SharedCache({ listerWatcherFor: () => staticSource(items), clock: new FakeClock(), logger: silentLogger });
  if (indexed) cache.indexField(ConfigMap, 'data.secretRef', refOf);
  const ac = new AbortController();
  const t = performance.now();
  const running = cache.start(ac.signal);
  cache.informer(ConfigMap);
  await cache.waitForSync();
  const syncMs = performance.now() - t;
  try {
    return await fn(cache, syncMs);
  } finally {
    ac.abort();
    await running;
  }
}

async function median(fn: (i: number) => Promise<number>, rounds = LOOKUPS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const found = await fn(i);
    times.push(performance.now() - t);
    if (found !== NAMESPACES && found !== 1) throw new Error(`lookup ${i} found ${found} objects`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

// A full collection before reading the heap, without asking the runner for --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const ms = (v: number) => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(1)} ms`);

async function syncOnce(items: Cm[], indexed: boolean, out: number[]): Promise<void> {
  out.push(await withCache(items, indexed, async (_cache, syncMs) => syncMs));
}
const mid = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const rows: string[][] = [];
for (const n of SIZES) {
  const items = objects(n);
  const secret = (i: number) => `secret-${(i * 7919) % (n / NAMESPACES)}`;
  const plain = await withCache(items, false, async (cache, syncMs) => {
    const heap = heapMiB();
    const scan = await median(async (i) => (await cache.list<Cm>(ConfigMap)).filter((o) => o.data?.secretRef === secret(i)).length, SCAN_LOOKUPS);
    const store = cache.informer<Cm>(ConfigMap).store;
    const storeScan = await median(async (i) => store.list().filter((o) => o.data?.secretRef === secret(i)).map((o) => structuredClone(o)).length);
    return { syncMs, heap, scan, storeScan };
  });
  const indexed = await withCache(items, true, async (cache, syncMs) => {
    const heap = heapMiB();
    const all = await median(async (i) => (await cache.list(ConfigMap, { matchingFields: { 'data.secretRef': secret(i) } })).length);
    const oneNs = await median(async (i) => (await cache.list(ConfigMap, { namespace: `ns-${i % NAMESPACES}`, matchingFields: { 'data.secretRef': secret(i) } })).length);
    return { syncMs, heap, all, oneNs };
  });
  const syncWith: number[] = [];
  const syncWithout: number[] = [];
  for (let r = 0; r < SYNC_ROUNDS; r++) {
    const order = r % 2 === 0 ? [true, false] : [false, true];
    for (const indexedRun of order) await syncOnce(items, indexedRun, indexedRun ? syncWith : syncWithout);
  }
  rows.push([
    n.toLocaleString('en'),
    ms(indexed.all), ms(indexed.oneNs), ms(plain.scan), ms(plain.storeScan),
    `${(plain.scan / indexed.all).toFixed(0)}×`,
    `${ms(mid(syncWith))} / ${ms(mid(syncWithout))}`,
    `${indexed.heap.toFixed(0)} / ${plain.heap.toFixed(0)} MiB`,
  ]);
}

const header = ['objects', 'index (all ns, 10 hits)', 'index (1 ns, 1 hit)', 'scan: list + filter', 'scan: store only', 'scan / index', 'sync with / without index', 'heap with / without'];
console.log(`list by field index vs full scan; median of ${LOOKUPS} lookups (${SCAN_LOOKUPS} for the scan through the client); heap after a full GC`);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
