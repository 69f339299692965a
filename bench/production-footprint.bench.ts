/**
 * What a generated operator costs in production, side by side: the production install (the bundle the
 * image holds vs `npm install --omit=dev` with operator-ts as a production dependency, as projects were
 * generated before), the bundle's files, and idle RSS and time to become leader of the leading operator
 * bundled (`node dist/bundle/main.mjs`) and unbundled (`node dist/main.js`), next to a bare `node`, and of the
 * bundled one serving metrics as the Deployment does (HTTPS, self-signed certificate, token and access reviews).
 * Runs against the embedded API server; prints figures, asserts nothing. Needs a built CLI (`npm run build`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestEnv, type TestEnv } from '../src/testing/index.js';
import { diskUsage } from './disk-usage.js';

const repoRoot = resolve(import.meta.dirname, '..');
const cli = join(repoRoot, 'bin', 'operator-ts.js');
const env = { ...process.env, NODE_TEST_CONTEXT: '' };
const MiB = 1024 * 1024;

function run(label: string, cmd: string, args: string[], cwd: string): void {
  const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** VmRSS of a process, in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `args` with node, waits for 'became leader', idles 3 s, and reads its RSS. */
async function leadingOperator(testEnv: TestEnv, project: string, args: string[]): Promise<{ rss: number; leadMs: number }> {
  const started = performance.now();
  const operator = spawn(process.execPath, [...args, '--leader-elect', '--health-probe-bind-address=127.0.0.1:0'], {
    cwd: project, env: { ...env, KUBECONFIG: testEnv.kubeconfigPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let leadMs: number | undefined;
  const onData = (d: Buffer) => {
    output += d.toString();
    if (leadMs === undefined && output.includes('became leader')) leadMs = performance.now() - started;
  };
  operator.stderr!.on('data', onData);
  operator.stdout!.on('data', onData);
  try {
    const deadline = Date.now() + 30_000;
    while (leadMs === undefined) {
      if (Date.now() > deadline || operator.exitCode !== null) throw new Error(`${args.join(' ')} did not lead within 30 s:\n${output}`);
      await sleep(20);
    }
    await sleep(3000); // idle: caches synced, lease renewing
    return { rss: rssMiB(operator.pid!), leadMs };
  } finally {
    operator.kill('SIGTERM');
    await new Promise((r) => operator.once('exit', r));
  }
}

async function bareNodeRss(): Promise<number> {
  const bare = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    await sleep(1000);
    return rssMiB(bare.pid!);
  } finally {
    bare.kill('SIGKILL');
  }
}

const work = mkdtempSync(join(tmpdir(), 'operator-ts-bench-footprint-'));
try {
  const project = join(work, 'memcached-operator');
  mkdirSync(project);
  run('init', process.execPath, [cli, 'init', '--domain', 'example.com', '--yes'], project);
  run('create api', process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], project);
  run('build', 'npm', ['run', 'build'], project);
  run('bundle', 'npm', ['run', 'build:prod'], project);

  // The production install as projects were generated before: operator-ts a production dependency.
  const old = join(work, 'omit-dev');
  mkdirSync(old);
  const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  pkg.dependencies['operator-ts'] = pkg.devDependencies['operator-ts'];
  delete pkg.devDependencies['operator-ts'];
  writeFileSync(join(old, 'package.json'), JSON.stringify(pkg, null, 2));
  cpSync(join(project, 'vendor'), join(old, 'vendor'), { recursive: true });
  run('npm install --omit=dev', 'npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], old);
  const oldInstall = diskUsage(join(old, 'node_modules'));

  const bundleDir = join(project, 'dist', 'bundle');
  const files = readdirSync(bundleDir).sort().map((f) => ({ name: f, bytes: statSync(join(bundleDir, f)).size }));
  const bundleBytes = files.reduce((sum, f) => sum + f.bytes, 0);

  const testEnv = await startTestEnv({ crds: [join(project, 'config', 'crd', 'bases')] });
  let bundled: { rss: number; leadMs: number };
  let unbundled: { rss: number; leadMs: number };
  let secureMetrics: { rss: number; leadMs: number };
  try {
    bundled = await leadingOperator(testEnv, project, ['dist/bundle/main.mjs']);
    unbundled = await leadingOperator(testEnv, project, ['dist/main.js']);
    secureMetrics = await leadingOperator(testEnv, project, ['dist/bundle/main.mjs', '--metrics-bind-address=127.0.0.1:0', '--metrics-secure']);
  } finally {
    await testEnv.stop();
  }
  const bare = await bareNodeRss();

  const col = (s: string) => s.padEnd(44);
  console.log(`${col('production install')}bundle ${(bundleBytes / MiB).toFixed(1)} MiB (${files.length} files, no node_modules) | before: npm install --omit=dev ${oldInstall.packages} packages, ${(oldInstall.bytes / MiB).toFixed(0)} MiB`);
  console.log(`${col('bundle files')}${files.map((f) => `${f.name} ${(f.bytes / MiB).toFixed(2)} MiB`).join(', ')}`);
  console.log(`${col('idle RSS of the leading operator')}bundled ${bundled.rss.toFixed(0)} MiB | unbundled ${unbundled.rss.toFixed(0)} MiB | bare node ${bare.toFixed(0)} MiB (goal: bundled <= 55 MiB)`);
  console.log(`${col('  with secure metrics on, as deployed')}bundled ${secureMetrics.rss.toFixed(0)} MiB`);
  console.log(`${col('start to "became leader"')}bundled ${bundled.leadMs.toFixed(0)} ms | unbundled ${unbundled.leadMs.toFixed(0)} ms | bundled with secure metrics ${secureMetrics.leadMs.toFixed(0)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
