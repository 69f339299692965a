import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileConflictError } from './errors.js';

/**
 * The in-memory plan every command builds before touching the disk: project-relative posix path →
 * contents and action. Conflicts are found for the whole plan first; only a conflict-free plan is
 * committed (see commit.ts).
 */
export type PlanAction = 'create' | 'update' | 'skip' | 'conflict';

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
  mode?: number;
}

/** Collects planned files over a view of the disk; later steps (markers, PROJECT) read through it. */
export class PlanBuilder {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly view: FileSystemView, private readonly force = false) {}

  /** Adds a file from a template. `policy` says what happens when it exists; --force turns errors into overwrites. */
  add(path: string, contents: string | Buffer, policy: ExistingPolicy = 'error', mode?: number): void {
    const effective: ExistingPolicy = policy === 'error' && this.force ? 'overwrite' : policy;
    this.pending.set(path, { contents: Buffer.from(contents), policy: effective, ...(mode === undefined ? {} : { mode }) });
  }

  /** Replaces a file's contents whether or not it exists (insertions, PROJECT, generated manifests). */
  update(path: string, contents: string | Buffer): void {
    const existing = this.pending.get(path);
    if (existing && existing.policy !== 'skip') {
      existing.contents = Buffer.from(contents);
      return;
    }
    this.pending.set(path, { contents: Buffer.from(contents), policy: 'overwrite' });
  }

  /** The contents the file will have after the plan (pending, else on disk), undefined when neither. */
  read(path: string): Buffer | undefined {
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
      else action = 'update';
      entries.push({
        path,
        action,
        contents: action === 'skip' ? previous! : p.contents,
        ...(previous === undefined ? {} : { previous }),
        ...(p.mode === undefined ? {} : { mode: p.mode }),
      });
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

/** Entries that change the disk. */
export function writes(plan: Plan): PlanEntry[] {
  return plan.entries.filter((e) => e.action === 'create' || e.action === 'update');
}

/** The plan as `--dry-run` prints it: `CREATE path (N bytes)`, `UPDATE path`, `SKIP path`, `CONFLICT path`. */
export function formatPlan(plan: Plan): string[] {
  return plan.entries.map((e) => {
    switch (e.action) {
      case 'create':
        return `CREATE ${e.path} (${e.contents.length} bytes)`;
      case 'update':
        return `UPDATE ${e.path}`;
      case 'skip':
        return `SKIP ${e.path}`;
      case 'conflict':
        return `CONFLICT ${e.path} (exists)`;
    }
  });
}
