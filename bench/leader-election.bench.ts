/**
 * Leader election figures against one embedded API server, with real manager processes:
 *  - graceful hand-over: SIGTERM to the leader → the standby holds the lease;
 *  - crash take-over: SIGKILL to the leader → the standby holds the lease;
 * for 15/10/2 s and 4/3/1 s (lease duration / renew deadline / retry period), and the same two for the
 * leader-for-life strategy (crash: SIGKILL, then the leader's Pod is deleted, as when its node is
 * drained or the Pod evicted; a container restart in the same Pod keeps leading), and the idle RSS of
 * a leading manager. Run: node --import tsx bench/leader-election.bench.ts
 * The same file is the child process when started with --child.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { spawnLineChild, type LineChild } from './line-child.js';

const self = fileURLToPath(import.meta.url);

async function child(args: string[]): Promise<void> {
  const { Manager, setupSignalHandler, silentLogger } = await import('../src/runtime/index.js');
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '';
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(opt('kubeconfig'));
  const manager = new Manager({
    kubeConfig,
    logger: silentLogger,
    healthProbeBindAddress: '0',
    leaderElection: {
      enabled: true,
      id: opt('lease'),
      namespace: 'default',
      identity: opt('identity'),
      ...(opt('strategy') === 'for-life' ? { strategy: 'for-life' as const, pod: { name: opt('identity'), namespace: 'default' } } : {}),
      leaseDurationMs: Number(opt('lease-ms')),
      renewDeadlineMs: Number(opt('renew-ms')),
      retryPeriodMs: Number(opt('retry-ms')),
    },
  });
  process.on('SIGUSR2', () => {
    const m = process.memoryUsage();
    console.log(`RSS ${m.rss} ${m.heapUsed}`);
  });
  void manager.elected().then(() => console.log('ELECTED'));
  const running = manager.start(setupSignalHandler());
  console.log('READY');
  await running;
  console.log('STOPPED');
}

function spawnManager(kubeconfig: string, lease: string, identity: string, t: Timings, strategy = 'lease'): LineChild {
  return spawnLineChild(['--import', 'tsx', self, '--child', `--kubeconfig=${kubeconfig}`, `--lease=${lease}`, `--identity=${identity}`, `--lease-ms=${t.lease}`, `--renew-ms=${t.renew}`, `--retry-ms=${t.retry}`, `--strategy=${strategy}`], identity);
}

interface Timings {
  label: string;
  lease: number;
  renew: number;
  retry: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(kubeconfig: string, t: Timings): Promise<{ graceful: number; crash: number; rssMb: number; heapMb: number }> {
  const lease = `bench-${t.lease / 1000}s.example.com`;
  const a = spawnManager(kubeconfig, lease, `${t.label}-a`, t);
  await a.next('ELECTED', 30_000);
  const b = spawnManager(kubeconfig, lease, `${t.label}-b`, t);
  await b.next('READY', 30_000);
  await sleep(t.retry + 500); // b has read the lease and is watching it
  const termAt = performance.now();
  a.proc.kill('SIGTERM');
  await b.next('ELECTED', t.lease * 3);
  const graceful = performance.now() - termAt;
  await a.next('STOPPED', 30_000);

  const c = spawnManager(kubeconfig, lease, `${t.label}-c`, t);
  await c.next('READY', 30_000);
  await sleep(t.retry + 500);
  b.proc.kill('SIGUSR2');
  const [, rss, heap] = (await b.next('RSS', 5_000)).split(' ');
  const rssMb = Number(rss) / 1024 / 1024;
  const heapMb = Number(heap) / 1024 / 1024;
  const killAt = performance.now();
  b.proc.kill('SIGKILL');
  await c.next('ELECTED', t.lease * 3);
  const crash = performance.now() - killAt;
  c.proc.kill('SIGTERM');
  await c.next('STOPPED', 30_000);
  return { graceful, crash, rssMb, heapMb };
}

/** The same two take-overs with leader-for-life; each manager gets a Pod object to own its lock. */
async function measureForLife(kubeconfig: string): Promise<{ graceful: number; crash: number }> {
  const core = (() => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    return kc.makeApiClient(CoreV1Api);
  })();
  const pod = (name: string) => core.createNamespacedPod({ namespace: 'default', body: { metadata: { name }, spec: { containers: [{ name: 'manager', image: 'controller:latest' }] } } });
  const t: Timings = { label: 'for-life', lease: 15_000, renew: 10_000, retry: 2_000 };
  const lock = 'bench-for-life.example.com';
  for (const name of ['for-life-a', 'for-life-b', 'for-life-c']) await pod(name);
  const a = spawnManager(kubeconfig, lock, 'for-life-a', t, 'for-life');
  await a.next('ELECTED', 30_000);
  const b = spawnManager(kubeconfig, lock, 'for-life-b', t, 'for-life');
  await b.next('READY', 30_000);
  await sleep(2_500); // b has tried and waits on its backoff, watching the lock
  const termAt = performance.now();
  a.proc.kill('SIGTERM');
  await b.next('ELECTED', 30_000);
  const graceful = performance.now() - termAt;
  await a.next('STOPPED', 30_000);

  const c = spawnManager(kubeconfig, lock, 'for-life-c', t, 'for-life');
  await c.next('READY', 30_000);
  await sleep(2_500);
  const killAt = performance.now();
  b.proc.kill('SIGKILL');
  await core.deleteNamespacedPod({ name: 'for-life-b', namespace: 'default' });
  await c.next('ELECTED', 60_000);
  const crash = performance.now() - killAt;
  c.proc.kill('SIGTERM');
  await c.next('STOPPED', 30_000);
  return { graceful, crash };
}

/** RSS of a process that only loads tsx and client-node, so the manager's own share is visible. */
async function baselineRssMb(): Promise<number> {
  const script = "await import('@kubernetes/client-node'); setTimeout(() => console.log(process.memoryUsage().rss), 500);";
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => proc.on('exit', r));
  return Number(out.trim()) / 1024 / 1024;
}

async function main(): Promise<void> {
  const { startTestEnv } = await import('../src/testing/index.js');
  const env = await startTestEnv();
  const guard = setTimeout(() => {
    console.error('leader-election bench: exceeded 200 s, giving up');
    process.exit(1);
  }, 200_000);
  try {
    const settings: Timings[] = [
      { label: 'defaults', lease: 15_000, renew: 10_000, retry: 2_000 },
      { label: 'fast', lease: 4_000, renew: 3_000, retry: 1_000 },
    ];
    console.log('leader election (separate manager processes, one embedded API server on loopback)');
    let memory: { rssMb: number; heapMb: number } | undefined;
    for (const t of settings) {
      const r = await measure(env.kubeconfigPath, t);
      memory = r;
      console.log(`  ${t.lease / 1000}/${t.renew / 1000}/${t.retry / 1000} s  graceful hand-over (SIGTERM → new holder): ${r.graceful.toFixed(0)} ms`);
      console.log(`  ${t.lease / 1000}/${t.renew / 1000}/${t.retry / 1000} s  crash take-over   (SIGKILL → new holder): ${r.crash.toFixed(0)} ms`);
    }
    const fl = await measureForLife(env.kubeconfigPath);
    console.log(`  for-life          graceful hand-over (SIGTERM → lock deleted → new owner): ${fl.graceful.toFixed(0)} ms`);
    console.log(`  for-life          crash take-over   (SIGKILL + Pod deleted → new owner): ${fl.crash.toFixed(0)} ms`);
    if (memory) {
      console.log(`  idle leading manager (run under tsx): RSS ${memory.rssMb.toFixed(1)} MiB, JS heap used ${memory.heapMb.toFixed(1)} MiB`);
      const baseline = await baselineRssMb();
      console.log(`  baseline for scale: a tsx process that only imports @kubernetes/client-node: RSS ${baseline.toFixed(1)} MiB`);
    }
  } finally {
    clearTimeout(guard);
    await env.stop();
  }
}

if (process.argv.includes('--child')) await child(process.argv.slice(2));
else await main();
