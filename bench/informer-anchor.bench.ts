/**
 * Our informer against client-go's, side by side in one run: first-sync time and resident-memory growth for 1k, 10k
 * and 50k ConfigMaps, each measured in a fresh process (bench/informer-child.mjs on the built dist/, and the Go
 * program bench/anchor/informer built against a vendored client-go), then reconciles/s with 1/4/16 workers.
 *
 * - Server: the one $KUBECONFIG names (the objects go into the namespace informer-anchor-bench, or --namespace,
 *   deleted at the end unless --keep-namespace; objects that exist already are kept, so a kept namespace is reused);
 *   without KUBECONFIG the embedded server, and the client-go rows are skipped (client-go is only the anchor on a
 *   real server).
 * - Anchor: built into node_modules/.cache when a Go toolchain ($GO, /usr/lib/go-1.23/bin/go or go on PATH) and a
 *   Go module that vendors client-go ($ANCHOR_GO_MODULE, default /root/realk8s/src) are present; otherwise the bench
 *   prints "anchor unavailable: <why>" and carries on.
 * - client-go runs twice: speaking JSON as operator-ts does (the anchor the ratios are taken against), and with
 *   client-go v1.32's default for built-in kinds (protobuf; over HTTP/2 with gzip, as both always are).
 * - "whole answer, one JSON.parse" reads the list's answer whole and parses it at once, as the informer did before
 *   it decoded lists item by item as they arrive (the row to compare the item-by-item decoding with).
 * - "protobuf lists" lists in protobuf as the manager's caches do with `protobuf: true`.
 * - --timeline prints, for each row's median round, when the list request was sent, its headers, first and last
 *   body byte came, when the JSON was parsed (operator-ts) and when the informer synced, in ms from client start.
 * Needs `npm run build` first. Run: node --import tsx bench/informer-anchor.bench.ts [--sizes=1000,10000,50000]
 * [--rounds=3] [--namespace=NAME] [--keep-namespace] [--timeline] [--skip-reconcile] (only the sync table)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { startTestEnv, type TestEnv } from '../src/testing/index.js';
import { ConfigMap } from '../src/runtime/builtin-resources.js';
import { RestTransport } from '../src/runtime/client/rest-transport.js';
import { controllerManagedBy } from '../src/runtime/controller/builder.js';
import type { ReconcileContext } from '../src/runtime/controller/types.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import { Manager } from '../src/runtime/manager/manager.js';
import type { Request } from '../src/runtime/types.js';
import { parallel } from './parallel.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (arg('sizes') ?? '1000,10000,50000').split(',').map(Number);
const ROUNDS = Number(arg('rounds') ?? 3);
const NS = arg('namespace') ?? 'informer-anchor-bench';
const KEEP_NAMESPACE = process.argv.includes('--keep-namespace');
const TIMELINE = process.argv.includes('--timeline');
const SKIP_RECONCILE = process.argv.includes('--skip-reconcile');
const RECONCILE_OBJECTS = 1000;
const MIB = 1024 * 1024;

/** What one fresh process reports after its informer synced. */
interface Figures {
  syncMs: number;
  /** CPU time of the measuring process during the sync: its own work, apart from the server's and other processes'. */
  cpuMs: number;
  objects: number;
  rssBytes: number;
  baseRssBytes: number;
  /** Live heap after a full GC: what the objects themselves hold, apart from the allocator's free pages. */
  heapBytes: number;
  baseHeapBytes: number;
  /** With --timeline: the child's own timeline (bench/informer-child.mjs and the anchor each have theirs). */
  timeline?: unknown;
}

/** The moments of one first sync both sides can report, in ms since the client's start. */
interface Moments {
  sent?: number;
  headers?: number;
  firstByte?: number;
  lastByte?: number;
  parsed?: number;
  synced: number;
}

/** Reduces either child's timeline to the moments of its first list. */
function momentsOf(f: Figures): Moments {
  const t = f.timeline as
    | { exchanges: Array<Record<string, number>>; parses: Array<{ endMs: number }>; syncedMs: number }
    | Array<Record<string, number>>
    | undefined;
  if (Array.isArray(t)) {
    const list = t[0] ?? {};
    return { sent: list.sentMs, headers: list.headersMs, firstByte: list.firstByteMs, lastByte: list.lastByteMs, synced: f.syncMs };
  }
  const list = t?.exchanges[0] ?? {};
  return { sent: list.sentMs, headers: list.headersMs, firstByte: list.firstByteMs, lastByte: list.lastByteMs, parsed: t?.parses[0]?.endMs, synced: f.syncMs };
}

/**
 * One row of the sync table: how to measure one sync of `size` objects in `namespace` in a fresh process.
 * The metadata-only and list-by-index rows plug in here, next to the full-object informer and client-go.
 */
interface SyncRow {
  label: string;
  measure(kubeconfigPath: string, namespace: string, size: number): Promise<Figures>;
}

function runJson(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Figures> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', fail);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return fail(new Error(`${command} ${args.join(' ')} exited ${code}: ${err.trim() || out.trim()}`));
      done(JSON.parse(line) as Figures);
    });
  });
}

const childEnv = (kubeconfigPath: string) => ({ ...process.env, KUBECONFIG: kubeconfigPath });

function ourRow(label: string, variant: 'after' | 'protobuf' | 'whole' | 'before' | 'concat'): SyncRow {
  const timeline = TIMELINE ? ['--timeline'] : [];
  return {
    label,
    measure: (kubeconfigPath, namespace) =>
      runJson(process.execPath, ['--expose-gc', join(benchDir, 'informer-child.mjs'), `--namespace=${namespace}`, `--variant=${variant}`, ...timeline], childEnv(kubeconfigPath)),
  };
}

function clientGoRow(label: string, binary: string, contentType: 'json' | 'protobuf'): SyncRow {
  const timeline = TIMELINE ? ['-timeline'] : [];
  return { label, measure: (path, namespace) => runJson(binary, [`-namespace=${namespace}`, `-content-type=${contentType}`, ...timeline], childEnv(path)) };
}

/** Builds the client-go anchor (once per source and module) or says why it cannot. */
async function buildAnchor(): Promise<{ binary: string } | { unavailable: string }> {
  const candidates = [process.env.GO, '/usr/lib/go-1.23/bin/go', 'go'].filter((g): g is string => !!g);
  const go = candidates.find((g) => spawnSync(g, ['version'], { stdio: 'ignore' }).status === 0);
  if (!go) return { unavailable: `no Go toolchain (tried ${candidates.join(', ')}; set GO=/path/to/go)` };
  const module = process.env.ANCHOR_GO_MODULE ?? '/root/realk8s/src';
  if (!existsSync(join(module, 'vendor/k8s.io/client-go/informers'))) {
    return { unavailable: `${module} has no vendored client-go (vendor/k8s.io/client-go); set ANCHOR_GO_MODULE to a Go module that vendors it` };
  }
  const source = join(benchDir, 'anchor/informer/main.go');
  const hash = createHash('sha256').update(readFileSync(source)).update(module).digest('hex').slice(0, 12);
  const cacheDir = join(root, 'node_modules/.cache/operator-ts-bench', `anchor-${hash}`);
  const binary = join(cacheDir, 'informer');
  if (existsSync(binary)) return { binary };
  mkdirSync(cacheDir, { recursive: true });
  // The program is laid into the module's tree through an overlay only: the vendored tree is read, never written.
  const overlay = join(cacheDir, 'overlay.json');
  writeFileSync(overlay, JSON.stringify({ Replace: { [join(module, 'zz_operator_ts_anchor/main.go')]: source } }));
  console.log(`building the client-go anchor with ${go} against ${module} (minutes the first time)...`);
  const env = { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOTOOLCHAIN: 'local' };
  const result = await new Promise<{ code: number | null; err: string }>((done) => {
    const child = spawn(go, ['build', '-overlay', overlay, '-o', binary, './zz_operator_ts_anchor'], { cwd: module, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', (e) => done({ code: null, err: e.message }));
    child.on('exit', (code) => done({ code, err }));
  });
  if (result.code !== 0) return { unavailable: `go build failed: ${result.err.trim().split('\n').slice(-3).join(' | ')}` };
  return { binary };
}

const configMap = (i: number, namespace = NS) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace, labels: { app: 'bench' } }, data: { index: String(i), payload: 'x'.repeat(200) } });

/** Creates cm-from … cm-(to−1): through the embedded server's store when there is one, else by parallel POSTs. */
async function fill(transport: RestTransport, from: number, to: number, namespace = NS): Promise<void> {
  if (env) {
    for (let i = from; i < to; i++) env.server.createObject(configMap(i, namespace));
    return;
  }
  await parallel(to - from, 32, (i) =>
    transport.json({ method: 'POST', path: `/api/v1/namespaces/${namespace}/configmaps`, body: configMap(from + i, namespace) }).catch((err) => {
      if ((err as { status?: number }).status !== 409) throw err; // kept from an earlier run
    }),
  );
}

async function createNamespace(transport: RestTransport, name: string): Promise<void> {
  await transport.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } }).catch((err) => {
    if ((err as { status?: number }).status !== 409) throw err;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function syncTable(rows: SyncRow[], kubeconfigPath: string, transport: RestTransport): Promise<void> {
  console.log(`\nfirst sync in a fresh process (median of ${ROUNDS}; rounds interleaved; RSS after a full GC, growth = after sync − before start)`);
  console.log(`${'objects'.padStart(7)}  ${'informer'.padEnd(34)}${'sync'.padStart(9)}${'vs client-go'.padStart(14)}${'client CPU'.padStart(12)}${'vs client-go'.padStart(14)}${'RSS growth'.padStart(13)}${'per object'.padStart(12)}${'vs client-go'.padStart(14)}${'heap/object'.padStart(13)}${'vs client-go'.padStart(14)}`);
  let have = 0;
  for (const size of SIZES) {
    await fill(transport, have, size);
    have = size;
    const figures = new Map<SyncRow, Figures[]>(rows.map((r) => [r, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of rows) {
        const f = await row.measure(kubeconfigPath, NS, size);
        if (f.objects !== size) throw new Error(`${row.label}: synced ${f.objects} objects, expected ${size}`);
        figures.get(row)!.push(f);
      }
    }
    const summary = rows.map((row) => {
      const fs = figures.get(row)!;
      const growth = median(fs.map((f) => f.rssBytes - f.baseRssBytes));
      const heap = median(fs.map((f) => f.heapBytes - f.baseHeapBytes));
      const medianRound = [...fs].sort((a, b) => a.syncMs - b.syncMs)[Math.floor(fs.length / 2)]!;
      return { row, ms: median(fs.map((f) => f.syncMs)), cpu: median(fs.map((f) => f.cpuMs)), growth, heap, medianRound };
    });
    const anchor = summary.find((s) => s.row.label.startsWith('client-go'));
    for (const s of summary) {
      const vsMs = anchor && s !== anchor ? `${(s.ms / anchor.ms).toFixed(2)}×` : '';
      const vsCpu = anchor && s !== anchor ? `${(s.cpu / anchor.cpu).toFixed(2)}×` : '';
      const vsHeap = anchor && s !== anchor ? `${(s.heap / anchor.heap).toFixed(2)}×` : '';
      const vsRss = anchor && s !== anchor ? `${(s.growth / anchor.growth).toFixed(2)}×` : '';
      console.log(
        `${String(size).padStart(7)}  ${s.row.label.padEnd(34)}${`${s.ms.toFixed(0)} ms`.padStart(9)}${vsMs.padStart(14)}${`${s.cpu.toFixed(0)} ms`.padStart(12)}${vsCpu.padStart(14)}${`${(s.growth / MIB).toFixed(1)} MiB`.padStart(13)}${`${(s.growth / size / 1024).toFixed(2)} KiB`.padStart(12)}${vsRss.padStart(14)}${`${(s.heap / size / 1024).toFixed(2)} KiB`.padStart(13)}${vsHeap.padStart(14)}`,
      );
    }
    if (TIMELINE) {
      console.log(`  timeline of each row's median round, ms since the client's start: list sent, headers, first byte, last byte, JSON parsed, synced`);
      const ms = (x?: number) => (x === undefined ? '-' : x.toFixed(0)).padStart(8);
      for (const s of summary) {
        const m = momentsOf(s.medianRound);
        console.log(`  ${s.row.label.padEnd(34)}${ms(m.sent)}${ms(m.headers)}${ms(m.firstByte)}${ms(m.lastByte)}${ms(m.parsed)}${ms(m.synced)}`);
      }
    }
  }
}

/** Reconciles/s over RECONCILE_OBJECTS ConfigMaps in a namespace of their own: each reconcile reads its object from the cache and once uncached. */
async function reconcileTable(kubeConfig: KubeConfig, transport: RestTransport): Promise<void> {
  const namespace = `${NS}-reconcile`;
  await createNamespace(transport, namespace);
  await fill(transport, 0, RECONCILE_OBJECTS, namespace);
  console.log(`\nreconciles/s, ${RECONCILE_OBJECTS} ConfigMaps, each reconcile a cache read plus one uncached GET (one round trip to the server)`);
  for (const workers of [1, 4, 16]) {
    const manager = new Manager({ kubeConfig, logger: silentLogger, healthProbeBindAddress: '0', defaultMetrics: false, cache: { namespaces: [namespace] } });
    let left = RECONCILE_OBJECTS;
    let finished!: () => void;
    const allDone = new Promise<void>((r) => (finished = r));
    controllerManagedBy(manager)
      .for(ConfigMap)
      .withOptions({ maxConcurrentReconciles: workers })
      .complete({
        async reconcile(req: Request, ctx: ReconcileContext) {
          await ctx.client.get(ConfigMap, req.namespace, req.name);
          await manager.apiReader.get(ConfigMap, req.namespace, req.name);
          if (--left === 0) finished();
        },
      });
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    await manager.cache.waitForSync(ac.signal);
    const started = performance.now();
    await allDone;
    const ms = performance.now() - started;
    ac.abort();
    await running;
    console.log(`workers=${String(workers).padEnd(3)} ${((RECONCILE_OBJECTS / ms) * 1000).toFixed(0).padStart(6)} reconciles/s (${ms.toFixed(0)} ms from cache sync to the last of ${RECONCILE_OBJECTS})`);
  }
}

if (!existsSync(join(root, 'dist/runtime/informer/informer.js'))) {
  console.log('informer-anchor: skipped (run npm run build first; the fresh processes measure the built dist/)');
  process.exit(0);
}

const rows: SyncRow[] = [
  ourRow('operator-ts informer', 'after'),
  ourRow('operator-ts, protobuf lists', 'protobuf'),
  ourRow('operator-ts, whole answer, one JSON.parse', 'whole'),
];
// A metadata-only informer is one more SyncRow here (its own fresh process, same JSON line); it then sits next to
// the full-object rows and client-go in every size's table.
const realKubeconfig = process.env.KUBECONFIG;
let env: TestEnv | undefined;
let kubeconfigPath: string;
let scratch: string | undefined;
if (realKubeconfig && existsSync(realKubeconfig)) {
  kubeconfigPath = realKubeconfig;
  const anchor = await buildAnchor();
  if ('binary' in anchor) {
    // The first client-go row is the one the ratios are taken against.
    rows.push(clientGoRow('client-go shared informer, JSON', anchor.binary, 'json'));
    rows.push(clientGoRow('client-go, protobuf (its default)', anchor.binary, 'protobuf'));
  } else console.log(`anchor unavailable: ${anchor.unavailable}`);
} else {
  console.log('anchor unavailable: no KUBECONFIG naming a real API server (client-go rows skipped; embedded server used)');
  env = await startTestEnv();
  scratch = mkdtempSync(join(tmpdir(), 'informer-anchor-'));
  kubeconfigPath = join(scratch, 'kubeconfig');
  writeFileSync(kubeconfigPath, env.kubeConfig.exportConfig());
}
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const transport = new RestTransport(kubeConfig);
console.log(`server: ${kubeConfig.getCurrentCluster()?.server}${env ? ' (embedded)' : ''}; node ${process.version}`);
await createNamespace(transport, NS);
try {
  await syncTable(rows, kubeconfigPath, transport);
  // List-by-index latency goes here: the namespace then holds the largest size.
  if (!SKIP_RECONCILE) await reconcileTable(kubeConfig, transport);
} finally {
  for (const namespace of KEEP_NAMESPACE ? [] : [NS, `${NS}-reconcile`]) await transport.json({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
  transport.close();
  await env?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
process.exit(0);
