import { ValidationError } from '../../errors.js';
import { realClock, type Clock } from '../clock.js';
import type { Condition } from '../types.js';

export type ConditionInput = Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string };

const statuses = new Set(['True', 'False', 'Unknown']);

/** metav1.Time: RFC 3339 with whole seconds. */
function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Sets `condition` in a copy of `conditions` with apimachinery's meta semantics: a new type is
 * appended; an existing one keeps its lastTransitionTime unless its status changes; reason,
 * message and observedGeneration are always updated.
 */
export function setStatusCondition(conditions: Condition[] | undefined, condition: ConditionInput, clock: Clock = realClock): Condition[] {
  if (!condition.type) throw new ValidationError('a condition needs a type', { hint: "e.g. { type: 'Available', status: 'True', reason: 'Ready', message: '' }" });
  if (!statuses.has(condition.status)) {
    throw new ValidationError(`condition "${condition.type}" has status "${condition.status}", which is not True, False or Unknown`, { hint: "use 'True', 'False' or 'Unknown'" });
  }
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    list.push({ ...condition, lastTransitionTime: condition.lastTransitionTime ?? timestamp(clock) });
    return list;
  }
  const existing = list[i];
  const changed = existing.status !== condition.status;
  list[i] = {
    ...existing,
    ...condition,
    lastTransitionTime: changed ? condition.lastTransitionTime ?? timestamp(clock) : existing.lastTransitionTime,
  };
  return list;
}

export function findStatusCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A copy without the condition `type`. */
export function removeStatusCondition(conditions: Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

export function isStatusConditionTrue(conditions: Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === 'True';
}
