import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileConflictError } from './errors.js';

/**
 * The in-memory plan every command builds before touching the disk: project-relative posix path →
 * contents and action. Conflicts are found for the whole plan first; only a conflict-free plan is
 * committed (see commit.ts). `replace` is an update of a file that holds the user's code (allowed only
 * by --force, and said so in the plan); `delete` removes a file the command generated earlier and no
 * longer produces.
 */
export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'skip' | 'conflict';

/** What to do when a planned file already exists on disk. */
export type ExistingPolicy = 'error' | 'skip' | 'overwrite';

export interface PlanEntry {
  path: string;
  action: PlanAction;
  contents: Buffer;
  /** Contents on disk before the command (update/skip/conflict), used for rollback and diffs. */
  previous?: Buffer;
  /** File mode for created files (e.g. 0o755 for scripts); updates keep the existing mode. */
  mode?: number;
}

export interface Plan {
  entries: PlanEntry[];
}

/** Read-only view of the target directory, so plans can be built against memory in tests. */
export interface FileSystemView {
  /** Contents of a project-relative file, undefined when absent; throws if the path is a directory. */
  read(path: string): Buffer | undefined;
}

export class DiskView implements FileSystemView {
  constructor(private readonly root: string) {}
  read(path: string): Buffer | undefined {
    const full = join(this.root, path);
    try {
      if (statSync(full).isDirectory()) throw new FileConflictError([`${path} (a directory)`]);
      return readFileSync(full);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw error;
    }
  }
}

export class MemoryView implements FileSystemView {
  private readonly files: Map<string, Buffer>;
  constructor(files: Record<string, string | Buffer> = {}) {
    this.files = new Map(Object.entries(files).map(([p, c]) => [p, Buffer.from(c)]));
  }
  read(path: string): Buffer | undefined {
    return this.files.get(path);
  }
}

interface Pending {
  contents: Buffer;
  policy: ExistingPolicy;
  /** The file holds the user's code: overwriting it (only with --force) is a `replace`. */
  userCode: boolean;
  mode?: number;
}

/** Collects planned files over a view of the disk; later steps (markers, PROJECT) read through it. */
export class PlanBuilder {
  private readonly pending = new Map<string, Pending>();
  private readonly removed = new Set<string>();

  constructor(private readonly view: FileSystemView, private readonly force = false) {}

  /** Adds a file from a template. `policy` says what happens when it exists; --force turns errors into overwrites. */
  add(path: string, contents: string | Buffer, policy: ExistingPolicy = 'error', mode?: number): void {
    const userCode = policy === 'error';
    const effective: ExistingPolicy = userCode && this.force ? 'overwrite' : policy;
    this.pending.set(path, { contents: Buffer.from(contents), policy: effective, userCode, ...(mode === undefined ? {} : { mode }) });
  }

  /** Removes a file the command generated earlier, if it exists (after the plan, reads see it absent). */
  remove(path: string): void {
    this.removed.add(path);
    this.pending.delete(path);
  }

  /** Replaces a file's contents whether or not it exists (insertions, PROJECT, generated manifests). */
  update(path: string, contents: string | Buffer): void {
    this.removed.delete(path);
    const existing = this.pending.get(path);
    if (existing && existing.policy !== 'skip') {
      existing.contents = Buffer.from(contents);
      return;
    }
    this.pending.set(path, { contents: Buffer.from(contents), policy: 'overwrite', userCode: false });
  }

  /** The contents the file will have after the plan (pending, else on disk), undefined when neither. */
  read(path: string): Buffer | undefined {
    if (this.removed.has(path)) return undefined;
    const p = this.pending.get(path);
    if (p && !(p.policy === 'skip' && this.view.read(path) !== undefined)) return p.contents;
    return this.view.read(path);
  }

  /** Every pending path with the contents it will have, for materialising the planned tree. */
  pendingFiles(): Array<{ path: string; contents: Buffer }> {
    return [...this.pending.keys()].map((path) => ({ path, contents: this.read(path)! }));
  }

  build(): Plan {
    const entries: PlanEntry[] = [];
    for (const [path, p] of this.pending) {
      const previous = this.view.read(path);
      let action: PlanAction;
      if (previous === undefined) action = 'create';
      else if (p.policy === 'skip' || previous.equals(p.contents)) action = 'skip';
      else if (p.policy === 'error') action = 'conflict';
      else action = p.userCode ? 'replace' : 'update';
      entries.push({
        path,
        action,
        contents: action === 'skip' ? previous! : p.contents,
        ...(previous === undefined ? {} : { previous }),
        ...(p.mode === undefined ? {} : { mode: p.mode }),
      });
    }
    for (const path of this.removed) {
      const previous = this.view.read(path);
      if (previous !== undefined) entries.push({ path, action: 'delete', contents: previous, previous });
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { entries };
  }
}

/** Throws one error listing every conflicting path, before anything is written. */
export function assertNoConflicts(plan: Plan): void {
  const conflicts = plan.entries.filter((e) => e.action === 'conflict').map((e) => e.path);
  if (conflicts.length > 0) throw new FileConflictError(conflicts);
}

const CHANGES: ReadonlySet<PlanAction> = new Set(['create', 'update', 'replace', 'delete']);

/** Entries that change the disk. */
export function writes(plan: Plan): PlanEntry[] {
  return plan.entries.filter((e) => CHANGES.has(e.action));
}

/** The plan as `--dry-run` prints it: `CREATE path (N bytes)`, `UPDATE path`, `REPLACE path`, `DELETE path`, `SKIP path`, `CONFLICT path`. */
export function formatPlan(plan: Plan): string[] {
  return plan.entries.map((e) => {
    switch (e.action) {
      case 'create':
        return `CREATE ${e.path} (${e.contents.length} bytes)`;
      case 'update':
        return `UPDATE ${e.path}`;
      case 'replace':
        return `REPLACE ${e.path} (--force: your changes to this file are overwritten)`;
      case 'delete':
        return `DELETE ${e.path} (generated earlier, no longer produced)`;
      case 'skip':
        return `SKIP ${e.path}`;
      case 'conflict':
        return `CONFLICT ${e.path} (exists)`;
    }
  });
}
