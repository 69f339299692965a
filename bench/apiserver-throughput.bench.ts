/**
 * Create throughput of the embedded API server the way `operator-ts testenv` and `npm run dev` use it: the
 * server in its own process, clients in this one. 10,000 ConfigMaps, 16 in flight, from two clients:
 * client-node (what operators use) and a lean keep-alive HTTP client (the server's own ceiling, with little
 * client cost in the way). Side by side: a bare node HTTP server in its own process answering the same calls
 * with a fixed body (the floor of HTTP and the client), and a real kube-apiserver when KUBECONFIG is set
 * (it gets a namespace of its own, deleted at the end). The server's CPU per create is read from
 * /proc/PID/stat of the server's process (Linux); the client's from this process.
 * The in-process figure (client and server in one process, as with startTestEnv in a test) is printed by
 * apiserver-scale.bench.ts.
 * Run: node --import tsx bench/apiserver-throughput.bench.ts
 * Profile the embedded server: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' node --import tsx bench/apiserver-throughput.bench.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parallel } from './parallel.js';

const HARD_LIMIT_MS = 300_000;
setTimeout(() => {
  console.error(`benchmark exceeded ${HARD_LIMIT_MS / 1000}s; aborting`);
  process.exit(1);
}, HARD_LIMIT_MS).unref();

const N = Number(process.env.BENCH_CREATES ?? 10_000);
const WARMUP = 1_000;
const CONCURRENCY = 16;
const CLOCK_TICKS_PER_SECOND = 100;

function configMap(i: number) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { shard: String(i % 10) } }, data: { i: String(i) } };
}

/** CPU time (user + system) of another process in microseconds, from /proc; undefined where there is none. */
function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
  } catch {
    return undefined;
  }
}

interface Target {
  name: string;
  kubeConfig: KubeConfig;
  /** The process whose CPU counts as the server's, when known. */
  pid?: number;
  stop(): Promise<void>;
}

/** Spawns a node child and resolves with the first stdout line matching `pattern`. */
function spawnUntil(args: string[], pattern: RegExp, env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`${args.join(' ')} exited (${code}) before printing ${pattern}`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const match = line.match(pattern);
      if (match) {
        child.off('exit', onExit);
        resolve({ child, match });
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

async function embeddedTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'throughput-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { child } = await spawnUntil([...nodeArgs, '--import', 'tsx', 'bench/testenv-child.ts', 'testenv', '--kubeconfig', kubeconfig], /listening on /);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  return {
    name: 'embedded server, operator-ts testenv in its own process',
    kubeConfig,
    pid: child.pid,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A node HTTP server in its own process that answers every request with `body`: the floor of HTTP + client cost. */
async function bareTarget(body: string): Promise<Target> {
  const script = `
    const body = process.env.BARE_BODY;
    const server = require('node:http').createServer({ keepAlive: true }, (req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }); res.end(body); });
    });
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
    process.on('SIGINT', () => server.close(() => process.exit(0)));`;
  const { child, match } = await spawnUntil(['-e', script], /listening on (\S+)/, { BARE_BODY: body });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'bare', server: match[1]!, skipTLSVerify: true }],
    users: [{ name: 'bare' }],
    contexts: [{ name: 'bare', cluster: 'bare', user: 'bare' }],
    currentContext: 'bare',
  });
  return { name: 'baseline: bare node HTTP server in its own process, fixed reply', kubeConfig, pid: child.pid, stop: () => stopChild(child) };
}

function realTarget(path: string): Target {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return { name: `real kube-apiserver (${kubeConfig.getCurrentCluster()?.server}; its CPU is not read)`, kubeConfig, async stop() {} };
}

/** POSTs JSON bodies over `concurrency` keep-alive connections, with the kubeconfig's address, TLS and credentials. */
async function leanClient(kubeConfig: KubeConfig, concurrency: number): Promise<{ post(path: string, body: string): Promise<string>; close(): void }> {
  const server = new URL(kubeConfig.getCurrentCluster()!.server);
  const secure = server.protocol === 'https:';
  const options: RequestOptions & { rejectUnauthorized?: boolean } = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency, rejectUnauthorized: options.rejectUnauthorized ?? true, ca: (options as { ca?: string }).ca, cert: (options as { cert?: string }).cert, key: (options as { key?: string }).key })
    : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  const send = secure ? httpsRequest : httpRequest;
  const headers = { ...(options.headers as Record<string, string> | undefined), 'content-type': 'application/json', accept: 'application/json' };
  return {
    post(path, body) {
      return new Promise((resolve, reject) => {
        const req = send({ host: server.hostname, port: server.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => (res.statusCode === 201 ? resolve(text) : reject(new Error(`POST ${path}: ${res.statusCode} ${text}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

interface Figures { rate: number; clientCpu: number; serverCpu?: number; firstReply?: string }

async function measure(target: Target, client: 'client-node' | 'lean', namespace: string, count: number, first = 0): Promise<Figures> {
  const core = target.kubeConfig.makeApiClient(CoreV1Api);
  const lean = await leanClient(target.kubeConfig, CONCURRENCY);
  let firstReply: string | undefined;
  const path = `/api/v1/namespaces/${namespace}/configmaps`;
  const create = client === 'client-node'
    ? (i: number) => core.createNamespacedConfigMap({ namespace, body: configMap(first + i) as never })
    : async (i: number) => {
      const reply = await lean.post(path, JSON.stringify(configMap(first + i)));
      firstReply ??= reply;
    };
  try {
    const server0 = processCpuMicros(target.pid);
    const cpu0 = process.cpuUsage();
    const elapsed = await parallel(count, CONCURRENCY, create);
    const cpu = process.cpuUsage(cpu0);
    const server1 = processCpuMicros(target.pid);
    return {
      rate: count / (elapsed / 1000),
      clientCpu: (cpu.user + cpu.system) / count,
      ...(server0 !== undefined && server1 !== undefined ? { serverCpu: (server1 - server0) / count } : {}),
      ...(firstReply !== undefined ? { firstReply } : {}),
    };
  } finally {
    lean.close();
  }
}

async function runTarget(target: Target): Promise<{ node: Figures; lean: Figures }> {
  const core = target.kubeConfig.makeApiClient(CoreV1Api);
  const suffix = randomBytes(3).toString('hex');
  const namespaces = ['warmup', 'node', 'lean'].map((n) => `server-throughput-${n}-${suffix}`);
  const isBare = target.name.startsWith('baseline');
  if (!isBare) for (const name of namespaces) await core.createNamespace({ body: { metadata: { name } } });
  try {
    // JIT warm-up of both client paths and the server before anything is timed.
    await measure(target, 'lean', namespaces[0]!, WARMUP / 2);
    await measure(target, 'client-node', namespaces[0]!, WARMUP / 2, WARMUP / 2);
    const node = await measure(target, 'client-node', namespaces[1]!, N);
    const lean = await measure(target, 'lean', namespaces[2]!, N);
    return { node, lean };
  } finally {
    if (!isBare) for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
  }
}

function show(name: string, f: { node: Figures; lean: Figures }): void {
  const line = (client: string, x: Figures) => `   ${client}: ${x.rate.toFixed(0)}/s; CPU per create: client ${x.clientCpu.toFixed(0)} µs${x.serverCpu !== undefined ? `, server ${x.serverCpu.toFixed(0)} µs` : ''}`;
  console.log(name);
  console.log(line(`client-node ×${CONCURRENCY}`, f.node));
  console.log(line(`lean keep-alive HTTP client ×${CONCURRENCY}`, f.lean));
}

console.log(`create ${N} ConfigMaps, ${CONCURRENCY} in flight, server in its own process (after a ${WARMUP}-create warm-up):`);
const embedded = await embeddedTarget();
let reply: string;
try {
  const figures = await runTarget(embedded);
  reply = figures.lean.firstReply!;
  show(embedded.name, figures);
} finally {
  await embedded.stop();
}
const bare = await bareTarget(reply);
try {
  show(bare.name, await runTarget(bare));
} finally {
  await bare.stop();
}
if (process.env.KUBECONFIG) {
  const real = realTarget(process.env.KUBECONFIG);
  show(real.name, await runTarget(real));
} else {
  console.log('real kube-apiserver: skipped (set KUBECONFIG to a cluster to compare; the bench creates and deletes namespaces server-throughput-*)');
}
console.log(`node ${process.version}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} on a shared machine (compare each figure with its baseline from the same run)`);
process.exit(0);
