/**
 * First cache sync and work-queue drain, each before and after, side by side in one run.
 *
 * - Cache sync: time from an informer's start to its sync over 10k and 50k ConfigMaps in one namespace, for
 *   the first list as it was (limit=500 pages, no resourceVersion: a consistent read page by page) and as it is
 *   (resourceVersion=0 first, as client-go's reflector: a real API server answers it from its watch cache in one
 *   response). Against the embedded server and, with --kubeconfig=PATH (or REAL_KUBECONFIG), a real one: there
 *   the objects go into the namespace cache-scope-bench, which is deleted at the end.
 * - Queue drain: add n keys, then get/done each, for the queue as it was (Array.shift per take, O(n²) to
 *   drain) and as it is (a head index, O(1) amortized).
 * Run: node --import tsx bench/cache-sync.bench.ts [--kubeconfig=PATH] [--sizes=10000,50000]
 */
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { startTestEnv } from '../src/testing/index.js';
import { ConfigMap } from '../src/runtime/builtin-resources.js';
import { FakeClock } from '../src/runtime/fake-clock.js';
import { Informer } from '../src/runtime/informer/informer.js';
import { RestListerWatcher, type ListerWatcher } from '../src/runtime/informer/list-watch.js';
import { RestTransport } from '../src/runtime/client/rest-transport.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import { WorkQueue } from '../src/runtime/queue/work-queue.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (arg('sizes') ?? '10000,50000').split(',').map(Number);
const QUEUE_SIZES = [50_000, 100_000];
const REAL = arg('kubeconfig') ?? process.env.REAL_KUBECONFIG;
const NS = 'cache-scope-bench';
const ROUNDS = 3;

/** The queue's take as it was: Array.shift on the order array. Same dirty/processing bookkeeping. */
class ShiftQueue {
  private order: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) this.order.push(key);
  }
  get(): string | undefined {
    const key = this.order.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
  done(key: string): void {
    this.processing.delete(key);
  }
}

async function queueDrain(n: number): Promise<{ shift: number; now: number }> {
  const keys = Array.from({ length: n }, (_, i) => `ns/item-${i}`);
  let t = performance.now();
  const old = new ShiftQueue();
  for (const k of keys) old.add(k);
  for (let k = old.get(); k !== undefined; k = old.get()) old.done(k);
  const shift = performance.now() - t;
  t = performance.now();
  const queue = new WorkQueue<string>();
  for (const k of keys) queue.add(k);
  while (queue.len() > 0) queue.done((await queue.get())!);
  return { shift, now: performance.now() - t };
}

/** Forces the list as it was: every list without a resourceVersion. */
function consistentOnly(lw: ListerWatcher<KubernetesObject>): ListerWatcher<KubernetesObject> {
  return { list: (signal) => lw.list(signal, { resourceVersion: '' }), watch: (req, on) => lw.watch(req, on) };
}

async function syncOnce(kubeConfig: KubeConfig, mode: 'pages' | 'rv0', expected: number): Promise<{ ms: number; requests: number }> {
  const transport = new RestTransport(kubeConfig);
  let requests = 0;
  const counted = Object.assign(Object.create(transport) as RestTransport, {
    json: <T>(req: Parameters<RestTransport['json']>[0]) => {
      requests++;
      return transport.json<T>(req);
    },
  });
  const rest = new RestListerWatcher(counted, ConfigMap, { namespace: NS });
  const informer = new Informer({ name: 'bench', listerWatcher: mode === 'pages' ? consistentOnly(rest) : rest, clock: new FakeClock(), logger: silentLogger });
  const ac = new AbortController();
  const t = performance.now();
  const running = informer.start(ac.signal);
  await informer.waitForSync();
  const ms = performance.now() - t;
  if (informer.store.size !== expected) throw new Error(`synced ${informer.store.size} objects, expected ${expected}`);
  ac.abort();
  await running;
  return { ms, requests };
}

async function fill(transport: RestTransport, from: number, to: number): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      await transport.json({ method: 'POST', path: `/api/v1/namespaces/${NS}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { app: 'bench' } }, data: { index: String(i), payload: 'x'.repeat(200) } } });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function syncTable(label: string, kubeConfig: KubeConfig, grow: (from: number, to: number) => Promise<void>): Promise<void> {
  console.log(`\ncache sync, ${label} (median of ${ROUNDS}; requests = list round trips)`);
  console.log('objects   before: limit=500 pages   after: resourceVersion=0 first   speed-up');
  let have = 0;
  for (const size of SIZES) {
    await grow(have, size);
    have = size;
    const before: number[] = [];
    const after: number[] = [];
    let beforeRequests = 0;
    let afterRequests = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const b = await syncOnce(kubeConfig, 'pages', size);
      const a = await syncOnce(kubeConfig, 'rv0', size);
      before.push(b.ms);
      after.push(a.ms);
      beforeRequests = b.requests;
      afterRequests = a.requests;
    }
    const mb = median(before);
    const ma = median(after);
    console.log(`${String(size).padStart(7)}   ${`${mb.toFixed(0)} ms (${beforeRequests} req)`.padEnd(24)}${`${ma.toFixed(0)} ms (${afterRequests} req)`.padEnd(32)}${(mb / ma).toFixed(2)}×`);
  }
}

console.log('work queue drain (add n, then get+done each)');
console.log('items     before: Array.shift   after: head index   speed-up');
for (const n of QUEUE_SIZES) {
  const shift: number[] = [];
  const now: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const res = await queueDrain(n);
    shift.push(res.shift);
    now.push(res.now);
  }
  console.log(`${String(n).padStart(7)}   ${`${median(shift).toFixed(0)} ms`.padEnd(22)}${`${median(now).toFixed(0)} ms`.padEnd(20)}${(median(shift) / median(now)).toFixed(1)}×`);
}

const env = await startTestEnv();
try {
  env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await syncTable('embedded server', env.kubeConfig, async (from, to) => {
    for (let i = from; i < to; i++) {
      env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: NS, labels: { app: 'bench' } }, data: { index: String(i), payload: 'x'.repeat(200) } });
    }
  });
} finally {
  await env.stop();
}

if (REAL) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(REAL);
  const transport = new RestTransport(kubeConfig);
  await transport.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } }).catch((err) => {
    if ((err as { status?: number }).status !== 409) throw err;
  });
  try {
    await syncTable(`real API server (${kubeConfig.getCurrentCluster()?.server})`, kubeConfig, (from, to) => fill(transport, from, to));
  } finally {
    await transport.json({ method: 'DELETE', path: `/api/v1/namespaces/${NS}` }).catch(() => undefined);
  }
} else {
  console.log('\n(no --kubeconfig / REAL_KUBECONFIG: real API server skipped)');
}
