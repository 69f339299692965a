import { FlagError } from '../flags/flag-error.js';
import { formatDuration } from '../flags/duration.js';
import { LEADER_ELECTION_DEFAULTS } from './defaults.js';
import { LeaderElectionConfigError } from './errors.js';

export interface LeaderElectionTiming {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go waits retryPeriod × up to this factor between tries. */
export const JITTER_FACTOR = 1.2;

/**
 * How a broken rule is reported: as manager options (milliseconds, LeaderElectionConfigError) or as the
 * flags of a generated main (Go durations, FlagError naming the flag).
 */
export type TimingSettingNames = 'options' | 'flags';

type Setting = keyof LeaderElectionTiming;

const FLAGS: Record<Setting, string> = {
  leaseDurationMs: '--leader-election-lease-duration',
  renewDeadlineMs: '--leader-election-renew-deadline',
  retryPeriodMs: '--leader-election-retry-period',
};

/**
 * The timing rules of client-go's leader election, checked here and nowhere else: every duration is
 * positive, the lease duration is whole seconds (the Lease stores seconds), and
 * lease duration > renew deadline > JITTER_FACTOR × retry period.
 */
export function validateLeaderElectionTiming(timing: LeaderElectionTiming, names: TimingSettingNames = 'options'): void {
  const flags = names === 'flags';
  const name = (s: Setting) => (flags ? FLAGS[s] : `leaderElection.${s}`);
  const other = (s: Setting) => (flags ? FLAGS[s] : s);
  const show = (ms: number) => (flags ? formatDuration(ms) : String(ms));
  const suggest = (s: Setting, ms: number) => (flags ? `${FLAGS[s]}=${formatDuration(ms)}` : `${s}: ${ms}`);
  const fail = (s: Setting, message: string, hint: string): never => {
    throw flags ? new FlagError(FLAGS[s], message, hint) : new LeaderElectionConfigError(s, message, hint);
  };

  for (const s of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs'] as const) {
    const ms = timing[s];
    if (!Number.isFinite(ms) || ms <= 0) {
      fail(s, `${name(s)} is ${flags ? show(ms) : ms}: it must be a positive ${flags ? 'duration' : 'number of milliseconds'}`, `use e.g. ${suggest(s, LEADER_ELECTION_DEFAULTS[s])}`);
    }
  }
  const { leaseDurationMs: lease, renewDeadlineMs: renew, retryPeriodMs: retry } = timing;
  if (lease % 1000 !== 0) {
    fail('leaseDurationMs', `${name('leaseDurationMs')} is ${show(lease)}: the Lease stores whole seconds`, `use whole seconds, e.g. ${suggest('leaseDurationMs', Math.max(1000, Math.round(lease / 1000) * 1000))}`);
  }
  if (lease <= renew) {
    fail('leaseDurationMs', `${name('leaseDurationMs')} (${show(lease)}) must be greater than ${other('renewDeadlineMs')} (${show(renew)})`, `use e.g. ${suggest('leaseDurationMs', Math.ceil((renew * 1.5) / 1000) * 1000)}`);
  }
  if (renew <= JITTER_FACTOR * retry) {
    fail('renewDeadlineMs', `${name('renewDeadlineMs')} (${show(renew)}) must be greater than ${JITTER_FACTOR} × ${other('retryPeriodMs')} (${show(retry)}) = ${show(JITTER_FACTOR * retry)}`, `use a shorter retry period, e.g. ${suggest('retryPeriodMs', Math.max(1, Math.floor(renew / 5)))}`);
  }
}

/**
 * The fencing margin: a fenced write must be sent before lastRenewSent + leaseDuration − margin. A
 * standby takes over no earlier than leaseDuration after it saw that renew, so a write sent in time
 * lands before any other replica can hold the Lease as long as its one-way delay (plus clock-rate
 * drift over the renew deadline) stays below the margin. It is leaseDuration − renewDeadline (5 s with
 * the 15/10/2 s defaults), so the deadline is also the moment the elector gives up on renewing; the
 * rule lease duration > renew deadline above keeps it positive.
 */
export function fencingMarginMs(timing: Pick<LeaderElectionTiming, 'leaseDurationMs' | 'renewDeadlineMs'>): number {
  return timing.leaseDurationMs - timing.renewDeadlineMs;
}
