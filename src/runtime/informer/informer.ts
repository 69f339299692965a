import type { KubernetesObject } from '@kubernetes/client-node';
import { OperatorTsError } from '../../errors.js';
import type { Clock } from '../clock.js';
import type { Logger, Runnable } from '../types.js';
import { ApiError, GoneError } from '../client/errors.js';
import { keyOf, ObjectStore } from '../store/object-store.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { ListerWatcher, WatchEvent } from './list-watch.js';
import { SyncSignal } from './sync-signal.js';
import { Watchdog } from './watchdog.js';

export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions<T> {
  name: string;
  listerWatcher: ListerWatcher<T>;
  clock: Clock;
  logger: Logger;
  /** Server-side watch timeout range; each watch picks a random value in [min, 2 × min). Default 300 s. */
  minWatchTimeoutSeconds?: number;
  /** No event for this long after the server should have closed the watch → treat the connection as dead. Default 30 s grace. */
  watchdogGraceMs?: number;
  /** A watch that lasted this long counts as healthy and resets the backoff. Default 10 s. */
  healthyWatchMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Applied to every listed or watched object before it is stored and handed to handlers (e.g. to drop big fields). */
  transform?: (obj: T) => T;
  /**
   * Every this many ms (once synced) each stored object is handed to the handlers again as an update whose old
   * and new object are the same (client-go's resync). Absent or 0: never. The shared cache jitters it per informer.
   */
  resyncPeriodMs?: number;
}

/**
 * List, then watch from the listed resourceVersion, forever: relists on 410 Gone, reconnects with
 * capped, jittered backoff on any other failure (errors, stream ends, silent connections), and
 * never stays stopped until its signal aborts. Keeps a store and calls handlers for every change.
 */
export class Informer<T extends KubernetesObject = KubernetesObject> implements Runnable {
  readonly store: ObjectStore<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly synced = new SyncSignal();
  private readonly backoff: Backoff;
  private resourceVersion = '';
  private started = false;
  private lastWatchHealthy = false;
  /** Counters for observability and tests. */
  readonly stats = { lists: 0, watches: 0, relistsAfterGone: 0, reconnects: 0, watchdogFired: 0, listFallbacks: 0, resyncs: 0 };
  /** True until a list succeeded from resourceVersion 0; later relists (after 410 Gone) read the latest state. */
  private firstList = true;

  constructor(private readonly options: InformerOptions<T>) {
    this.backoff = new Backoff({ random: options.random, ...options.backoff });
    // An index function that fails on one object is logged, and that object left out of the index: the informer
    // and every other object go on (a Go informer would panic here).
    this.store = new ObjectStore<T>({
      onIndexError: (err, obj, index) => {
        const e = err as { message?: string; code?: string; hint?: string };
        options.logger.error(e?.message ?? String(err), { informer: options.name, index, object: keyOf(obj), code: e?.code, hint: e?.hint });
      },
    });
  }

  get name(): string {
    return this.options.name;
  }

  hasSynced(): boolean {
    return this.synced.done;
  }

  /** Resolves once the first list has been stored; rejects when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    return this.synced.wait(signal);
  }

  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /**
   * Registers a handler and returns its removal function. When the informer has synced already,
   * the handler first receives an add for every stored object, so late joiners miss nothing.
   * With `replay: false` it receives only later changes; the caller then reads `store` itself.
   */
  addEventHandler(handler: EventHandler<T>, options: { replay?: boolean } = {}): () => void {
    this.handlers.add(handler);
    if ((options.replay ?? true) && this.synced.done) for (const obj of this.store.list()) this.call(handler, 'onAdd', () => handler.onAdd?.(obj));
    return () => this.handlers.delete(handler);
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new OperatorTsError('EINFORMERSTARTED', `informer ${this.name} was started twice`, { hint: 'an informer runs once; the shared cache starts each informer itself' });
    this.started = true;
    const log = this.options.logger;
    let needList = true;
    let goneStreak = 0; // 410s without a healthy watch in between: back off so a broken server is not hammered
    const resyncing = this.resyncLoop(signal);
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist(signal);
          needList = false;
        }
        const healthy = await this.watchOnce(signal);
        if (healthy) {
          this.backoff.reset();
          goneStreak = 0;
          continue;
        }
        log.debug('watch ended early; reconnecting after backoff', { informer: this.name });
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          this.stats.relistsAfterGone++;
          log.info('watch history expired (410 Gone); listing again', { informer: this.name, resourceVersion: this.resourceVersion });
          needList = true;
          if (this.lastWatchHealthy) goneStreak = 0;
          if (goneStreak++ === 0) continue;
        } else {
          log.warn(needList ? 'list failed; retrying after backoff' : 'watch failed; reconnecting after backoff', {
            informer: this.name,
            error: (err as Error)?.message ?? String(err),
          });
        }
      }
      this.stats.reconnects++;
      await this.options.clock.sleep(this.backoff.next(), signal).catch(() => undefined);
    }
    await resyncing;
  }

  /**
   * client-go's periodic resync: every stored object goes to every handler as onUpdate(obj, obj), so a
   * controller re-reconciles what it may have missed. Predicates that compare old and new (generation,
   * resourceVersion, labels) see no change and filter it out, as in controller-runtime.
   */
  private async resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.options.resyncPeriodMs;
    if (!period) return;
    for (;;) {
      try {
        await this.options.clock.sleep(period, signal);
      } catch {
        return; // stopped
      }
      if (!this.synced.done) continue;
      this.stats.resyncs++;
      for (const obj of this.store.list()) this.emit('onUpdate', (h) => h.onUpdate?.(obj, obj));
    }
  }

  /**
   * Lists as client-go's reflector does: the first list asks for resourceVersion 0, which a real server answers
   * from its watch cache in one response; if the server cannot serve it (410 Expired, or a resourceVersion it
   * has not reached yet) the list is repeated at once for the latest state, page by page. A relist after 410
   * Gone always asks for the latest state, so the store never goes back in time.
   */
  private async listOnce(signal: AbortSignal) {
    const lw = this.options.listerWatcher;
    if (!this.firstList) return lw.list(signal, { resourceVersion: '' });
    try {
      const result = await lw.list(signal, { resourceVersion: '0' });
      this.firstList = false;
      return result;
    } catch (err) {
      if (signal.aborted || !isExpiredOrTooLarge(err)) throw err;
      this.stats.listFallbacks++;
      this.options.logger.info('list from resourceVersion 0 refused; listing the latest state instead', { informer: this.name, error: (err as Error)?.message });
      const result = await lw.list(signal, { resourceVersion: '' });
      this.firstList = false;
      return result;
    }
  }

  /** Lists and reconciles the store with the result: adds, updates for changed objects, deletes for vanished ones. */
  private async relist(signal: AbortSignal): Promise<void> {
    const listed = await this.listOnce(signal);
    const { resourceVersion } = listed;
    const items = this.options.transform ? listed.items.map(this.options.transform) : listed.items;
    this.stats.lists++;
    // An empty store (the first list) has nothing to delete, so it needs no record of the listed keys.
    const seen = this.store.size === 0 ? undefined : new Set<string>();
    for (const obj of items) {
      seen?.add(keyOf(obj));
      const previous = this.store.upsert(obj);
      if (!previous) this.emit('onAdd', (h) => h.onAdd?.(obj));
      else if (previous.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('onUpdate', (h) => h.onUpdate?.(previous, obj));
    }
    if (seen) {
      for (const key of this.store.keys()) {
        if (seen.has(key)) continue;
        const removed = this.store.remove(key);
        if (removed) this.emit('onDelete', (h) => h.onDelete?.(removed));
      }
    }
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.synced.resolve();
  }

  /** One watch connection. Returns (and records) whether it was healthy: delivered events or lasted long enough. */
  private async watchOnce(signal: AbortSignal): Promise<boolean> {
    const { clock } = this.options;
    const minTimeout = this.options.minWatchTimeoutSeconds ?? 300;
    const random = this.options.random ?? Math.random;
    const timeoutSeconds = Math.floor(minTimeout * (1 + random()));
    const watchAbort = new AbortController();
    const onStop = () => watchAbort.abort();
    signal.addEventListener('abort', onStop, { once: true });
    if (signal.aborted) watchAbort.abort(); // stopped between the list and this watch: 'abort' has fired already
    const watchdog = new Watchdog(clock, timeoutSeconds * 1000 + (this.options.watchdogGraceMs ?? 30_000), () => {
      this.stats.watchdogFired++;
      this.options.logger.warn('watch silent for too long; reconnecting', { informer: this.name });
      watchAbort.abort();
    });
    const startedAt = clock.now();
    let events = 0;
    this.stats.watches++;
    try {
      await this.options.listerWatcher.watch({ resourceVersion: this.resourceVersion, timeoutSeconds, signal: watchAbort.signal }, (event) => {
        watchdog.touch();
        if (event.type !== 'ERROR') events++;
        this.apply(event);
      });
    } finally {
      watchdog.stop();
      signal.removeEventListener('abort', onStop);
      this.lastWatchHealthy = events > 0 || clock.now() - startedAt >= (this.options.healthyWatchMs ?? 10_000);
    }
    return this.lastWatchHealthy;
  }

  private apply(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      const status = event.object ?? {};
      const info = { status: status.code ?? 500, reason: status.reason, message: status.message ?? 'watch error', method: 'WATCH', path: this.name };
      throw status.code === 410 ? new GoneError(info) : new ApiError(info);
    }
    const obj = event.type !== 'BOOKMARK' && this.options.transform && event.object?.metadata?.name ? this.options.transform(event.object) : event.object;
    const rv = event.object?.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    if (!obj?.metadata?.name) return; // malformed event: nothing to key it by
    if (event.type === 'DELETED') {
      // Deliver the final state the server sent (it may be newer than the stored one).
      this.store.remove(keyOf(obj));
      this.emit('onDelete', (h) => h.onDelete?.(obj));
    } else {
      const previous = this.store.upsert(obj);
      if (previous) this.emit('onUpdate', (h) => h.onUpdate?.(previous, obj));
      else this.emit('onAdd', (h) => h.onAdd?.(obj));
    }
    if (rv) this.resourceVersion = rv;
  }

  private emit(kind: string, fn: (h: EventHandler<T>) => void): void {
    for (const handler of this.handlers) this.call(handler, kind, () => fn(handler));
  }

  /** A failing handler must not break the informer or the other handlers. */
  private call(_handler: EventHandler<T>, kind: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.logger.error('event handler threw', { informer: this.name, handler: kind, error: (err as Error)?.message ?? String(err) });
    }
  }
}

/** The errors after which client-go's reflector lists again without resourceVersion 0. */
function isExpiredOrTooLarge(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.status === 410 || err.reason === 'Expired' || /too large resource version/i.test(err.message);
}

function isGone(err: unknown): boolean {
  return err instanceof GoneError || (err instanceof ApiError && err.status === 410);
}
