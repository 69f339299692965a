import { InterruptedError } from '../scaffold/errors.js';

/**
 * Runs the write phase with SIGINT/SIGTERM turned into an abort: the commit notices it at its next
 * step, rolls back, and the command exits 130 with the tree as it was. Outside the write phase the
 * signals keep their default behaviour (nothing is half-written then).
 */
export async function withInterruptGuard<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Test hook: OPERATOR_TS_TEST_COMMIT_STEP_MS widens the write window so tests can interrupt it. */
export function commitStepHook(env: NodeJS.ProcessEnv): (() => Promise<void>) | undefined {
  const ms = Number(env['OPERATOR_TS_TEST_COMMIT_STEP_MS']);
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return () => new Promise((resolve) => setTimeout(resolve, ms));
}
