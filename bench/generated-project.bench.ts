/**
 * The generated project as a user meets it: `init` (with npm install) and `create api` through the real CLI,
 * then the size of what npm installed, `npm run build`, `npm test`, and the idle RSS of the built operator while it
 * leads (against the embedded API server). Prints figures; asserts nothing.
 * Needs a built CLI (`npm run build`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestEnv } from '../src/testing/index.js';
import { diskUsage } from './disk-usage.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');
const cli = join(repoRoot, 'bin', 'operator-ts.js');
const env = { ...process.env, NODE_TEST_CONTEXT: '' };

function timed(label: string, cmd: string, args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return ms;
}


/** VmRSS of a process, in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

async function idleLeaderRss(project: string): Promise<{ operator: number; baseline: number }> {
  const testEnv = await startTestEnv({ crds: [join(project, 'config', 'crd', 'bases')] });
  const operator = spawn(process.execPath, ['dist/main.js', '--leader-elect', '--health-probe-bind-address=127.0.0.1:0'], {
    cwd: project, env: { ...env, KUBECONFIG: testEnv.kubeconfigPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const baselineProc = spawn(process.execPath, ['-e', "import('@kubernetes/client-node').then(() => setTimeout(() => {}, 60000))"], { cwd: project, stdio: 'ignore' });
  try {
    let output = '';
    operator.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    operator.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!output.includes('became leader')) {
      if (Date.now() > deadline) throw new Error(`the operator did not lead within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 3000)); // idle: caches synced, lease renewing
    return { operator: rssMiB(operator.pid!), baseline: rssMiB(baselineProc.pid!) };
  } finally {
    operator.kill('SIGTERM');
    baselineProc.kill('SIGKILL');
    await new Promise((r) => operator.once('exit', r));
    await testEnv.stop();
  }
}

const work = mkdtempSync(join(tmpdir(), 'operator-ts-bench-project-'));
try {
  const project = join(work, 'memcached-operator');
  mkdirSync(project);
  const init = timed('init', process.execPath, [cli, 'init', '--domain', 'example.com', '--yes'], project);
  const api = timed('create api', process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], project);
  const size = diskUsage(join(project, 'node_modules'));
  const build = timed('build', 'npm', ['run', 'build'], project);
  const test = timed('test', 'npm', ['test'], project);
  console.log(`init incl. npm install:      ${(init / 1000).toFixed(1)} s`);
  console.log(`create api:                  ${(api / 1000).toFixed(2)} s`);
  console.log(`installed packages:          ${size.packages} (${(size.bytes / 1024 / 1024).toFixed(0)} MiB in node_modules)`);
  console.log(`npm run build:               ${(build / 1000).toFixed(1)} s`);
  console.log(`npm test (typecheck + test): ${(test / 1000).toFixed(1)} s`);
  const rss = await idleLeaderRss(project);
  console.log(`idle leading operator (node dist/main.js --leader-elect): RSS ${rss.operator.toFixed(0)} MiB; a bare node importing @kubernetes/client-node: ${rss.baseline.toFixed(0)} MiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
