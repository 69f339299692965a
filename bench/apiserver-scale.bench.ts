/**
 * Embedded API server at scale: paginated LIST of 50,000 objects (next to the previous sort-and-scan
 * algorithm, run on the same store), 10,000 creates and one LIST of them (next to a bare node HTTP server),
 * warm and cold start, the import cost of operator-ts/testing, memory per stored object, and 50 watchers
 * receiving 1,000 updates each. Creates with the server in its own process: apiserver-throughput.bench.ts.
 * Run: node --import tsx bench/apiserver-scale.bench.ts
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { ApiServer, startTestEnv, startTestServer } from '../src/testing/index.js';
import { readPage } from '../src/testing/server/list-page.js';
import { ObjectStore } from '../src/testing/server/object-store.js';
import type { Obj } from '../src/testing/server/registry.js';
import { parallel } from './parallel.js';

const HARD_LIMIT_MS = 240_000;
setTimeout(() => {
  console.error(`benchmark exceeded ${HARD_LIMIT_MS / 1000}s; aborting`);
  process.exit(1);
}, HARD_LIMIT_MS).unref();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ms = (t: number) => `${t.toFixed(0)} ms`;
const cpuMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function configMap(namespace: string, i: number): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace, labels: { shard: String(i % 10) } }, data: { i: String(i) } };
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Walks every page of a list over HTTP; returns the item count and the time it took. */
async function pageThrough(base: string, path: string, limit: number): Promise<{ items: number; pages: number; ms: number }> {
  const t0 = performance.now();
  let items = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await getJson(`${base}${path}?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    items += page.items.length;
    pages++;
    token = page.metadata.continue;
  } while (token);
  return { items, pages, ms: performance.now() - t0 };
}

/** The previous algorithm: every continue page sorted every key, filtered everything and scanned to the token. */
function previousPageWalk(store: ObjectStore, groupResource: string, limit: number): number {
  let after = '';
  let pages = 0;
  for (;;) {
    const objects = store.list(groupResource).map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o] as const);
    objects.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const matching = objects.filter(() => true);
    let start = 0;
    while (start < matching.length && matching[start]![0] <= after) start++;
    const page = matching.slice(start, start + limit);
    pages++;
    if (matching.length - start - page.length <= 0) return pages;
    after = page[page.length - 1]![0];
  }
}

async function pagination(): Promise<void> {
  const n = 50_000;
  const server = await ApiServer.start();
  try {
    for (const ns of ['scale-a', 'scale-b']) server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) server.createObject(configMap(i % 2 === 0 ? 'scale-a' : 'scale-b', i));
    const loadMs = performance.now() - t0;
    gc();
    const perObject = (process.memoryUsage().heapUsed - heapBefore) / n;
    console.log(`store ${n} ConfigMaps in-process: ${ms(loadMs)}; heap per stored small ConfigMap (object, indexes, watch history): ${perObject.toFixed(0)} bytes`);

    const all = await pageThrough(server.url, '/api/v1/configmaps', 500);
    const ns = await pageThrough(server.url, '/api/v1/namespaces/scale-a/configmaps', 500);
    const store = (server as unknown as { state: { store: ObjectStore } }).state.store;
    const n0 = performance.now();
    let newPages = 0;
    for (let after: string | undefined = ''; after !== undefined; newPages++) {
      after = readPage(store, { groupResource: 'configmaps', rv: store.currentRevision(), after, limit: 500, matches: () => true, countRemaining: true, expiredMessage: '' }).continueAfter;
    }
    const newMs = performance.now() - n0;
    const p0 = performance.now();
    const previousPages = previousPageWalk(store, 'configmaps', 500);
    const previousMs = performance.now() - p0;
    console.log(`paginated LIST, limit=500, all namespaces: ${ms(all.ms)} for ${all.items} items in ${all.pages} pages over HTTP`);
    console.log(`   in-process (no HTTP, no JSON): ${ms(newMs)} for ${newPages} pages; baseline, the previous sort-and-scan algorithm on the same store: ${ms(previousMs)} for ${previousPages} pages`);
    console.log('   reference, a real kube-apiserver v1.32 on this machine (measured before, not in this run): 2400-2600 ms');
    console.log(`paginated LIST, limit=500, one namespace: ${ms(ns.ms)} for ${ns.items} items in ${ns.pages} pages over HTTP`);
  } finally {
    await server.stop();
  }
}

/** A bare node HTTP server that answers every request with a fixed JSON body: the floor of HTTP + client cost. */
async function bareServer(body: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(body());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}

async function createAndList(): Promise<void> {
  const n = 10_000;
  const env = await startTestEnv();
  try {
    const core = env.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'bulk' } } });
    const cpu0 = process.cpuUsage();
    const createMs = await parallel(n, 16, (i) => core.createNamespacedConfigMap({ namespace: 'bulk', body: configMap('bulk', i) as never }));
    const createCpu = cpuMicros(process.cpuUsage(cpu0)) / n;
    const listTimes: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      const list = await getJson(`${env.url}/api/v1/namespaces/bulk/configmaps`);
      listTimes.push(performance.now() - t0);
      if (list.items.length !== n) throw new Error(`listed ${list.items.length} of ${n}`);
    }
    const listed = await getJson(`${env.url}/api/v1/namespaces/bulk/configmaps`);
    const listBody = JSON.stringify(listed);
    const one = JSON.stringify(listed.items[0]);
    const bare = await bareServer(() => one);
    const bareTimes: number[] = [];
    try {
      const { testKubeConfig } = await import('../src/testing/index.js');
      const bareCore = (await testKubeConfig(bare.url)).makeApiClient(CoreV1Api);
      const bareCpu0 = process.cpuUsage();
      const bareCreateMs = await parallel(n, 16, (i) => bareCore.createNamespacedConfigMap({ namespace: 'bulk', body: configMap('bulk', i) as never }));
      const bareCpu = cpuMicros(process.cpuUsage(bareCpu0)) / n;
      bare.server.removeAllListeners('request');
      bare.server.on('request', (req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(JSON.parse(listBody))); });
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        await getJson(`${bare.url}/list`);
        bareTimes.push(performance.now() - t0);
      }
      console.log(`create ${n} ConfigMaps in-process (client-node, 16 concurrent, client and server in this process as with startTestEnv in a test; the server in its own process: apiserver-throughput.bench.ts): ${(n / (createMs / 1000)).toFixed(0)}/s; baseline, bare node HTTP server answering the same calls: ${(n / (bareCreateMs / 1000)).toFixed(0)}/s`);
      console.log(`   CPU per create, client and server in this process: ${createCpu.toFixed(0)} µs; baseline, the bare server: ${bareCpu.toFixed(0)} µs (so the embedded server's own work: ${(createCpu - bareCpu).toFixed(0)} µs; steadier than the rates on a busy machine)`);
    } finally {
      await new Promise((r) => bare.server.close(r));
    }
    console.log(`LIST of ${n} ConfigMaps, no limit (fetch + JSON parse, ${(listBody.length / 1e6).toFixed(1)} MB): median ${ms(median(listTimes))}; baseline, bare node server stringifying the same list: median ${ms(median(bareTimes))}`);
  } finally {
    await env.stop();
  }
}

async function watchers(): Promise<void> {
  const count = 50;
  const updates = 1000;
  const env = await startTestEnv();
  try {
    const core = env.kubeConfig.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { seq: '-1' } } });
    let received = 0;
    let allReceived!: () => void;
    const done = new Promise<void>((r) => (allReceived = r));
    const controllers: AbortController[] = [];
    for (let w = 0; w < count; w++) {
      controllers.push(await new Watch(env.kubeConfig).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: created.metadata!.resourceVersion },
        (type) => { if (type === 'MODIFIED' && ++received === count * updates) allReceived(); }, () => undefined));
    }
    while (env.server.openWatchCount < count) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    for (let seq = 0; seq < updates; seq++) {
      await core.replaceNamespacedConfigMap({ name: 'watched', namespace: 'default', body: { metadata: { name: 'watched' }, data: { seq: String(seq) } } });
    }
    await done;
    const elapsed = performance.now() - t0;
    for (const c of controllers) c.abort();
    console.log(`${count} watchers x ${updates} updates: ${(count * updates / (elapsed / 1000)).toFixed(0)} events/s delivered to client-node callbacks (${ms(elapsed)}, updates sent one at a time over HTTP)`);
  } finally {
    await env.stop();
  }
}

async function startup(): Promise<void> {
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const env = await startTestEnv();
    warm.push(performance.now() - t0);
    await env.stop();
  }
  const server: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const env = await startTestServer();
    server.push(performance.now() - t0);
    await env.stop();
  }
  console.log(`startTestEnv warm, in-process: median ${median(warm).toFixed(1)} ms; startTestServer (no KubeConfig): median ${median(server).toFixed(1)} ms (20 runs each)`);
}

/** Time from spawning a node process until it prints a line containing `marker`. */
function coldStart(args: string[], marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes(marker)) {
        const t = performance.now() - t0;
        child.kill('SIGINT');
        resolve(t);
      }
    });
    child.on('exit', () => reject(new Error(`${args.join(' ')} exited before printing ${marker}: ${out}`)));
  }).then((t) => t as number);
}

/** Runs `node -e script` in a new process and returns the first line it prints. */
function firstLine(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(out.split('\n')[0]!) : reject(new Error(`${args.join(' ')} exited ${code}: ${out}`))));
  });
}

/**
 * import('operator-ts/testing') in a new process: milliseconds and heap after a full GC. Baselines: a bare
 * process, and the same import plus client-node and the CRD schema compiler, which the entry loaded eagerly
 * before they became lazy.
 */
async function importCost(): Promise<void> {
  const measure = (modules: string[]) => `const t = performance.now(); for (const m of ${JSON.stringify(modules)}) await import(m); const ms = performance.now() - t; gc(); console.log(ms.toFixed(1) + ' ' + process.memoryUsage().heapUsed);`;
  const entry = './dist/testing/index.js';
  const variants = { bare: [] as string[], lean: [entry], eager: [entry, '@kubernetes/client-node', './dist/testing/validation/index.js'] };
  const figures: Record<keyof typeof variants, Array<{ ms: number; heap: number }>> = { bare: [], lean: [], eager: [] };
  for (let i = 0; i < 5; i++) {
    for (const [name, modules] of Object.entries(variants) as Array<[keyof typeof variants, string[]]>) {
      const [t, heap] = (await firstLine(['--expose-gc', '--input-type=module', '-e', measure(modules)])).split(' ').map(Number);
      figures[name].push({ ms: t!, heap: heap! });
    }
  }
  const show = (name: keyof typeof variants) => `${ms(median(figures[name].map((f) => f.ms)))}, heap ${(median(figures[name].map((f) => f.heap)) / 1e6).toFixed(1)} MB`;
  console.log(`import('operator-ts/testing'), new node process, built dist/ (median of 5): ${show('lean')}; baselines: bare node heap ${(median(figures.bare.map((f) => f.heap)) / 1e6).toFixed(1)} MB; with client-node and the CRD schema compiler loaded too (what the import cost when it loaded them): ${show('eager')}`);
}

async function cold(): Promise<void> {
  if (!existsSync('dist/testing/test-env.js')) {
    console.log('cold start: skipped (run npm run build first; it measures the built dist/)');
    return;
  }
  const runs = 5;
  const bare: number[] = [];
  const serverOnly: number[] = [];
  const env: number[] = [];
  const command: number[] = [];
  const script = (fn: string) => `import('./dist/testing/test-env.js').then(async (m) => { await m.${fn}(); console.log('ready'); })`;
  for (let i = 0; i < runs; i++) {
    bare.push(await coldStart(['-e', 'console.log("ready"); setInterval(() => {}, 1000)'], 'ready'));
    serverOnly.push(await coldStart(['-e', script('startTestServer')], 'ready'));
    env.push(await coldStart(['-e', script('startTestEnv')], 'ready'));
    command.push(await coldStart(['bin/operator-ts.js', 'testenv'], 'listening'));
  }
  console.log(`cold start to ready, new node process, built dist/ (median of ${runs}): startTestServer ${ms(median(serverOnly))}, startTestEnv ${ms(median(env))}, operator-ts testenv ${ms(median(command))}; baseline, bare node process: ${ms(median(bare))}`);
  await importCost();
}

await pagination();
await createAndList();
await watchers();
await startup();
await cold();
console.log(`node ${process.version}, ${process.platform}/${process.arch}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} on a shared machine (compare each figure with its baseline from the same run)`);
process.exit(0);
