// Wall time of the real CLI (built bin): --help, init --skip-install, create api, generate manifests, each next to a
// bare `node -e 0` timed in the same loop (the goal: init and create api within 5x of it). Exits by itself.
// Usage: node --import tsx bench/cli.bench.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureBuilt } from '../test/cli/cli-harness.js';

const runs = Math.max(1, Number(process.argv[2] ?? 5));
ensureBuilt();
const work = mkdtempSync(join(tmpdir(), 'operator-ts-bench-'));

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, script: string[] = [bin]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...script, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`operator-ts ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const medianOf = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** Median, min, max, and the median of the per-run ratios to the bare node run of the same iteration. */
function summary(name: string, samples: number[], baseline?: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const ratio = baseline && baseline.length === samples.length ? `   ${medianOf(samples.map((s, i) => s / baseline[i]!)).toFixed(1).padStart(5)}x node -e 0` : '';
  console.log(`${name.padEnd(50)} median ${medianOf(samples).toFixed(0).padStart(5)} ms   min ${sorted[0]!.toFixed(0).padStart(5)} ms   max ${sorted[sorted.length - 1]!.toFixed(0).padStart(5)} ms   (n=${samples.length})${ratio}`);
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
    bareNode.push(timed(['-e', '0'], work, process.env, []));
    help.push(timed(['--help'], work));
    const a = join(work, `vendored-${i}`);
    mkdirSync(a);
    if (!Number.isNaN(firstInit)) initVendored.push(timed(['init', '--domain', 'example.com', '--skip-install'], a));
    const b = join(work, `pinned-${i}`);
    mkdirSync(b);
    initPinned.push(timed(['init', '--domain', 'example.com', '--skip-install'], b, pinned));
    createApi.push(timed(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], b, pinned));
    generate.push(timed(['generate', 'manifests'], b, pinned));
  }
  summary('node -e 0 (baseline)', bareNode);
  summary('operator-ts --help', help, bareNode);
  if (!Number.isNaN(firstInit)) console.log(`${'init --skip-install, first run (may npm pack)'.padEnd(50)} ${firstInit.toFixed(0)} ms`);
  if (initVendored.length) summary('init --skip-install (vendored, cached pack)', initVendored, bareNode);
  summary('init --skip-install (OPERATOR_TS_RUNTIME_SPEC)', initPinned, bareNode);
  summary('create api (incl. CRD + role generation)', createApi, bareNode);
  summary('generate manifests (one API, nothing changes)', generate, bareNode);
} finally {
  rmSync(work, { recursive: true, force: true });
}
