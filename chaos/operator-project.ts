/**
 * The operator under test: a project scaffolded by the real CLI (`init` + `create api`), its reconciler and types
 * replaced by the chaos writer (chaos/operator/), manifests regenerated and built. A project directory is reused
 * while the built runtime (dist/) and the chaos sources are unchanged, so repeated runs skip the npm install.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ChaosRunError } from './errors.js';

const repoRoot = resolve(import.meta.dirname, '..');
const cli = join(repoRoot, 'bin', 'operator-ts.js');
const operatorSources = join(import.meta.dirname, 'operator');
const run = promisify(execFile);

export interface OperatorProject {
  dir: string;
  /** Directory of the generated CRD. */
  crdDir: string;
  /** The Lease name the project elects on (its PROJECT's leaderElectionId). */
  leaderElectionId: string;
  /** True when an existing build was reused. */
  reused: boolean;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out.sort();
}

/** A digest of everything the built operator depends on from this repository. */
async function sourceDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const root of [join(repoRoot, 'dist'), join(repoRoot, 'templates'), operatorSources]) {
    for (const f of await filesUnder(root)) hash.update(f).update(await readFile(f));
  }
  return hash.digest('hex');
}

async function sh(cmd: string, args: string[], cwd: string): Promise<void> {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  try {
    await run(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new ChaosRunError(`\`${cmd} ${args.join(' ')}\` failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`, 'Run `npm run build` in operator-ts first; the command output above says what else failed.', err);
  }
}

/** Scaffolds and builds the chaos operator under `workDir` (reusing an earlier build there when it is current). */
export async function prepareOperator(workDir: string): Promise<OperatorProject> {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) {
    throw new ChaosRunError('operator-ts is not built (dist/cli/main.js is missing)', 'Run `npm run build` first: the chaos operator is scaffolded by the built CLI.');
  }
  const dir = join(workDir, 'chaos-operator');
  const stamp = join(dir, '.chaos-digest');
  const digest = await sourceDigest();
  const result = async (reused: boolean): Promise<OperatorProject> => {
    const project = await readFile(join(dir, 'PROJECT'), 'utf8');
    const id = /leaderElectionId: (\S+)/.exec(project)?.[1];
    if (!id) throw new ChaosRunError(`no leaderElectionId in ${join(dir, 'PROJECT')}`, 'Delete the directory; the next run scaffolds it again.');
    return { dir, crdDir: join(dir, 'config', 'crd', 'bases'), leaderElectionId: id, reused };
  };
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === digest && existsSync(join(dir, 'dist', 'main.js'))) return result(true);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await sh(process.execPath, [cli, 'init', '--domain', 'example.com', '--yes'], dir);
  await sh(process.execPath, [cli, 'create', 'api', '--group', 'chaos', '--version', 'v1', '--kind', 'Writer', '--resource', '--controller'], dir);
  await copyFile(join(operatorSources, 'writer.types.ts'), join(dir, 'src', 'api', 'v1', 'writer.types.ts'));
  await copyFile(join(operatorSources, 'writer.controller.ts'), join(dir, 'src', 'controllers', 'writer.controller.ts'));
  // The scaffolded controller test exercises the scaffolded reconciler, which is gone.
  await rm(join(dir, 'test', 'writer.controller.test.ts'), { force: true });
  await sh('npm', ['run', 'manifests'], dir);
  await sh('npm', ['run', 'build'], dir);
  await writeFile(stamp, digest);
  return result(false);
}
