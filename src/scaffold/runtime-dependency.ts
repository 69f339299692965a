import { execFile } from 'node:child_process';
import { existsSync, promises as fsp, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { OperatorTsError } from '../errors.js';
import { runsFromSourceCheckout, type PackageInfo } from './package-info.js';

/**
 * How a generated project depends on operator-ts (DESIGN.md §1). From a registry install the project
 * gets a semver range. From a source checkout operator-ts is not on any registry, so the CLI packs
 * itself into the project's vendor/ directory and points a `file:` spec at it: that installs
 * offline and is inside the Docker build context.
 */
export interface RuntimeDependency {
  /** The package.json spec, e.g. '^0.1.0' or 'file:vendor/operator-ts-0.1.0.tgz'. */
  spec: string;
  vendored: boolean;
  /** The packed tarball to write into the project (only when vendored). */
  tarball?: { path: string; contents: Buffer };
}

export interface RuntimeDependencyOptions {
  info: PackageInfo;
  /** Default: detected from where the package lives (see runsFromSourceCheckout). */
  fromSource?: boolean;
  /** Where packed tarballs are cached between runs; default <tmpdir>/operator-ts-pack-cache. */
  cacheDir?: string;
  /**
   * An explicit dependency spec (from OPERATOR_TS_RUNTIME_SPEC), e.g. 'file:/path/to/operator-ts' for
   * local development or '^0.1.0' for golden files: no tarball is packed.
   */
  overrideSpec?: string;
}

const execFileAsync = promisify(execFile);
const PACKED_DIRS = ['dist', 'templates', 'bin'];

/** Newest modification time of everything npm pack would include, so a rebuild invalidates the cache. */
function newestMtime(root: string): number {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of PACKED_DIRS) if (existsSync(join(root, d))) walk(join(root, d));
  if (existsSync(join(root, 'README.md'))) newest = Math.max(newest, statSync(join(root, 'README.md')).mtimeMs);
  return Math.floor(newest);
}

export async function resolveRuntimeDependency(options: RuntimeDependencyOptions): Promise<RuntimeDependency> {
  const { info } = options;
  if (options.overrideSpec) return { spec: options.overrideSpec, vendored: false };
  const fromSource = options.fromSource ?? runsFromSourceCheckout(info.root);
  if (!fromSource) return { spec: `^${info.version}`, vendored: false };

  if (!existsSync(join(info.root, 'dist', 'runtime', 'index.js'))) {
    throw new OperatorTsError('ENOTBUILT', `operator-ts runs from a source checkout (${info.root}) whose runtime is not built, so it cannot be vendored into the new project.`, {
      hint: `run 'npm run build' in ${info.root}, then run this command again`,
    });
  }
  const fileName = `${info.name}-${info.version}.tgz`;
  const cacheDir = join(options.cacheDir ?? join(tmpdir(), 'operator-ts-pack-cache'), `${info.version}-${newestMtime(info.root)}`);
  const cached = join(cacheDir, fileName);
  if (!existsSync(cached)) await packInto(info.root, cacheDir, fileName);
  return {
    spec: `file:vendor/${fileName}`,
    vendored: true,
    tarball: { path: `vendor/${fileName}`, contents: await fsp.readFile(cached) },
  };
}

/** Runs npm pack into a private directory, then renames the tarball into the cache (safe under concurrency). */
async function packInto(root: string, cacheDir: string, fileName: string): Promise<void> {
  await fsp.mkdir(cacheDir, { recursive: true });
  const work = join(cacheDir, `.pack-${randomBytes(4).toString('hex')}`);
  await fsp.mkdir(work);
  try {
    await execFileAsync('npm', ['pack', '--pack-destination', work, '--silent', '--ignore-scripts'], {
      cwd: root,
      env: { ...process.env, npm_config_loglevel: 'error' },
      maxBuffer: 16 * 1024 * 1024,
    });
    await fsp.rename(join(work, fileName), join(cacheDir, fileName));
  } catch (error) {
    throw new OperatorTsError('EPACK', `packing the operator-ts runtime from ${root} with 'npm pack' failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      hint: `check that 'npm pack' works in ${root}`,
      cause: error,
    });
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}
