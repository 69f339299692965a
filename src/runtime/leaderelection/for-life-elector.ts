import type { Clock } from '../clock.js';
import type { EventRecorder, LeaseGuard, Logger } from '../types.js';
import { silentLogger } from '../logging/silent-logger.js';
import { LeaderElectionLostError, LeaderForLifeError, LeaseNotHeldError } from './errors.js';
import { podOwner, type ForLifeLock, type ForLifeLockState, type PodRef } from './for-life-lock.js';
import { errorCode } from './lease-lock.js';
import { jittered, Wakeup } from './timing.js';
import { createLeaseGuard, LeadershipTerm } from './lease-guard.js';
import { keepWatching } from './reopening-watch.js';

/** operator-lib's first wait between attempts; it doubles up to the configured maximum. */
export const FOR_LIFE_INITIAL_BACKOFF_MS = 1_000;
/** operator-lib's wait.Jitter factor for the wait between attempts. */
export const FOR_LIFE_JITTER = 0.2;

export interface ForLifeElectorConfig {
  lock: ForLifeLock;
  /** This replica's Pod (POD_NAME), in the lock's namespace. */
  podName: string;
  maxBackoffMs: number;
  clock: Clock;
  logger?: Logger;
  recorder?: EventRecorder;
  onLeadingChange?: (leading: boolean) => void;
  random?: () => number;
  /** Delay before re-opening a failed watch of the lock. */
  watchBackoffMs?: number;
}

const RBAC_HINT =
  'enable the leader-for-life RBAC piece (uncomment `- ../leader-for-life` in config/default/kustomization.yaml): it grants configmaps get/list/watch/create/delete and pods get in the manager namespace';

/**
 * operator-lib's leader.Become: the lock is a ConfigMap whose ownerReference is this Pod, so it lives
 * exactly as long as the Pod and leadership never expires while the Pod exists. Beyond operator-lib:
 * candidates watch the lock and try at once when it is deleted; the leader deletes its lock (uid
 * precondition) on graceful shutdown; a lock whose Pod is gone, replaced (other uid) or terminated
 * (phase Failed, which includes Evicted, or Succeeded) is deleted with a uid+resourceVersion
 * precondition instead of waiting for garbage collection. A Pod on a NotReady node is not judged
 * stale: its containers may still be running.
 */
export class ForLifeElector {
  readonly guard: LeaseGuard;
  private readonly cfg: Required<Omit<ForLifeElectorConfig, 'recorder' | 'onLeadingChange'>> & Pick<ForLifeElectorConfig, 'recorder' | 'onLeadingChange'>;
  private leading = false;
  private readonly term = new LeadershipTerm();
  private me: PodRef | undefined;
  private held: ForLifeLockState | undefined;
  private readonly wakeup = new Wakeup();

  constructor(config: ForLifeElectorConfig) {
    this.cfg = { logger: silentLogger, random: Math.random, watchBackoffMs: 100, ...config };
    // Held while leading: the lock cannot expire while this Pod lives, so fenced writes have no deadline.
    this.guard = createLeaseGuard({
      clock: this.cfg.clock,
      heldUntil: () => (this.leading ? Infinity : -Infinity),
      leadership: () => this.term.signal,
      describe: () => `leader-for-life lock ${this.lockName()}, pod ${this.cfg.podName}`,
    });
  }

  get identity(): string {
    return this.cfg.podName;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The wait after the `attempt`-th failed attempt (0-based), before jitter: doubling, capped. */
  backoffMs(attempt: number): number {
    const first = Math.min(FOR_LIFE_INITIAL_BACKOFF_MS, this.cfg.maxBackoffMs);
    return Math.min(first * 2 ** attempt, this.cfg.maxBackoffMs);
  }

  /**
   * Tries until this Pod owns the lock. Resolves once leading; rejects with the abort reason when
   * `signal` aborts first, and with LeaderForLifeError when this Pod does not exist or the lock may
   * not be written (RBAC).
   */
  async acquire(signal: AbortSignal): Promise<void> {
    const { clock, logger } = this.cfg;
    const watchStop = new AbortController();
    const onAbort = () => watchStop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let watching: Promise<void> = Promise.resolve();
    logger.info('trying to become the leader', { lock: this.lockName(), pod: this.cfg.podName });
    try {
      this.me ??= await this.ownPod(signal);
      let sawLock = false;
      watching = this.watchLock(watchStop.signal, (lock) => {
        if (lock) sawLock = true;
        else if (sawLock) {
          sawLock = false;
          this.wakeup.notify(); // deleted: try at once
        }
      });
      for (let attempt = 0; ; attempt++) {
        if (signal.aborted) throw abortReason(signal);
        if (await this.attempt(this.me, signal)) {
          this.startLeading();
          return;
        }
        if (signal.aborted) throw abortReason(signal);
        await this.wakeup.wait(clock, jittered(this.backoffMs(attempt), FOR_LIFE_JITTER, this.cfg.random), signal);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      watchStop.abort();
      await watching;
    }
  }

  /**
   * Leadership does not expire, so there is nothing to renew: resolves when `signal` aborts. Watches
   * the lock and rejects with LeaderElectionLostError if it is deleted or replaced by someone else
   * (a person, or a candidate that judged this Pod stale).
   */
  async hold(signal: AbortSignal): Promise<void> {
    if (!this.leading || !this.held) throw new LeaderElectionLostError('hold() called while not leading');
    const held = this.held;
    const lost = new AbortController();
    let reason = '';
    const check = (lock: ForLifeLockState | undefined) => {
      if (lost.signal.aborted || lock?.uid === held.uid) return;
      reason = lock ? `the lock was replaced (uid ${lock.uid})` : 'the lock was deleted';
      lost.abort();
    };
    const both = AbortSignal.any([signal, lost.signal]);
    if (this.cfg.lock.watch) {
      // A watch only reports changes: read the lock on every (re)open so a deletion in between is seen.
      await this.watchLock(both, check, async () => {
        try {
          check(await this.cfg.lock.get(both));
        } catch (err) {
          if (errorCode(err) === 404) check(undefined);
        }
      });
    } else {
      await new Promise<void>((resolve) => both.addEventListener('abort', () => resolve(), { once: true }));
    }
    if (!signal.aborted && lost.signal.aborted) this.lose(reason);
  }

  /**
   * Ends leadership; with `release`, deletes the lock (uid precondition) so a candidate takes over
   * at once. Call only after every leader-only runnable has stopped. Returns true when deleted.
   */
  async stop(options: { release: boolean }): Promise<boolean> {
    if (!this.leading) return false;
    this.endTerm('this pod stopped leading'); // fence first: nothing may write while the lock goes
    let released = false;
    const held = this.held;
    if (options.release && held) {
      try {
        await this.cfg.lock.delete({ uid: held.uid }, new AbortController().signal);
        released = true;
        this.cfg.logger.info('deleted the leader-for-life lock', { lock: this.lockName() });
      } catch (err) {
        this.cfg.logger.warn('failed to delete the leader-for-life lock; garbage collection removes it with this Pod', { lock: this.lockName(), error: err });
      }
    }
    this.stoppedLeading(released ? 'deleted the lock' : 'stopped');
    this.held = undefined;
    return released;
  }

  private async ownPod(signal: AbortSignal): Promise<PodRef> {
    const { podName, lock } = this.cfg;
    for (let attempt = 0; ; attempt++) {
      try {
        const pod = await lock.getPod(podName, signal);
        if (!pod) {
          throw new LeaderForLifeError(
            `pod ${lock.namespace}/${podName} (POD_NAME) does not exist, so the leader-for-life lock cannot be tied to it`,
            'set POD_NAME and POD_NAMESPACE from the downward API (metadata.name, metadata.namespace), or use --leader-election-strategy lease',
          );
        }
        return { name: podName, uid: pod.uid };
      } catch (err) {
        this.fatal(err, `get pods/${podName}`);
        if (signal.aborted) throw abortReason(signal);
        this.cfg.logger.warn('could not read this Pod; retrying', { pod: podName, error: err });
        await this.cfg.clock.sleep(jittered(this.backoffMs(attempt), FOR_LIFE_JITTER, this.cfg.random), signal);
      }
    }
  }

  /** One round: lead if the lock is ours or can be created; delete it first when its owner is stale. */
  private async attempt(me: PodRef, signal: AbortSignal): Promise<boolean> {
    const { lock, logger } = this.cfg;
    try {
      const existing = await lock.get(signal);
      if (existing) {
        const owner = podOwner(existing);
        if (owner?.uid === me.uid) {
          logger.info('found a lock owned by this Pod (restarted); continuing as the leader', { lock: this.lockName() });
          this.held = existing;
          return true;
        }
        const stale = owner ? await this.staleReason(owner, signal) : undefined;
        if (!stale) {
          logger.debug('not the leader; waiting', { lock: this.lockName(), owner: owner?.name ?? '(not a single Pod owner)' });
          return false;
        }
        logger.info('the lock owner is stale; deleting the lock', { lock: this.lockName(), owner: owner!.name, reason: stale });
        await lock.delete({ uid: existing.uid, resourceVersion: existing.resourceVersion }, signal).catch((err: unknown) => {
          if (errorCode(err) !== 404 && errorCode(err) !== 409) throw err; // already gone or changed: just try to create
        });
      }
      this.held = await lock.create(me, signal);
      return true;
    } catch (err) {
      this.fatal(err, 'configmaps');
      if (!signal.aborted && errorCode(err) !== 409) logger.warn('leader-for-life request failed', { lock: this.lockName(), error: err });
      return false;
    }
  }

  /** Why `owner` cannot be leading any more, or undefined while it may be. */
  private async staleReason(owner: PodRef, signal: AbortSignal): Promise<string | undefined> {
    const pod = await this.cfg.lock.getPod(owner.name, signal);
    if (!pod) return `pod ${owner.name} is gone`;
    if (pod.uid !== owner.uid) return `pod ${owner.name} was replaced (uid ${pod.uid}, the lock names ${owner.uid})`;
    if (pod.phase === 'Failed') return pod.reason === 'Evicted' ? `pod ${owner.name} was evicted` : `pod ${owner.name} has failed`;
    if (pod.phase === 'Succeeded') return `pod ${owner.name} has terminated`;
    return undefined;
  }

  /** 403 will not go away by retrying: stop with the fix. */
  private fatal(err: unknown, what: string): void {
    if (err instanceof LeaderForLifeError) throw err;
    if (errorCode(err) === 403) {
      throw new LeaderForLifeError(`leader-for-life is forbidden to ${what} in namespace ${this.cfg.lock.namespace}`, RBAC_HINT, { cause: err });
    }
  }

  private async watchLock(signal: AbortSignal, onChange: (lock: ForLifeLockState | undefined) => void, beforeOpen?: () => Promise<void>): Promise<void> {
    const { lock, clock, logger } = this.cfg;
    if (!lock.watch) return;
    const watch = lock.watch.bind(lock);
    await keepWatching(
      {
        clock,
        logger,
        fields: { lock: this.lockName() },
        minBackoffMs: this.cfg.watchBackoffMs,
        maxBackoffMs: this.cfg.maxBackoffMs,
        open: async (delivered) => {
          await beforeOpen?.();
          if (signal.aborted) return;
          await watch((l) => {
            delivered();
            onChange(l);
          }, signal);
        },
      },
      signal,
    );
  }

  private startLeading(): void {
    this.leading = true;
    this.term.begin();
    this.cfg.logger.info('became the leader', { lock: this.lockName(), pod: this.cfg.podName });
    this.cfg.onLeadingChange?.(true);
    this.recordEvent(`${this.cfg.podName} became leader`);
  }

  private endTerm(why: string): void {
    this.leading = false;
    this.term.end(new LeaseNotHeldError(`leader-for-life lock ${this.lockName()} is no longer held by pod ${this.cfg.podName}: ${why}`));
  }

  private lose(reason: string): never {
    this.endTerm(`leadership was lost: ${reason}`);
    this.stoppedLeading(reason);
    this.held = undefined;
    throw new LeaderElectionLostError(`leader-for-life lock ${this.lockName()} lost: ${reason}`);
  }

  private stoppedLeading(reason: string): void {
    this.cfg.logger.info('stopped leading', { lock: this.lockName(), pod: this.cfg.podName, reason });
    this.cfg.onLeadingChange?.(false);
    this.recordEvent(`${this.cfg.podName} stopped leading`);
  }

  private recordEvent(message: string): void {
    const { recorder, lock } = this.cfg;
    if (!recorder) return;
    try {
      recorder.event({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: lock.name, namespace: lock.namespace, uid: this.held?.uid } }, 'Normal', 'LeaderElection', message);
    } catch (err) {
      this.cfg.logger.debug('could not record leader election event', { error: err });
    }
  }

  private lockName(): string {
    return `${this.cfg.lock.namespace}/${this.cfg.lock.name}`;
  }
}

function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const err = new Error('leader election was cancelled');
  err.name = 'AbortError';
  return err;
}
