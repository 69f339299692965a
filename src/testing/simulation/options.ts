import { ValidationError } from '../../errors.js';

/** What the embedded server simulates of the controllers a real cluster runs. Everything is off by default. */
export interface SimulateOptions {
  /**
   * Workload controllers: Deployments, ReplicaSets, StatefulSets and DaemonSets report every replica ready,
   * Jobs complete. Only status is written; no Pods or ReplicaSets are created.
   */
  workloads?: boolean;
}

export type ResolvedSimulateOptions = Required<SimulateOptions>;

export const SIMULATE_DEFAULTS: ResolvedSimulateOptions = { workloads: false };

/** Fills defaults and validates `simulate` in one place. */
export function resolveSimulateOptions(options: SimulateOptions | undefined): ResolvedSimulateOptions {
  if (options === undefined) return { ...SIMULATE_DEFAULTS };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError(`simulate must be an object such as { workloads: true }, got ${JSON.stringify(options)}`, { hint: 'Pass simulate: { workloads: true }, or leave it out.' });
  }
  const unknown = Object.keys(options).filter((key) => !(key in SIMULATE_DEFAULTS));
  if (unknown.length > 0) {
    throw new ValidationError(`simulate has no option ${unknown.map((k) => JSON.stringify(k)).join(', ')}; it knows ${Object.keys(SIMULATE_DEFAULTS).join(', ')}`, { hint: 'Pass simulate: { workloads: true }.' });
  }
  const workloads = options.workloads ?? SIMULATE_DEFAULTS.workloads;
  if (typeof workloads !== 'boolean') {
    throw new ValidationError(`simulate.workloads must be true or false, got ${JSON.stringify(workloads)}`, { hint: 'Pass simulate: { workloads: true }.' });
  }
  return { workloads };
}
