import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, relative } from 'node:path';
import { OperatorTsError } from '../errors.js';
import { InterruptedError, WriteError } from './errors.js';
import { writes, type Plan, type PlanEntry } from './plan.js';

/**
 * Writes a conflict-free plan so that the target ends either fully updated or exactly as before:
 * every file goes to a temp file in its own directory first, then all temps are renamed into place;
 * on any failure or interrupt the temps are removed, created files deleted, updated files restored
 * from the contents the plan read, and created directories removed again. A deleted file is first
 * renamed aside and only unlinked once everything else is in place, so a rollback can rename it back.
 */
export interface CommitFs {
  mkdir(path: string): Promise<void>;
  writeFile(path: string, data: Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  removeTree(path: string): Promise<void>;
  /** Mode bits of an existing path, undefined when absent. */
  mode(path: string): Promise<number | undefined>;
}

export const nodeCommitFs: CommitFs = {
  mkdir: async (p) => {
    await fsp.mkdir(p);
  },
  writeFile: (p, data, mode) => fsp.writeFile(p, data, { mode, flag: 'wx' }),
  rename: (a, b) => fsp.rename(a, b),
  unlink: (p) => fsp.unlink(p),
  rmdir: (p) => fsp.rmdir(p),
  removeTree: (p) => fsp.rm(p, { recursive: true, force: true }),
  mode: async (p) => {
    try {
      return (await fsp.stat(p)).mode & 0o7777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
};

export interface CommitOptions {
  /** Absolute directory the plan's relative paths are resolved against. */
  root: string;
  plan: Plan;
  fs?: CommitFs;
  /** Aborted on SIGINT/SIGTERM: the commit stops at the next step and rolls back. */
  signal?: AbortSignal;
  /** Awaited before every step; tests and the CLI's slow-commit hook use it to widen the write window. */
  beforeStep?: () => Promise<void>;
}

interface Written {
  entry: PlanEntry;
  target: string;
  temp: string;
  renamed: boolean;
  mode: number;
}

function tempName(target: string, tag: string): string {
  return join(dirname(target), `.${basename(target)}.operator-ts-${randomBytes(4).toString('hex')}.${tag}`);
}

function describe(error: unknown, root: string, path: string): WriteError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = relative(root, path) || path;
  const reason =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'ENOSPC' ? 'no space left on the device'
        : code === 'EROFS' ? 'the file system is read-only'
          : error instanceof Error ? error.message : String(error);
  return new WriteError(`cannot write ${where} in ${root}: ${reason}; nothing was changed.`, {
    hint: code === 'EACCES' || code === 'EPERM' ? `make ${root} writable (chmod u+w) or choose another directory` : 'fix the cause and run the command again',
    cause: error,
  });
}

function interruptedBy(signal: AbortSignal): InterruptedError {
  return signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError(typeof signal.reason === 'string' ? signal.reason : 'SIGINT');
}

/** Creates the missing directories of `dir` under `root` one by one, remembering them for rollback. */
async function ensureDir(fs: CommitFs, root: string, dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while ((await fs.mode(current)) === undefined) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current || current === root) break;
    current = parent;
  }
  for (const d of missing) {
    await fs.mkdir(d);
    created.push(d);
  }
}

export async function commitPlan(options: CommitOptions): Promise<{ written: string[] }> {
  const fs = options.fs ?? nodeCommitFs;
  const { root, signal } = options;
  const created: string[] = [];
  const items: Written[] = [];
  const step = async (): Promise<void> => {
    if (options.beforeStep) await options.beforeStep();
    if (signal?.aborted) throw interruptedBy(signal);
  };
  let current = root;
  try {
    for (const entry of writes(options.plan)) {
      const target = join(root, entry.path);
      current = target;
      await step();
      if (entry.action === 'delete') {
        items.push({ entry, target, temp: tempName(target, 'deleted'), renamed: false, mode: 0o644 });
        continue;
      }
      await ensureDir(fs, root, dirname(target), created);
      const mode = entry.action === 'create' ? (entry.mode ?? 0o644) : ((await fs.mode(target)) ?? 0o644);
      const item: Written = { entry, target, temp: tempName(target, 'tmp'), renamed: false, mode };
      items.push(item);
      await fs.writeFile(item.temp, entry.contents, mode);
    }
    for (const item of items) {
      current = item.target;
      await step();
      if (item.entry.action === 'delete') await fs.rename(item.target, item.temp);
      else await fs.rename(item.temp, item.target);
      item.renamed = true;
    }
  } catch (error) {
    const failures = await rollback(fs, items, created);
    const primary = error instanceof OperatorTsError ? error : describe(error, root, current);
    if (failures.length > 0) {
      throw new WriteError(`${primary.message} Rolling back also failed for: ${failures.join(', ')}.`, {
        hint: 'restore those files from version control',
        cause: error,
      });
    }
    throw primary;
  }
  // Everything is in place: the set-aside copies of deleted files can go.
  for (const item of items) if (item.entry.action === 'delete') await fs.unlink(item.temp).catch(() => undefined);
  return { written: items.map((i) => i.entry.path) };
}

/** Undoes a partial commit; returns the paths it could not restore. Never throws, never stops early. */
async function rollback(fs: CommitFs, items: Written[], created: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const item of [...items].reverse()) {
    try {
      if (item.entry.action === 'delete') {
        if (item.renamed) await fs.rename(item.temp, item.target);
      } else if (!item.renamed) {
        await fs.unlink(item.temp).catch(() => undefined);
      } else if (item.entry.action === 'create') {
        await fs.unlink(item.target);
      } else {
        const restore = tempName(item.target, 'restore');
        await fs.writeFile(restore, item.entry.previous ?? Buffer.alloc(0), item.mode);
        await fs.rename(restore, item.target);
      }
    } catch {
      failures.push(item.entry.path);
    }
  }
  for (const dir of [...created].reverse()) await fs.rmdir(dir).catch(() => undefined);
  return failures;
}

/**
 * Writes a plan for a directory that does not exist yet: everything is staged in a hidden sibling
 * directory, which is renamed into place as the very last step.
 */
export async function commitPlanToNewDirectory(options: CommitOptions): Promise<{ written: string[] }> {
  const fs = options.fs ?? nodeCommitFs;
  const target = options.root;
  const parent = dirname(target);
  const createdParents: string[] = [];
  try {
    await ensureDir(fs, dirname(parent), parent, createdParents);
  } catch (error) {
    throw describe(error, parent, parent);
  }
  const stage = join(parent, `.${basename(target)}.operator-ts-staging-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(stage);
    const result = await commitPlan({ ...options, fs, root: stage });
    if (options.beforeStep) await options.beforeStep();
    if (options.signal?.aborted) throw interruptedBy(options.signal);
    if ((await fs.mode(target)) !== undefined) {
      throw new WriteError(`${target} appeared while the project was being staged; nothing was changed.`, { hint: 'run the command again' });
    }
    await fs.rename(stage, target);
    return result;
  } catch (error) {
    await fs.removeTree(stage).catch(() => undefined);
    for (const dir of [...createdParents].reverse()) await fs.rmdir(dir).catch(() => undefined);
    if (error instanceof OperatorTsError) {
      if (error instanceof WriteError) throw new WriteError(error.message.split(stage).join(target), { hint: error.hint, cause: error.cause });
      throw error;
    }
    throw describe(error, parent, target);
  }
}
