import type { CommitOptions } from '../scaffold/commit.js';
import { assertNoConflicts, formatPlan, writes, type Plan } from '../scaffold/plan.js';
import { commitStepHook, withInterruptGuard } from './interrupt.js';
import type { CliIo } from './io.js';

/** `--dry-run`: prints the plan, fails on conflicts like a real run would, writes nothing. */
export function printDryRun(plan: Plan, dir: string, io: CliIo): void {
  for (const line of formatPlan(plan)) io.out(line);
  assertNoConflicts(plan);
  io.out(`Dry run: nothing was written to ${dir}.`);
}

/** Writes a checked plan with `commit`; SIGINT/SIGTERM during the write roll it back (exit 130). */
export async function writePlan(plan: Plan, dir: string, io: CliIo, commit: (options: CommitOptions) => Promise<unknown>): Promise<void> {
  const beforeStep = commitStepHook(io.env);
  // The guard is in place before the first line announces the write, so no signal falls between the two.
  await withInterruptGuard((signal) => {
    io.out(`Writing ${writes(plan).length} files to ${dir}`);
    // Replacing the user's code (--force) and deleting files are never silent.
    const lines = formatPlan(plan);
    plan.entries.forEach((entry, i) => {
      if (entry.action === 'replace' || entry.action === 'delete') io.out(`  ${lines[i]!}`);
    });
    return commit({ root: dir, plan, signal, ...(beforeStep ? { beforeStep } : {}) });
  });
}

/**
 * What `create api`, `create webhook` and `generate bundle` do with their plan: print it (`--dry-run`), or check it
 * for conflicts and write it into the existing project. Returns whether it was written.
 */
export async function printOrWritePlan(plan: Plan, dir: string, io: CliIo, dryRun: boolean): Promise<boolean> {
  if (dryRun) {
    printDryRun(plan, dir, io);
    return false;
  }
  assertNoConflicts(plan);
  const { commitPlan } = await import('../scaffold/commit.js');
  await writePlan(plan, dir, io, commitPlan);
  return true;
}
