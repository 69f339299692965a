import { OperatorTsError, ValidationError } from '../errors.js';
import { realClock, type Clock } from '../runtime/clock.js';

export interface EventuallyOptions {
  /** How long to keep retrying, from the first attempt. */
  timeoutMs?: number;
  /** Pause between a failed attempt and the next one. */
  intervalMs?: number;
  /** Aborting fails the wait at once with the signal's reason (e.g. the manager under test stopped). */
  signal?: AbortSignal;
  /** Time source; tests of code that uses `eventually` can pass a FakeClock. */
  clock?: Clock;
}

export const EVENTUALLY_DEFAULTS = { timeoutMs: 10_000, intervalMs: 100 } as const;

interface ResolvedOptions {
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal | undefined;
  clock: Clock;
}

/** The wait ended without a failure to report: the last attempt was still running, or it threw a non-Error. */
export class EventuallyTimeoutError extends OperatorTsError {
  constructor(message: string, cause: unknown) {
    super('EEVENTUALLY', message, {
      hint: 'raise timeoutMs if the condition is slow to hold, or check why it never holds',
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

function resolveOptions(options: EventuallyOptions): ResolvedOptions {
  const timeoutMs = options.timeoutMs ?? EVENTUALLY_DEFAULTS.timeoutMs;
  const intervalMs = options.intervalMs ?? EVENTUALLY_DEFAULTS.intervalMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new ValidationError(`eventually: timeoutMs ${String(timeoutMs)} is not a duration; it must be a finite number of milliseconds >= 0`, {
      hint: 'pass e.g. { timeoutMs: 30_000 }',
    });
  }
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new ValidationError(`eventually: intervalMs ${String(intervalMs)} is not a pause; it must be a finite number of milliseconds > 0`, {
      hint: 'pass e.g. { intervalMs: 100 }',
    });
  }
  return { timeoutMs, intervalMs, signal: options.signal, clock: options.clock ?? realClock };
}

const STILL_RUNNING = Symbol('still running');

/**
 * Runs `fn` until it returns without throwing and resolves with its value. A throw (typically a failed
 * `assert`) means "not yet": `fn` runs again after `intervalMs`. When `timeoutMs` has passed, the last
 * error is thrown, its message extended with how long the wait took and how many attempts it made, so
 * the assertion's own diff is what the test report shows. An attempt still running at the deadline is not
 * waited for.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs, intervalMs, signal, clock } = resolveOptions(options);
  const started = clock.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  let failed = false;
  for (;;) {
    signal?.throwIfAborted();
    attempts++;
    const outcome = await attempt(fn, clock, Math.max(0, deadline - clock.now()), signal);
    if (outcome.ok) return outcome.value;
    if (outcome.error === STILL_RUNNING) {
      throw new EventuallyTimeoutError(
        `eventually: attempt ${attempts} was still running when the ${timeoutMs} ms timeout ended` +
          (failed ? ` (the attempt before it failed: ${describe(lastError)})` : ''),
        failed ? lastError : undefined,
      );
    }
    lastError = outcome.error;
    failed = true;
    const now = clock.now();
    if (now >= deadline) throw timedOut(lastError, now - started, attempts);
    await clock.sleep(Math.min(intervalMs, deadline - now), signal);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** One call of `fn`, abandoned (reported as STILL_RUNNING) if it has not settled within `remainingMs`. */
async function attempt<T>(fn: () => T | Promise<T>, clock: Clock, remainingMs: number, signal: AbortSignal | undefined): Promise<Outcome<T>> {
  const run = (async (): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      return { ok: false, error };
    }
  })();
  const stopTimer = new AbortController();
  const timer = clock.sleep(remainingMs, stopTimer.signal).then(
    (): Outcome<T> => ({ ok: false, error: STILL_RUNNING }),
    // Cancelled below once the race is decided; never settles then.
    () => new Promise<Outcome<T>>(() => undefined),
  );
  let stopListening = (): void => undefined;
  const aborted = new Promise<Outcome<T>>((_, reject) => {
    if (signal === undefined) return;
    const fail = (): void => reject(signal.reason);
    if (signal.aborted) return fail();
    signal.addEventListener('abort', fail, { once: true });
    stopListening = () => signal.removeEventListener('abort', fail);
  });
  try {
    return await Promise.race([run, timer, aborted]);
  } finally {
    stopTimer.abort();
    stopListening();
  }
}

function timedOut(error: unknown, waitedMs: number, attempts: number): Error {
  const note = `(still failing after ${Math.round(waitedMs)} ms and ${attempts} attempt${attempts === 1 ? '' : 's'})`;
  if (!(error instanceof Error)) {
    return new EventuallyTimeoutError(`eventually: ${describe(error)} ${note}`, error);
  }
  const original = error.message;
  error.message = `${original}\n${note}`;
  // Reporters print the stack, which captured the old message when the error was made.
  if (typeof error.stack === 'string' && original !== '' && error.stack.includes(original)) {
    error.stack = error.stack.replace(original, error.message);
  }
  return error;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
