import type { Obj } from '../server/registry.js';
import type { Condition } from './conditions.js';

const COMPLETED_REASON = 'CompletionsReached';
const COMPLETED_MESSAGE = 'Reached expected number of succeeded pods';

/** Indexes as the Job controller writes completedIndexes: runs of three or more as `a-b`, pairs as `a,b`. */
export function indexRange(count: number): string {
  if (count <= 0) return '';
  if (count === 1) return '0';
  return count === 2 ? '0,1' : `0-${count - 1}`;
}

export function isJobFinished(job: Obj): boolean {
  const conditions: Condition[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  return conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * The status of a Job whose pods all succeeded, as the v1.32 Job controller leaves it: succeeded equal to
 * spec.completions (1 when unset), SuccessCriteriaMet and then Complete (both CompletionsReached),
 * completionTime, and for Indexed jobs completedIndexes. undefined when the Job must not be touched:
 * suspended, or already finished.
 */
export function completedJobStatus(job: Obj, now: string): Obj | undefined {
  if (job.spec?.suspend === true || isJobFinished(job)) return undefined;
  const completions = typeof job.spec?.completions === 'number' ? job.spec.completions : 1;
  const previous: Condition[] = Array.isArray(job.status?.conditions) ? job.status.conditions.filter((c: Condition) => c.type !== 'SuccessCriteriaMet') : [];
  const condition = (type: string): Condition => ({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: COMPLETED_REASON, message: COMPLETED_MESSAGE });
  const status: Obj = {
    conditions: [...previous, condition('SuccessCriteriaMet'), condition('Complete')],
    startTime: job.status?.startTime ?? now,
    completionTime: now,
    ...(completions > 0 ? { succeeded: completions } : {}),
    terminating: 0,
    uncountedTerminatedPods: {},
    ready: 0,
  };
  if (job.spec?.completionMode === 'Indexed' && completions > 0) status.completedIndexes = indexRange(completions);
  return status;
}
