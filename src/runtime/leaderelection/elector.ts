import type { Clock } from '../clock.js';
import type { EventRecorder, LeaseGuard, Logger } from '../types.js';
import { silentLogger } from '../logging/silent-logger.js';
import { LeaderElectionLostError, LeaseNotHeldError } from './errors.js';
import { errorCode, isLeaseWatcher, sameRecord, type LeaderElectionRecord, type LeaseLock, type ObservedLease } from './lease-lock.js';
import { formatMicroTime } from './microtime.js';
import { createLeaseGuard, LeadershipTerm } from './lease-guard.js';
import { fencingMarginMs, JITTER_FACTOR, validateLeaderElectionTiming } from './timing-rules.js';
import { keepWatching } from './reopening-watch.js';
import { jittered, Wakeup, withTimeout } from './timing.js';

export interface LeaderElectorConfig {
  lock: LeaseLock;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  clock: Clock;
  logger?: Logger;
  /** Receives "became leader" / "stopped leading" on the Lease. */
  recorder?: EventRecorder;
  /** Called whenever leadership starts or ends (drives leader_election_master_status). */
  onLeadingChange?: (leading: boolean) => void;
  /** Called when the leader renews through the slow path (read, then update) (drives leader_election_slowpath_total). */
  onSlowPath?: () => void;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
  /** Delay before re-opening a failed watch; doubles up to retryPeriodMs. */
  watchBackoffMs?: number;
}

/**
 * client-go's Lease election (tryAcquireOrRenew), plus: the standby watches the Lease so a release or
 * an expiry is acted on at once, a leader that sees another holder gives up at once, and a fencing
 * guard: a write must be sent before the last successful renew's send time + lease duration − the
 * fencing margin, and is aborted as soon as leadership ends (docs/fencing.md).
 *
 * Expiry is judged on the local clock from when a change of the record was observed; the wall-clock
 * times written into the record are never compared with ours.
 */
export class LeaderElector {
  readonly guard: LeaseGuard;
  private readonly cfg: Required<Omit<LeaderElectorConfig, 'recorder' | 'onLeadingChange' | 'onSlowPath'>> & Pick<LeaderElectorConfig, 'recorder' | 'onLeadingChange' | 'onSlowPath'>;
  private readonly requestTimeoutMs: number;
  private observedLease: ObservedLease | undefined;
  private observedTime = 0;
  private observedSeq = 0;
  private leaseAbsent = false;
  private leading = false;
  private lastRenewAt: number | undefined;
  private readonly term = new LeadershipTerm();
  private readonly wakeup = new Wakeup();

  constructor(config: LeaderElectorConfig) {
    validateLeaderElectionTiming(config);
    this.cfg = { logger: silentLogger, random: Math.random, watchBackoffMs: 100, ...config };
    this.requestTimeoutMs = Math.max(config.renewDeadlineMs / 2, 1000);
    this.guard = createLeaseGuard({
      clock: config.clock,
      heldUntil: () => this.heldUntil(),
      leadership: () => this.term.signal,
      describe: () => `lease ${this.leaseName()}, replica ${this.cfg.identity} (last renewed ${this.describeLastRenew()})`,
    });
  }

  get identity(): string {
    return this.cfg.identity;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Fencing: true only while leading and before the fencing deadline (`heldUntil`). */
  isHeld(): boolean {
    return this.guard.isHeld();
  }

  /**
   * The fencing deadline: send time of the last successful renew + lease duration − fencing margin
   * (which is the renew deadline); -Infinity when not leading.
   */
  heldUntil(): number {
    if (!this.leading || this.lastRenewAt === undefined) return -Infinity;
    return this.lastRenewAt + this.cfg.leaseDurationMs - fencingMarginMs(this.cfg);
  }

  /** Local time of the last successful acquire/renew (the time the request was sent). */
  lastRenewTime(): number | undefined {
    return this.lastRenewAt;
  }

  /** The holder this replica last saw on the Lease ('' when released, undefined when unknown). */
  observedHolder(): string | undefined {
    return this.observedLease?.record.holderIdentity;
  }

  /**
   * Campaigns until this replica holds the lease. Resolves once leading; rejects with the abort
   * reason when `signal` aborts first.
   */
  async acquire(signal: AbortSignal): Promise<void> {
    const { clock, logger } = this.cfg;
    const watchStop = new AbortController();
    const onAbort = () => watchStop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const watching = this.watchLease(watchStop.signal);
    let nextTryAt = clock.now();
    let lastAttemptAt = -Infinity;
    let seqAtLastAttempt = -1;
    logger.info('attempting to acquire leader lease', { lease: this.leaseName() });
    try {
      for (;;) {
        if (signal.aborted) throw abortReason(signal);
        const now = clock.now();
        const expiry = this.expiresAt();
        const takeable = this.canTakeNow(now);
        const newlyTakeable =
          takeable && (this.observedSeq !== seqAtLastAttempt || (expiry !== undefined && lastAttemptAt < expiry && now >= expiry));
        if (now >= nextTryAt || newlyTakeable) {
          lastAttemptAt = now;
          seqAtLastAttempt = this.observedSeq;
          if (await this.attempt(signal)) {
            this.startLeading();
            return;
          }
          nextTryAt = clock.now() + jittered(this.cfg.retryPeriodMs, JITTER_FACTOR, this.cfg.random);
          seqAtLastAttempt = this.observedSeq;
        }
        const until = Math.min(nextTryAt, this.expiresAt() ?? Infinity);
        await this.wakeup.wait(clock, until - clock.now(), signal);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      watchStop.abort();
      await watching;
    }
  }

  /**
   * Keeps renewing while leading. Resolves when `signal` aborts (still leading: call `stop`), rejects
   * with LeaderElectionLostError when the renew deadline passes without a successful renew or when
   * another replica is seen holding the lease.
   */
  async hold(signal: AbortSignal): Promise<void> {
    const { clock, renewDeadlineMs, retryPeriodMs } = this.cfg;
    if (!this.leading || this.lastRenewAt === undefined) throw new LeaderElectionLostError('hold() called while not leading');
    let nextRenewAt = this.lastRenewAt + retryPeriodMs;
    for (;;) {
      const deadline = this.lastRenewAt + renewDeadlineMs;
      await this.wakeup.wait(clock, Math.min(nextRenewAt, deadline) - clock.now(), signal);
      if (signal.aborted) return;
      const now = clock.now();
      if (now >= this.lastRenewAt + renewDeadlineMs) return this.lose(`failed to renew the lease within the renew deadline (${renewDeadlineMs} ms)`);
      if (now < nextRenewAt) continue; // woken by a stray notify
      const ok = await this.attempt(signal, Math.max(1, Math.min(this.requestTimeoutMs, deadline - now)));
      if (signal.aborted) return;
      if (!ok) {
        const holder = this.observedHolder();
        if (holder !== undefined && holder !== this.cfg.identity) return this.lose(`the lease is now held by ${holder || '(nobody)'}`);
      }
      nextRenewAt = clock.now() + retryPeriodMs;
    }
  }

  /**
   * Ends leadership without losing it: with `release`, writes holderIdentity '' and
   * leaseDurationSeconds 1 so a standby takes over at once. Call only after every leader-only
   * runnable has stopped. Returns true when the release was written.
   */
  async stop(options: { release: boolean }): Promise<boolean> {
    if (!this.leading) return false;
    this.endTerm('this replica stopped leading'); // fence first: nothing may write while we hand the lease back
    let released = false;
    if (options.release) released = await this.release();
    this.stoppedLeading(released ? 'released the lease' : 'stopped');
    return released;
  }

  private async release(): Promise<boolean> {
    const { lock, clock, logger, identity } = this.cfg;
    const never = new AbortController().signal;
    for (let tries = 0; tries < 2; tries++) {
      let current = this.observedLease;
      try {
        if (tries > 0 || !current) current = await withTimeout(clock, this.requestTimeoutMs, never, (s) => lock.get(s));
        if (!current || current.record.holderIdentity !== identity) return false;
        const now = formatMicroTime(clock.now());
        const record: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: current.record.leaseTransitions };
        const written = await withTimeout(clock, this.requestTimeoutMs, never, (s) => lock.update(record, current!.resourceVersion, s));
        this.observe(written, clock.now());
        logger.info('released leader lease', { lease: this.leaseName() });
        return true;
      } catch (err) {
        logger.warn('failed to release leader lease', { lease: this.leaseName(), error: err });
        if (errorCode(err) !== 409) return false;
      }
    }
    return false;
  }

  /** One round of client-go's tryAcquireOrRenew. Never throws for API errors: false means "not this round". */
  private async attempt(signal: AbortSignal, timeoutMs = this.requestTimeoutMs): Promise<boolean> {
    const { lock, clock, identity, leaseDurationMs, logger } = this.cfg;
    const now = clock.now();
    const nowMicro = formatMicroTime(now);
    const leaseDurationSeconds = Math.round(leaseDurationMs / 1000);
    const call = <T>(fn: (s: AbortSignal) => Promise<T>) => withTimeout(clock, timeoutMs, signal, fn);
    try {
      // Fast path: we lead and know the current version, so renew without a read.
      const known = this.observedLease;
      if (this.leading && known && known.record.holderIdentity === identity) {
        try {
          const renewed = await call((s) => lock.update({ ...known.record, leaseDurationSeconds, renewTime: nowMicro }, known.resourceVersion, s));
          this.succeeded(renewed, now);
          return true;
        } catch (err) {
          if (signal.aborted) return false;
          logger.debug('lease renew failed, reading the lease again', { lease: this.leaseName(), error: err });
        }
      }
      const current = await call((s) => lock.get(s));
      if (!current) {
        const created = await call((s) =>
          lock.create({ holderIdentity: identity, leaseDurationSeconds, acquireTime: nowMicro, renewTime: nowMicro, leaseTransitions: 0 }, s),
        );
        this.succeeded(created, now);
        return true;
      }
      this.observe(current, clock.now());
      const old = current.record;
      const ours = old.holderIdentity === identity;
      if (!ours && old.holderIdentity !== '' && !this.expired(clock.now())) return false;
      const record: LeaderElectionRecord = {
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: ours && old.acquireTime ? old.acquireTime : nowMicro,
        renewTime: nowMicro,
        leaseTransitions: ours ? old.leaseTransitions : old.leaseTransitions + 1,
      };
      // client-go counts the slow path when a leader renews after reading the lease again.
      if (this.leading && ours) this.cfg.onSlowPath?.();
      const updated = await call((s) => lock.update(record, current.resourceVersion, s));
      this.succeeded(updated, now);
      return true;
    } catch (err) {
      if (!signal.aborted) {
        const level = errorCode(err) === 409 ? 'debug' : 'warn';
        logger[level]('leader lease request failed', { lease: this.leaseName(), error: err });
      }
      return false;
    }
  }

  private succeeded(lease: ObservedLease, sentAt: number): void {
    this.observe(lease, this.cfg.clock.now());
    this.lastRenewAt = sentAt;
  }

  /** Records what the server holds; the observation time moves only when the record really changed. */
  private observe(lease: ObservedLease | undefined, now: number): void {
    if (!lease) {
      if (!this.leaseAbsent) this.observedSeq++;
      this.leaseAbsent = true;
      this.observedLease = undefined;
      return;
    }
    this.leaseAbsent = false;
    if (!sameRecord(this.observedLease?.record, lease.record)) {
      this.observedTime = now;
      this.observedSeq++;
    }
    this.observedLease = lease;
  }

  private expiresAt(): number | undefined {
    const rec = this.observedLease?.record;
    if (!rec || rec.holderIdentity === '' || rec.holderIdentity === this.cfg.identity) return undefined;
    return this.observedTime + rec.leaseDurationSeconds * 1000;
  }

  private expired(now: number): boolean {
    const at = this.expiresAt();
    return at === undefined || now >= at;
  }

  private canTakeNow(now: number): boolean {
    if (this.leaseAbsent) return true;
    const rec = this.observedLease?.record;
    if (!rec) return false; // never read yet: the first attempt happens right away anyway
    return rec.holderIdentity === '' || rec.holderIdentity === this.cfg.identity || this.expired(now);
  }

  private async watchLease(signal: AbortSignal): Promise<void> {
    const { lock, clock, logger } = this.cfg;
    if (!isLeaseWatcher(lock)) return;
    await keepWatching(
      {
        clock,
        logger,
        fields: { lease: this.leaseName() },
        minBackoffMs: this.cfg.watchBackoffMs,
        maxBackoffMs: this.cfg.retryPeriodMs,
        open: (delivered) =>
          lock.watch((lease) => {
            delivered();
            this.observe(lease, clock.now());
            this.wakeup.notify();
          }, signal),
      },
      signal,
    );
  }

  private startLeading(): void {
    this.leading = true;
    this.term.begin();
    this.cfg.logger.info('became leader', { lease: this.leaseName(), identity: this.cfg.identity });
    this.cfg.onLeadingChange?.(true);
    this.recordEvent(`${this.cfg.identity} became leader`);
  }

  private lose(reason: string): never {
    this.endTerm(`leadership was lost: ${reason}`);
    this.stoppedLeading(reason);
    throw new LeaderElectionLostError(`leader election lost for lease ${this.leaseName()}: ${reason}`);
  }

  /** Stops leading and aborts every open fence (and what listens to the term) before anything else runs. */
  private endTerm(why: string): void {
    this.leading = false;
    this.term.end(new LeaseNotHeldError(`lease ${this.leaseName()} is no longer held by ${this.cfg.identity}: ${why}`));
  }

  private stoppedLeading(reason: string): void {
    this.cfg.logger.info('stopped leading', { lease: this.leaseName(), identity: this.cfg.identity, reason });
    this.cfg.onLeadingChange?.(false);
    this.recordEvent(`${this.cfg.identity} stopped leading`);
  }

  private recordEvent(message: string): void {
    const { recorder, lock } = this.cfg;
    if (!recorder) return;
    try {
      recorder.event(
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: lock.name, namespace: lock.namespace, uid: this.observedLease?.uid, resourceVersion: this.observedLease?.resourceVersion },
        },
        'Normal',
        'LeaderElection',
        message,
      );
    } catch (err) {
      this.cfg.logger.debug('could not record leader election event', { error: err });
    }
  }

  private leaseName(): string {
    return `${this.cfg.lock.namespace}/${this.cfg.lock.name}`;
  }

  private describeLastRenew(): string {
    return this.lastRenewAt === undefined ? 'never' : `${Math.round(this.cfg.clock.now() - this.lastRenewAt)} ms ago`;
  }
}

function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const err = new Error('leader election was cancelled');
  err.name = 'AbortError';
  return err;
}
