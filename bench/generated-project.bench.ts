/**
 * The generated project as a user meets it: `init` (with npm install) and `create api` through the real CLI,
 * then the size of what npm installed, `npm run build` and `npm test`. Prints figures; asserts nothing.
 * Needs a built CLI (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

/** Installed packages (directories holding a package.json directly under a node_modules) and their bytes. */
function installSize(dir: string): { packages: number; bytes: number } {
  let packages = 0;
  let bytes = 0;
  const walk = (d: string, underNodeModules: boolean) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (underNodeModules && !entry.name.startsWith('@') && !entry.name.startsWith('.')) {
          try {
            if (statSync(join(p, 'package.json')).isFile()) packages++;
          } catch { /* not a package root */ }
        }
        walk(p, entry.name === 'node_modules' || (underNodeModules && entry.name.startsWith('@')));
      } else bytes += statSync(p).size;
    }
  };
  walk(join(dir, 'node_modules'), true);
  return { packages, bytes };
}

const work = mkdtempSync(join(tmpdir(), 'operator-ts-bench-project-'));
try {
  const project = join(work, 'memcached-operator');
  mkdirSync(project);
  const init = timed('init', process.execPath, [cli, 'init', '--domain', 'example.com', '--yes'], project);
  const api = timed('create api', process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], project);
  const size = installSize(project);
  const build = timed('build', 'npm', ['run', 'build'], project);
  const test = timed('test', 'npm', ['test'], project);
  console.log(`init incl. npm install:      ${(init / 1000).toFixed(1)} s`);
  console.log(`create api:                  ${(api / 1000).toFixed(2)} s`);
  console.log(`installed packages:          ${size.packages} (${(size.bytes / 1024 / 1024).toFixed(0)} MiB in node_modules)`);
  console.log(`npm run build:               ${(build / 1000).toFixed(1)} s`);
  console.log(`npm test (typecheck + test): ${(test / 1000).toFixed(1)} s`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
