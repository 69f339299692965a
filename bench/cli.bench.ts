// Wall time of the real CLI (built bin): --help, init --skip-install, create api, generate manifests, each next to a
// bare `node -e 0` timed in the same loop (the goal: init and create api within 5x of it). On Linux the CPU
// time of each run (user + system, from /proc/self/stat, 10 ms ticks) is printed too: it varies far less than wall
// time when other processes load the machine. Exits by itself.
// Usage: node --import tsx bench/cli.bench.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureBuilt } from '../test/cli/cli-harness.js';

const runs = Math.max(1, Number(process.argv[2] ?? 5));
ensureBuilt();
const work = mkdtempSync(join(tmpdir(), 'operator-ts-bench-'));

/** CPU time (ms) used so far by this process's finished children, or NaN where /proc is not available. */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in ticks of 10 ms (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** CPU times of the runs, keyed by the wall-time sample array they belong to. */
const cpuOf = new Map<number[], number[]>();

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, script: string[] = [bin], into?: number[]): number {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...script, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`operator-ts ${args.join(' ')} failed: ${r.stderr}`);
  if (into) {
    into.push(ms);
    cpuOf.set(into, [...(cpuOf.get(into) ?? []), childrenCpuMs() - cpuBefore]);
  }
  return ms;
}

const medianOf = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** Median, min, max, and the median of the per-run ratios to the bare node run of the same iteration; then CPU time. */
function summary(name: string, samples: number[], baseline?: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const ratio = baseline && baseline.length === samples.length ? `   ${medianOf(samples.map((s, i) => s / baseline[i]!)).toFixed(1).padStart(5)}x node -e 0` : '';
  console.log(`${name.padEnd(50)} median ${medianOf(samples).toFixed(0).padStart(5)} ms   min ${sorted[0]!.toFixed(0).padStart(5)} ms   max ${sorted[sorted.length - 1]!.toFixed(0).padStart(5)} ms   (n=${samples.length})${ratio}`);
  const cpu = cpuOf.get(samples);
  if (cpu && !cpu.some(Number.isNaN)) {
    const cpuBase = baseline && cpuOf.get(baseline);
    // A ratio per run would divide by a count of 10 ms ticks; the ratio of the medians is steadier.
    const cpuRatio = cpuBase ? `   ${(medianOf(cpu) / Math.max(10, medianOf(cpuBase))).toFixed(1).padStart(5)}x node -e 0 CPU` : '';
    console.log(`${'  CPU (user + system)'.padEnd(50)} median ${medianOf(cpu).toFixed(0).padStart(5)} ms${cpuRatio}`);
  }
}

try {
  const help: number[] = [];
  const initVendored: number[] = [];
  const initPinned: number[] = [];
  const createApi: number[] = [];
  const generate: number[] = [];
  const bareNode: number[] = [];
  const pinned = { ...process.env, OPERATOR_TS_RUNTIME_SPEC: '^0.1.0' };
  // The first vendored init packs the runtime (npm pack); later ones reuse the cached tarball.
  const warm = join(work, 'warm');
  mkdirSync(warm);
  const firstInit = existsSync(join(process.cwd(), 'dist', 'runtime', 'index.js')) ? timed(['init', '--skip-install'], warm) : NaN;
  for (let i = 0; i < runs; i++) {
    timed(['-e', '0'], work, process.env, [], bareNode);
    timed(['--help'], work, process.env, [bin], help);
    const a = join(work, `vendored-${i}`);
    mkdirSync(a);
    if (!Number.isNaN(firstInit)) timed(['init', '--domain', 'example.com', '--skip-install'], a, process.env, [bin], initVendored);
    const b = join(work, `pinned-${i}`);
    mkdirSync(b);
    timed(['init', '--domain', 'example.com', '--skip-install'], b, pinned, [bin], initPinned);
    timed(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], b, pinned, [bin], createApi);
    timed(['generate', 'manifests'], b, pinned, [bin], generate);
  }
  summary('node -e 0 (baseline)', bareNode);
  summary('operator-ts --help', help, bareNode);
  if (!Number.isNaN(firstInit)) console.log(`${'init --skip-install, first run (may npm pack)'.padEnd(50)} ${firstInit.toFixed(0)} ms`);
  if (initVendored.length) summary('init --skip-install (vendored, cached pack)', initVendored, bareNode);
  summary('init --skip-install (OPERATOR_TS_RUNTIME_SPEC)', initPinned, bareNode);
  summary('create api (incl. its CRD + role.yaml)', createApi, bareNode);
  summary('generate manifests (one API, nothing changes)', generate, bareNode);
} finally {
  rmSync(work, { recursive: true, force: true });
}
