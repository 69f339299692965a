/**
 * Memory and sync time of a synced informer over N Secrets with 1 KiB of data each, full objects vs metadata-only
 * (PartialObjectMetadata), side by side in one run. Each informer runs alone in a child process (node
 * --expose-gc), which reports the heap and RSS it grew by from before the informer started to after its sync,
 * both measured after a full GC. Against the embedded server (in this process) and, with --kubeconfig=PATH (or
 * REAL_KUBECONFIG), a real one: there the Secrets go into the namespace metadata-only-bench, deleted at the end.
 * Run: node --import tsx bench/metadata-only.bench.ts [--kubeconfig=PATH] [--sizes=1000,10000]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { Secret } from '../src/runtime/builtin-resources.js';
import { FakeClock } from '../src/runtime/fake-clock.js';
import { Informer } from '../src/runtime/informer/informer.js';
import { RestListerWatcher } from '../src/runtime/informer/list-watch.js';
import { RestTransport } from '../src/runtime/client/rest-transport.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import { metadataOnly, PARTIAL_OBJECT_METADATA_LIST_ACCEPT } from '../src/runtime/metadata-only.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const NS = 'metadata-only-bench';
const MiB = 1024 * 1024;

interface ChildResult {
  ms: number;
  heap: number;
  rss: number;
}

/** 'stripped': metadata-only with managedFields dropped by a transform (controller-runtime's TransformStripManagedFields). */
type Mode = 'full' | 'metadata' | 'stripped';

const stripManagedFields = <T extends KubernetesObject>(obj: T): T => ({ ...obj, metadata: { ...obj.metadata, managedFields: undefined } });

async function child(mode: Mode, kubeconfig: string, expected: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  const transport = new RestTransport(kubeConfig);
  const rt = mode === 'full' ? Secret : metadataOnly(Secret);
  const informer = new Informer<KubernetesObject>({
    name: 'bench',
    listerWatcher: new RestListerWatcher<KubernetesObject>(transport, rt, { namespace: NS }),
    clock: new FakeClock(),
    logger: silentLogger,
    transform: mode === 'stripped' ? stripManagedFields : undefined,
  });
  gc();
  gc();
  const before = process.memoryUsage();
  const ac = new AbortController();
  const t = performance.now();
  const running = informer.start(ac.signal);
  await informer.waitForSync();
  const ms = performance.now() - t;
  if (informer.store.size !== expected) throw new Error(`synced ${informer.store.size} Secrets, expected ${expected}`);
  gc();
  gc();
  const after = process.memoryUsage();
  const result: ChildResult = { ms, heap: after.heapUsed - before.heapUsed, rss: after.rss - before.rss };
  console.log(JSON.stringify(result));
  ac.abort();
  await running;
  transport.close();
}

function runChild(mode: Mode, kubeconfig: string, expected: number): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', self, `--child=${mode}`, `--kubeconfig=${kubeconfig}`, `--expect=${expected}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${mode} child exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

async function fill(transport: RestTransport, from: number, to: number): Promise<void> {
  let next = from;
  const data = { payload: Buffer.from('s'.repeat(1024)).toString('base64') };
  const worker = async () => {
    while (next < to) {
      const i = next++;
      await transport.json({ method: 'POST', path: `/api/v1/namespaces/${NS}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}`, labels: { app: 'bench' } }, data } });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Size of one unpaged list answer of the namespace's Secrets, as sent. */
async function listBytes(transport: RestTransport, accept?: string): Promise<number> {
  const body = await transport.json<unknown>({ method: 'GET', path: `/api/v1/namespaces/${NS}/secrets`, accept });
  return Buffer.byteLength(JSON.stringify(body));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ROUNDS = 3;

async function table(label: string, kubeconfig: string, transport: RestTransport): Promise<void> {
  const sizes = (arg('sizes') ?? '1000,10000').split(',').map(Number);
  console.log(`\n${label}: informer over N Secrets of 1 KiB, growth after sync (median of ${ROUNDS} child processes each)`);
  console.log('objects   full: heap / RSS / sync        metadata-only: heap / RSS / sync   heap ratio   RSS ratio   heap bytes/object: full → metadata → metadata without managedFields (ratio)   list bytes/object: full → metadata');
  let have = 0;
  for (const size of sizes) {
    await fill(transport, have, size);
    have = size;
    const full: ChildResult[] = [];
    const meta: ChildResult[] = [];
    const stripped: ChildResult[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      full.push(await runChild('full', kubeconfig, size));
      meta.push(await runChild('metadata', kubeconfig, size));
      stripped.push(await runChild('stripped', kubeconfig, size));
    }
    const wire = async (accept?: string) => (await listBytes(transport, accept)) / size;
    const wireFull = await wire();
    const wireMeta = await wire(PARTIAL_OBJECT_METADATA_LIST_ACCEPT);
    const strippedHeap = median(stripped.map((x) => x.heap));
    const f = { heap: median(full.map((x) => x.heap)), rss: median(full.map((x) => x.rss)), ms: median(full.map((x) => x.ms)) };
    const m = { heap: median(meta.map((x) => x.heap)), rss: median(meta.map((x) => x.rss)), ms: median(meta.map((x) => x.ms)) };
    const cell = (x: typeof f) => `${(x.heap / MiB).toFixed(1)} MiB / ${(x.rss / MiB).toFixed(1)} MiB / ${x.ms.toFixed(0)} ms`;
    console.log(
      `${String(size).padStart(7)}   ${cell(f).padEnd(31)}${cell(m).padEnd(35)}${`${(f.heap / m.heap).toFixed(2)}×`.padEnd(13)}${`${(f.rss / m.rss).toFixed(2)}×`.padEnd(12)}${`${(f.heap / size).toFixed(0)} → ${(m.heap / size).toFixed(0)} → ${(strippedHeap / size).toFixed(0)} (${(f.heap / strippedHeap).toFixed(2)}×)`.padEnd(80)}${wireFull.toFixed(0)} → ${wireMeta.toFixed(0)}`,
    );
  }
}

const childMode = arg('child') as Mode | undefined;
if (childMode) {
  await child(childMode, arg('kubeconfig')!, Number(arg('expect')));
} else {
  const { startTestEnv } = await import('../src/testing/index.js');
  const env = await startTestEnv();
  const transport = new RestTransport(env.kubeConfig);
  try {
    env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await table('embedded server', env.kubeconfigPath, transport);
  } finally {
    transport.close();
    await env.stop();
  }
  const real = arg('kubeconfig') ?? process.env.REAL_KUBECONFIG;
  if (real) {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(real);
    const realTransport = new RestTransport(kubeConfig);
    await realTransport.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } }).catch((err) => {
      if ((err as { status?: number }).status !== 409) throw err;
    });
    try {
      await table(`real API server (${kubeConfig.getCurrentCluster()?.server})`, real, realTransport);
    } finally {
      await realTransport.json({ method: 'DELETE', path: `/api/v1/namespaces/${NS}` }).catch(() => undefined);
      realTransport.close();
    }
  } else {
    console.log('\n(no --kubeconfig / REAL_KUBECONFIG: real API server skipped)');
  }
}
