import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import type { LeaseGuard, WriteFence } from '../types.js';
import { LeaseNotHeldError } from './errors.js';

/** What a leader-election strategy tells its guard. */
export interface LeadershipState {
  clock: Clock;
  /**
   * Local time until which this replica is sure it holds the lease: -Infinity when not leading,
   * Infinity for a strategy whose leadership cannot expire (or with election off).
   */
  heldUntil(): number;
  /** Aborts, with a LeaseNotHeldError as reason, when the current leadership ends (already aborted when not leading). */
  leadership(): AbortSignal;
  /** Names the lease and this replica, for error messages. */
  describe(): string;
}

const never = new AbortController().signal;

/** The reason a released fence's timer is cancelled with: one shared object, because abort() without a reason builds a DOMException and its stack each time. */
const RELEASED = Object.freeze(new Error('fence released'));

/** The guard with election off: always held, fences never close. */
export const alwaysHeldGuard: LeaseGuard = {
  isHeld: () => true,
  assertHeld: () => {},
  fence: () => ({ deadline: Infinity, signal: never, check: () => {}, release: () => {} }),
};

/**
 * Builds the LeaseGuard of a leader-election strategy. A fence takes its deadline when it is opened and
 * closes at that deadline (a timer on the injected clock) or as soon as leadership ends, whichever
 * comes first; `check` repeats both tests so a caller can ask again right before bytes leave.
 */
export function createLeaseGuard(state: LeadershipState): LeaseGuard {
  const { clock } = state;
  const notHeld = (why: string) => new LeaseNotHeldError(`${state.describe()}: ${why}`);
  const isHeld = () => !state.leadership().aborted && clock.now() < state.heldUntil();
  return {
    isHeld,
    assertHeld: () => {
      if (!isHeld()) throw notHeld('the lease is not held');
    },
    fence: (): WriteFence => {
      const term = state.leadership();
      const deadline = state.heldUntil();
      const openedAt = clock.now();
      if (term.aborted || !(openedAt < deadline)) throw notHeld('the lease is not held');
      // Every write in flight listens to the term: many at once are expected, not a leak.
      setMaxListeners(0, term);
      const closed = new AbortController();
      const timer = new AbortController();
      const onTermEnd = () => closed.abort(term.reason instanceof LeaseNotHeldError ? term.reason : notHeld('leadership ended'));
      const release = () => {
        timer.abort(RELEASED);
        term.removeEventListener('abort', onTermEnd);
      };
      term.addEventListener('abort', onTermEnd, { once: true });
      if (deadline !== Infinity) {
        clock.sleep(deadline - openedAt, timer.signal).then(
          () => closed.abort(notHeld(`the fencing deadline passed (${Math.round(deadline - openedAt)} ms after the write was issued) before the write was done`)),
          () => {},
        );
      }
      closed.signal.addEventListener('abort', release, { once: true });
      return {
        deadline,
        signal: closed.signal,
        check: () => {
          if (!closed.signal.aborted && !(clock.now() < deadline)) closed.abort(notHeld('the fencing deadline passed before the write could be sent'));
          if (closed.signal.aborted) throw closed.signal.reason;
        },
        release,
      };
    },
  };
}

/** A strategy's current leadership: `begin` when it starts leading, `end` when it stops; `signal` aborts at the end. */
export class LeadershipTerm {
  private current = new AbortController();

  constructor() {
    this.current.abort(new LeaseNotHeldError('this replica has not become leader'));
  }

  get signal(): AbortSignal {
    return this.current.signal;
  }

  begin(): void {
    this.current = new AbortController();
  }

  /** Aborts the term's signal (and so every open fence) with `reason`. */
  end(reason: LeaseNotHeldError): void {
    this.current.abort(reason);
  }
}
