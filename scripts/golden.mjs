// Shared by the golden update script and the drift test: scaffolds the golden sample projects with the
// real CLI into a directory. Output is reproducible: SOURCE_DATE_EPOCH pins the LICENSE year, and the
// vendored runtime tarball (binary, changes with every build) is left out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repoRoot, 'bin', 'operator-ts.js');

/** The sample projects: a name and the CLI calls that build it. */
export const goldenProjects = [
  {
    name: 'memcached-operator',
    steps: [
      ['init', '--domain', 'example.com', '--owner', 'The operator-ts authors', '--license', 'apache2', '--skip-install', '--yes'],
      ['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'],
      ['create', 'webhook', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--defaulting', '--programmatic-validation'],
      ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'StaticSite', '--resource', '--controller'],
      ['create', 'api', '--group', 'infra', '--version', 'v1beta1', '--kind', 'Cluster', '--plural', 'clusters', '--cluster-scoped', '--resource', '--no-controller'],
    ],
  },
];

export function scaffoldGolden(targetDir) {
  for (const project of goldenProjects) {
    const dir = join(targetDir, project.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const args of project.steps) {
      const result = spawnSync(process.execPath, [cli, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600', NODE_TEST_CONTEXT: '' },
      });
      if (result.status !== 0) throw new Error(`operator-ts ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    rmSync(join(dir, 'vendor'), { recursive: true, force: true });
  }
}

/** Every file under `dir` (posix relative paths), sorted. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
