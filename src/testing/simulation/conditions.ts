/** A status condition as workload controllers write them; the time fields present depend on the kind. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
}

/**
 * Sets a Deployment condition the way the deployment controller does: an unchanged status and reason
 * keeps the condition as it is; a changed reason or message with the same status keeps lastTransitionTime;
 * a set condition moves to the end of the list.
 */
export function setDeploymentCondition(conditions: readonly Condition[], next: Condition, now: string): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason && current.message === next.message) return [...conditions];
  const transition = current && current.status === next.status ? current.lastTransitionTime ?? now : now;
  const set: Condition = { type: next.type, status: next.status, lastUpdateTime: now, lastTransitionTime: transition, reason: next.reason, message: next.message };
  return [...conditions.filter((c) => c.type !== next.type), set];
}
