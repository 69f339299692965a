/**
 * Warm standby: time from SIGTERM of the leading manager process to the first completed reconcile by
 * the new leader, with 10,000 ConfigMaps watched, for a warm standby (its controller's informer synced
 * before it leads) and, as the baseline in the same run, a cold one (the controller, and so its
 * informer, is created only once the replica leads, as before warm standbys). Also the standby's heap
 * with and without the warm cache. Separate manager processes, one embedded API server on loopback.
 * Run: node --import tsx bench/warm-standby.bench.ts   (the same file is the child with --child)
 */
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { spawnLineChild, type LineChild } from './line-child.js';

const self = fileURLToPath(import.meta.url);
const OBJECTS = 10_000;
const ROUNDS = 5;
const TIMINGS = { lease: 15_000, renew: 10_000, retry: 2_000 };
const now = () => performance.timeOrigin + performance.now();

async function child(args: string[]): Promise<void> {
  const { Manager, ConfigMap, controllerManagedBy, setupSignalHandler, silentLogger } = await import('../src/runtime/index.js');
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '';
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(opt('kubeconfig'));
  const manager = new Manager({
    kubeConfig,
    logger: silentLogger,
    healthProbeBindAddress: '0',
    defaultMetrics: false,
    leaderElection: { enabled: true, id: opt('lease'), namespace: 'default', identity: opt('identity'), leaseDurationMs: TIMINGS.lease, renewDeadlineMs: TIMINGS.renew, retryPeriodMs: TIMINGS.retry },
  });
  let leading = false;
  let reported = false;
  const addController = () =>
    controllerManagedBy(manager)
      .for(ConfigMap)
      .complete({
        async reconcile(req, ctx) {
          await ctx.client.get(ConfigMap, req.namespace, req.name); // a cached read, as most reconciles start
          if (leading && !reported) {
            reported = true;
            console.log(`FIRST ${now()} lists=${manager.cache.informer(ConfigMap).stats.lists}`);
          }
        },
      });
  if (opt('mode') === 'warm') addController();
  void manager.elected().then(() => {
    leading = true;
    console.log(`ELECTED lists=${opt('mode') === 'warm' ? manager.cache.informer(ConfigMap).stats.lists : 0}`);
    if (opt('mode') === 'cold') addController();
  });
  process.on('SIGUSR2', () => {
    globalThis.gc?.();
    console.log(`HEAP ${process.memoryUsage().heapUsed}`);
  });
  const running = manager.start(setupSignalHandler());
  console.log('READY');
  if (opt('mode') === 'warm') {
    await manager.cache.informer(ConfigMap).waitForSync();
    console.log('SYNCED');
  }
  await running;
  console.log('STOPPED');
}

function spawnManager(kubeconfig: string, lease: string, identity: string, mode: 'warm' | 'cold'): LineChild {
  return spawnLineChild(['--expose-gc', '--import', 'tsx', self, '--child', `--kubeconfig=${kubeconfig}`, `--lease=${lease}`, `--identity=${identity}`, `--mode=${mode}`], identity);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Round {
  toElectedMs: number;
  toFirstReconcileMs: number;
  listsAfterElection: number;
  standbyHeapMb: number;
}

async function round(kubeconfig: string, mode: 'warm' | 'cold', n: number): Promise<Round> {
  const lease = `warm-bench-${mode}-${n}.example.com`;
  const a = spawnManager(kubeconfig, lease, `${mode}-${n}-a`, mode);
  await a.next('ELECTED', 60_000);
  const b = spawnManager(kubeconfig, lease, `${mode}-${n}-b`, mode);
  await b.next('READY', 60_000);
  if (mode === 'warm') await b.next('SYNCED', 60_000);
  await sleep(TIMINGS.retry + 500); // b has read the lease and is watching it
  b.proc.kill('SIGUSR2');
  const standbyHeapMb = Number((await b.next('HEAP', 10_000)).split(' ')[1]) / 1024 / 1024;
  const termAt = now();
  a.proc.kill('SIGTERM');
  const elected = await b.next('ELECTED', TIMINGS.lease * 3);
  const electedAt = now();
  const [, firstAt, lists] = (await b.next('FIRST', 60_000)).split(/ |lists=/).filter(Boolean);
  const listsAtElection = Number(elected.split('lists=')[1]);
  await a.next('STOPPED', 30_000);
  b.proc.kill('SIGTERM');
  await b.next('STOPPED', 30_000);
  return { toElectedMs: electedAt - termAt, toFirstReconcileMs: Number(firstAt) - termAt, listsAfterElection: Number(lists) - listsAtElection, standbyHeapMb };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { startTestEnv } = await import('../src/testing/index.js');
  const env = await startTestEnv();
  const guard = setTimeout(() => {
    console.error('warm-standby bench: exceeded 240 s, giving up');
    process.exit(1);
  }, 240_000);
  try {
    for (let i = 0; i < OBJECTS; i++) env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { index: String(i) } });
    console.log(`hand-over with ${OBJECTS} ConfigMaps watched (lease ${TIMINGS.lease / 1000}/${TIMINGS.renew / 1000}/${TIMINGS.retry / 1000} s, release on cancel, ${ROUNDS} rounds each, median [all])`);
    const results: Record<string, Round[]> = { warm: [], cold: [] };
    for (let n = 0; n < ROUNDS; n++) for (const mode of ['warm', 'cold'] as const) results[mode]!.push(await round(env.kubeconfigPath, mode, n));
    const fmt = (rs: Round[], k: keyof Round) => `${median(rs.map((r) => r[k])).toFixed(0)} ms [${rs.map((r) => r[k].toFixed(0)).join(', ')}]`;
    for (const mode of ['warm', 'cold'] as const) {
      const rs = results[mode]!;
      const label = mode === 'warm' ? 'warm standby            ' : 'baseline, cold standby  ';
      console.log(`  ${label} SIGTERM → first completed reconcile: ${fmt(rs, 'toFirstReconcileMs')}   (SIGTERM → lease held: ${fmt(rs, 'toElectedMs')}; LISTs after election: ${rs.map((r) => r.listsAfterElection).join(', ')})`);
    }
    const heap = (mode: string) => median(results[mode]!.map((r) => r.standbyHeapMb));
    console.log(`  standby JS heap after gc: warm ${heap('warm').toFixed(1)} MiB, cold ${heap('cold').toFixed(1)} MiB → the warm cache of ${OBJECTS} small ConfigMaps costs ${(heap('warm') - heap('cold')).toFixed(1)} MiB`);
    const goal = median(results.warm!.map((r) => r.toFirstReconcileMs));
    console.log(`  goal ≤ 100 ms for the warm standby: ${goal <= 100 ? 'met' : 'NOT met'} (${goal.toFixed(0)} ms)`);
  } finally {
    clearTimeout(guard);
    await env.stop();
  }
}

if (process.argv.includes('--child')) await child(process.argv.slice(2));
else await main();
