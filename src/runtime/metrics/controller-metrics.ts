import type { Registry } from 'prom-client';
import { counter, gauge, histogram } from './workqueue-metrics.js';

export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** controller-runtime's controller metrics for one controller. */
export interface ControllerMetrics {
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  /** Terminal errors are counted as errors and, separately, as terminal. */
  terminalError(): void;
  /** A reconcile threw a programming error (controller-runtime's panic), whether recovered or not. */
  panicked(): void;
  /** A reconcile ended after its reconcileTimeoutMs. */
  timedOut(): void;
  workerStarted(): void;
  workerStopped(): void;
}

const reconcileBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

export function createControllerMetrics(registry: Registry, controller: string, maxConcurrentReconciles: number): ControllerMetrics {
  const total = counter(registry, 'controller_runtime_reconcile_total', 'Total number of reconciliations per controller', ['controller', 'result']);
  const errors = counter(registry, 'controller_runtime_reconcile_errors_total', 'Total number of reconciliation errors per controller', ['controller']);
  const terminal = counter(registry, 'controller_runtime_terminal_reconcile_errors_total', 'Total number of terminal reconciliation errors per controller', ['controller']);
  const panics = counter(registry, 'controller_runtime_reconcile_panics_total', 'Total number of reconciliation panics per controller', ['controller']);
  const timeouts = counter(registry, 'controller_runtime_reconcile_timeouts_total', 'Total number of reconciliation timeouts per controller', ['controller']);
  const time = histogram(registry, 'controller_runtime_reconcile_time_seconds', 'Length of time per reconciliation per controller', ['controller'], reconcileBuckets);
  const maxConcurrent = gauge(registry, 'controller_runtime_max_concurrent_reconciles', 'Maximum number of concurrent reconciles per controller', ['controller']);
  const active = gauge(registry, 'controller_runtime_active_workers', 'Number of currently used workers per controller', ['controller']);
  const labels = { controller };
  for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const) total.inc({ controller, result }, 0);
  errors.inc(labels, 0);
  terminal.inc(labels, 0);
  panics.inc(labels, 0);
  timeouts.inc(labels, 0);
  maxConcurrent.set(labels, maxConcurrentReconciles);
  active.set(labels, 0);
  return {
    reconciled(outcome, seconds) {
      total.inc({ controller, result: outcome });
      if (outcome === 'error') errors.inc(labels);
      time.observe(labels, seconds);
    },
    terminalError() {
      terminal.inc(labels);
    },
    panicked() {
      panics.inc(labels);
    },
    timedOut() {
      timeouts.inc(labels);
    },
    workerStarted() {
      active.inc(labels);
    },
    workerStopped() {
      active.dec(labels);
    },
  };
}
