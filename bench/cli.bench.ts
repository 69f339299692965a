// Wall time of the real CLI (built bin): --help, init --skip-install, create api. Prints figures, exits by itself.
// Usage: node --import tsx bench/cli.bench.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureBuilt } from '../test/cli/cli-harness.js';

const runs = Math.max(1, Number(process.argv[2] ?? 5));
ensureBuilt();
const work = mkdtempSync(join(tmpdir(), 'operator-ts-bench-'));

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`operator-ts ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

function summary(name: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`${name.padEnd(50)} median ${median.toFixed(0).padStart(5)} ms   min ${sorted[0]!.toFixed(0).padStart(5)} ms   max ${sorted[sorted.length - 1]!.toFixed(0).padStart(5)} ms   (n=${samples.length})`);
}

try {
  const help: number[] = [];
  const initVendored: number[] = [];
  const initPinned: number[] = [];
  const createApi: number[] = [];
  const pinned = { ...process.env, OPERATOR_TS_RUNTIME_SPEC: '^0.1.0' };
  // The first vendored init packs the runtime (npm pack); later ones reuse the cached tarball.
  const warm = join(work, 'warm');
  mkdirSync(warm);
  const firstInit = existsSync(join(process.cwd(), 'dist', 'runtime', 'index.js')) ? timed(['init', '--skip-install'], warm) : NaN;
  for (let i = 0; i < runs; i++) {
    help.push(timed(['--help'], work));
    const a = join(work, `vendored-${i}`);
    mkdirSync(a);
    if (!Number.isNaN(firstInit)) initVendored.push(timed(['init', '--domain', 'example.com', '--skip-install'], a));
    const b = join(work, `pinned-${i}`);
    mkdirSync(b);
    initPinned.push(timed(['init', '--domain', 'example.com', '--skip-install'], b, pinned));
    createApi.push(timed(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], b, pinned));
  }
  summary('operator-ts --help', help);
  if (!Number.isNaN(firstInit)) console.log(`${'init --skip-install, first run (may npm pack)'.padEnd(50)} ${firstInit.toFixed(0)} ms`);
  if (initVendored.length) summary('init --skip-install (vendored, cached pack)', initVendored);
  summary('init --skip-install (OPERATOR_TS_RUNTIME_SPEC)', initPinned);
  summary('create api (incl. CRD + role generation)', createApi);
} finally {
  rmSync(work, { recursive: true, force: true });
}
