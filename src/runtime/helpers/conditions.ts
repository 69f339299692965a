import { ValidationError } from '../../errors.js';
import { realClock, type Clock } from '../clock.js';
import type { Condition } from '../types.js';

export type ConditionInput = Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string };

const statuses = new Set(['True', 'False', 'Unknown']);

/** metav1.Time: RFC 3339 with whole seconds. */
function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Anything that holds conditions: an object's `status`, usually. */
export interface ConditionHolder {
  conditions?: Condition[];
}

/** Both mutators take the holder, not the list, so they can create or shrink it in place. */
function requireHolder(fn: string, holder: unknown, argument: string, effect: string): void {
  if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) {
    throw new ValidationError(`${fn} needs the object that holds the conditions (usually obj.status), got ${Array.isArray(holder) ? 'an array' : JSON.stringify(holder)}`, {
      hint: `call ${fn}((obj.status ??= {}), ${argument}): it ${effect} and returns whether it changed`,
    });
  }
}

/**
 * Sets `condition` in `holder.conditions` (creating the list if needed) with apimachinery's
 * meta.SetStatusCondition semantics, and returns whether anything changed: a new type is appended; an
 * existing one keeps its lastTransitionTime unless its status changes; reason, message and
 * observedGeneration are updated. A reconcile can skip its status write when this returns false.
 */
export function setStatusCondition(holder: ConditionHolder, condition: ConditionInput, clock: Clock = realClock): boolean {
  requireHolder('setStatusCondition', holder, 'condition', 'sets obj.status.conditions');
  if (!condition.type) throw new ValidationError('a condition needs a type', { hint: "e.g. { type: 'Available', status: 'True', reason: 'Ready', message: '' }" });
  if (!statuses.has(condition.status)) {
    throw new ValidationError(`condition "${condition.type}" has status "${condition.status}", which is not True, False or Unknown`, { hint: "use 'True', 'False' or 'Unknown'" });
  }
  const list = (holder.conditions ??= []);
  const existing = list.find((c) => c.type === condition.type);
  if (!existing) {
    list.push({ ...condition, lastTransitionTime: condition.lastTransitionTime ?? timestamp(clock) });
    return true;
  }
  let changed = false;
  if (existing.status !== condition.status) {
    existing.status = condition.status;
    existing.lastTransitionTime = condition.lastTransitionTime ?? timestamp(clock);
    changed = true;
  }
  if (existing.reason !== condition.reason) {
    existing.reason = condition.reason;
    changed = true;
  }
  if (existing.message !== condition.message) {
    existing.message = condition.message;
    changed = true;
  }
  if ((existing.observedGeneration ?? 0) !== (condition.observedGeneration ?? 0)) {
    existing.observedGeneration = condition.observedGeneration;
    changed = true;
  }
  return changed;
}

export function findStatusCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Removes the condition `type` from `holder.conditions` and returns whether it was there, as
 * apimachinery's meta.RemoveStatusCondition does.
 */
export function removeStatusCondition(holder: ConditionHolder, type: string): boolean {
  requireHolder('removeStatusCondition', holder, 'type', 'removes that condition from obj.status.conditions');
  const list = holder.conditions;
  const index = list?.findIndex((c) => c.type === type) ?? -1;
  if (index < 0) return false;
  list!.splice(index, 1);
  return true;
}

export function isStatusConditionTrue(conditions: Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === 'True';
}
