import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../resource.js';
import type { Logger, Request, Result, Runnable } from '../types.js';
import { ConflictError } from '../client/errors.js';
import { RateLimitingQueue } from '../queue/rate-limiting-queue.js';
import type { RateLimiter } from '../queue/rate-limiters.js';
import type { EventHandler } from '../informer/informer.js';
import { createWorkQueueMetrics } from '../metrics/workqueue-metrics.js';
import { createControllerMetrics, type ControllerMetrics, type ReconcileOutcome } from '../metrics/controller-metrics.js';
import { isTerminalError, type ControllerManager, type Predicate, type ReconcileContext, type Reconciler } from './types.js';
import { OperatorTsError } from '../../errors.js';
import { LeaseNotHeldError } from '../leaderelection/errors.js';

/** One event source: objects of `rt`, mapped to the requests they should trigger. */
export interface WatchSource {
  rt: ResourceType<KubernetesObject>;
  /** May be async: a map function that lists from the cache (e.g. by a field index) returns a promise. */
  toRequests(obj: KubernetesObject): Request[] | Promise<Request[]>;
  predicates: Predicate[];
}

export interface ControllerOptions {
  name: string;
  manager: ControllerManager;
  reconciler: Reconciler;
  sources: WatchSource[];
  maxConcurrentReconciles: number;
  rateLimiter?: RateLimiter;
  /**
   * true (default): anything a reconcile throws is retried with backoff and never stops the process.
   * false: a programming error (TypeError, ReferenceError, RangeError, SyntaxError) stops the
   * controller and makes its start() reject, as a Go panic would; other errors are still retried.
   */
  recoverPanic: boolean;
  /**
   * controller-runtime's ReconciliationTimeout: the reconcile's signal aborts with a ReconcileTimeoutError this
   * many ms after it started, and a reconcile that ends after that is counted as an error and retried with
   * backoff, whatever it returned. Absent: no timeout.
   */
  reconcileTimeoutMs?: number;
  /** False: runs on every replica from start, with unfenced writes. Default true (only on the leader). */
  needLeaderElection: boolean;
  /** Predicates applied to every source's events before the source's own (controller-runtime's WithEventFilter). */
  eventFilters: Predicate[];
}

/** A reconcile outlived the controller's reconcileTimeoutMs; the reason its signal aborted. */
export class ReconcileTimeoutError extends OperatorTsError {
  constructor(controller: string, timeoutMs: number, cause?: unknown) {
    super('ERECONCILETIMEOUT', `controller ${controller}: the reconcile did not finish within ${timeoutMs} ms`, {
      cause,
      hint: 'pass context.signal to every call that can wait (it aborts at the timeout), or raise withOptions({ reconcileTimeoutMs })',
    });
  }
}

/** A reconcile threw a programming error and recoverPanic is false. */
export class ReconcilePanicError extends OperatorTsError {
  constructor(controller: string, cause: unknown) {
    super('ERECONCILEPANIC', `controller ${controller} stopped: a reconcile threw ${(cause as Error)?.name ?? 'an error'}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      hint: 'fix the reconciler, or leave recoverPanic on so such errors are retried instead',
    });
  }
}

/** Objects replayed between two yields to the event loop, so workers start on the first batch. */
const REPLAY_BATCH = 500;

/** Feeds every snapshot object to its handler's onAdd, yielding between batches; stops when `signal` aborts. */
async function replayInBatches(replays: Array<{ objects: KubernetesObject[]; onAdd: (obj: KubernetesObject) => void }>, signal: AbortSignal): Promise<void> {
  let sinceYield = 0;
  for (const { objects, onAdd } of replays) {
    for (const obj of objects) {
      if (signal.aborted) return;
      onAdd(obj);
      if (++sinceYield >= REPLAY_BATCH) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
}

const programmingErrors = [TypeError, ReferenceError, RangeError, SyntaxError];

/** True when `err` or one of its causes is a LeaseNotHeldError (a reconcile may wrap it). */
function isLeaseNotHeld(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof LeaseNotHeldError) return true;
  }
  return false;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs reconciles for events of its sources: a rate-limited queue keyed by namespace/name, N
 * workers, result handling (requeue, requeueAfter, errors with backoff, terminal errors). A
 * leader-only runnable unless built with needLeaderElection false: on stop it takes no new items,
 * aborts the signal of in-flight reconciles and waits for them to return. A reconcile that failed with LeaseNotHeldError (a fenced write refused
 * after leadership ended) is dropped, not retried: another replica leads now.
 *
 * Its sources are warm on every replica: `warmup` creates their informers in the shared cache when
 * the manager starts. A standby registers no event handler, so nothing is queued that nobody drains;
 * on `start` every cached object is fed to its source's handler as an add (as controller-runtime's
 * replayed initial list does), in batches while the workers already run, so every existing primary
 * is enqueued without a LIST and the first reconcile does not wait for the last object to be queued.
 */
export class Controller implements Runnable {
  readonly name: string;
  private readonly log: Logger;
  private queue?: RateLimitingQueue<Request>;
  private metrics?: ControllerMetrics;
  private started = false;
  private panic?: ReconcilePanicError;

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    this.log = options.manager.logger.child({ controller: options.name });
  }

  needLeaderElection(): boolean {
    return this.options.needLeaderElection;
  }

  /** Creates the informers of every source (started by the shared cache as soon as it runs). */
  async warmup(_signal: AbortSignal): Promise<void> {
    for (const source of this.options.sources) this.options.manager.cache.informer(source.rt);
  }

  /** Adds a request by hand (e.g. from an external trigger). Ignored until the controller runs. */
  enqueue(request: Request): void {
    this.queue?.add({ namespace: request.namespace, name: request.name });
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new OperatorTsError('ECONTROLLERSTARTED', `controller ${this.name} was started twice`, { hint: 'a controller runs once; build a new one to run again' });
    this.started = true;
    const { manager } = this.options;
    const stop = new AbortController();
    const onStop = () => stop.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    const queue = new RateLimitingQueue<Request>({
      name: this.name,
      clock: manager.clock,
      rateLimiter: this.options.rateLimiter,
      metrics: createWorkQueueMetrics(manager.metricsRegistry, this.name, manager.clock),
    });
    this.queue = queue;
    this.metrics = createControllerMetrics(manager.metricsRegistry, this.name, this.options.maxConcurrentReconciles);
    // Removed again on stop, so the informers keep running untouched for whatever starts after.
    // A synced (warm) informer's objects are replayed below in batches, so the first reconcile need not wait for
    // all of them to be queued; an informer still listing delivers its objects as adds itself.
    const replays: Array<{ objects: KubernetesObject[]; onAdd: (obj: KubernetesObject) => void }> = [];
    const removers = this.options.sources.map((source) => {
      const informer = manager.cache.informer(source.rt);
      const handler = this.handlerFor(source, queue);
      if (informer.hasSynced()) {
        // A throwing predicate or map must not stop the replay, as the informer does for its own events.
        const onAdd = (obj: KubernetesObject) => {
          try {
            handler.onAdd(obj);
          } catch (err) {
            this.log.error('event handler threw', { informer: informer.name, handler: 'onAdd', error: message(err) });
          }
        };
        replays.push({ objects: informer.store.list(), onAdd });
      }
      return informer.addEventHandler(handler, { replay: false });
    });
    stop.signal.addEventListener('abort', () => queue.shutDown(), { once: true });
    if (stop.signal.aborted) queue.shutDown();
    try {
      this.log.info('Starting controller', { sources: this.options.sources.map((s) => s.rt.kind), workers: this.options.maxConcurrentReconciles });
      await Promise.all(this.options.sources.map((s) => manager.cache.informer(s.rt).waitForSync(stop.signal)));
      const workers = Array.from({ length: this.options.maxConcurrentReconciles }, () => this.worker(queue, stop));
      await replayInBatches(replays, stop.signal);
      await Promise.all(workers);
    } catch (err) {
      if (!stop.signal.aborted) throw err; // waiting for sync only fails by abort
    } finally {
      queue.shutDown();
      await queue.drain();
      for (const remove of removers) remove();
      signal.removeEventListener('abort', onStop);
      this.log.info('Controller stopped');
    }
    if (this.panic) throw this.panic;
  }

  private handlerFor(source: WatchSource, queue: RateLimitingQueue<Request>): Required<EventHandler<KubernetesObject>> {
    // Requests are de-duplicated before they reach the queue: a waiting worker takes an item the moment it is
    // added, so a second add of the same key would count as a re-add during processing and reconcile again
    // from a cache that has not yet seen the first reconcile's own write.
    const add = (mapped: Request[][]) => {
      const requests = new Map<string, Request>();
      for (const list of mapped) for (const r of list ?? []) requests.set(`${r.namespace}/${r.name}`, { namespace: r.namespace, name: r.name });
      for (const request of requests.values()) queue.add(request);
    };
    const enqueue = (...objs: KubernetesObject[]) => {
      const mapped = objs.map((obj) => source.toRequests(obj));
      if (!mapped.some((m) => m instanceof Promise)) return add(mapped as Request[][]);
      // An async map (one that lists from the cache) adds its requests when it settles; a failure is logged, as a
      // throwing handler is, and maps nothing.
      Promise.all(mapped).then(add, (err: unknown) => {
        this.log.error('watch map function failed; the event maps to no request', { kind: source.rt.kind, error: (err as Error)?.message ?? String(err) });
      });
    };
    const predicates = [...this.options.eventFilters, ...source.predicates];
    return {
      onAdd: (obj) => {
        if (predicates.every((p) => p.create?.(obj) ?? true)) enqueue(obj);
      },
      onUpdate: (oldObj, newObj) => {
        if (!predicates.every((p) => p.update?.(oldObj, newObj) ?? true)) return;
        enqueue(newObj, oldObj); // an owner or mapping may have changed
      },
      onDelete: (obj) => {
        if (predicates.every((p) => p.delete?.(obj) ?? true)) enqueue(obj);
      },
    };
  }

  private async worker(queue: RateLimitingQueue<Request>, stop: AbortController): Promise<void> {
    for (;;) {
      const request = await queue.get();
      if (!request) return;
      this.metrics!.workerStarted();
      try {
        await this.reconcileOne(request, queue, stop);
      } finally {
        this.metrics!.workerStopped();
        queue.done(request);
      }
    }
  }

  private async reconcileOne(request: Request, queue: RateLimitingQueue<Request>, stop: AbortController): Promise<void> {
    const { manager, reconciler, reconcileTimeoutMs } = this.options;
    const reconcileId = randomUUID();
    const log = this.log.child({ namespace: request.namespace, name: request.name, reconcileId });
    // The timeout is measured on the manager's clock, so tests drive it with a fake one.
    const timeout = new AbortController();
    const timer = new AbortController();
    if (reconcileTimeoutMs !== undefined) {
      manager.clock.sleep(reconcileTimeoutMs, timer.signal).then(
        () => timeout.abort(new ReconcileTimeoutError(this.name, reconcileTimeoutMs)),
        () => undefined,
      );
    }
    const context: ReconcileContext = {
      // A controller that runs on every replica must not be refused by the lease it does not need.
      client: this.options.needLeaderElection ? manager.client.withGuard(manager.leaseGuard) : manager.client.unfenced(),
      log,
      recorder: manager.eventRecorder(this.name),
      signal: reconcileTimeoutMs === undefined ? stop.signal : AbortSignal.any([stop.signal, timeout.signal]),
      reconcileId,
      clock: manager.clock,
    };
    const started = manager.clock.now();
    const elapsed = () => (manager.clock.now() - started) / 1000;
    const finish = (outcome: ReconcileOutcome) => this.metrics!.reconciled(outcome, elapsed());
    log.debug('Reconciling');
    let result: Result | void;
    try {
      result = await reconciler.reconcile({ namespace: request.namespace, name: request.name }, context);
    } catch (err) {
      timer.abort();
      const panicked = programmingErrors.some((E) => err instanceof E);
      if (panicked) this.metrics!.panicked();
      finish('error');
      if (isLeaseNotHeld(err)) {
        // Not this replica's to retry: the next leader reconciles every object when it starts.
        queue.forget(request);
        log.info('Reconcile dropped: this replica no longer holds the lease', { error: message(err) });
        return;
      }
      if (!this.options.recoverPanic && panicked) {
        this.panic ??= new ReconcilePanicError(this.name, err);
        log.error('Reconciler threw a programming error; stopping the controller (recoverPanic is off)', { error: message(err), stack: (err as Error).stack });
        stop.abort(this.panic);
        return;
      }
      if (timeout.signal.aborted) return this.timedOut(request, queue, log, err);
      if (isTerminalError(err)) {
        this.metrics!.terminalError();
        queue.forget(request);
        log.error('Reconciler error (terminal, not retried)', { error: message(err) });
        return;
      }
      queue.addRateLimited(request);
      const fields = { error: message(err), retries: queue.numRequeues(request) };
      if (err instanceof ConflictError) log.info('Conflict; retrying with backoff', fields);
      else log.error('Reconciler error; retrying with backoff', { ...fields, ...(err instanceof Error && !(err instanceof OperatorTsError) ? { stack: err.stack } : {}) });
      return;
    }
    timer.abort();
    if (timeout.signal.aborted) {
      finish('error');
      return this.timedOut(request, queue, log, undefined);
    }
    const requeueAfter = result?.requeueAfter;
    if (requeueAfter !== undefined && !(Number.isFinite(requeueAfter) && requeueAfter >= 0)) {
      log.error('reconcile returned an invalid requeueAfter; treating it as an error', { requeueAfter });
      finish('error');
      queue.addRateLimited(request);
      return;
    }
    if (requeueAfter && requeueAfter > 0) {
      queue.forget(request);
      queue.addAfter(request, requeueAfter);
      finish('requeue_after');
    } else if (result?.requeue) {
      queue.addRateLimited(request);
      finish('requeue');
    } else {
      queue.forget(request);
      finish('success');
    }
    log.debug('Reconcile done', { requeueAfter, requeue: result?.requeue ?? false });
  }

  /** A reconcile that ended after its timeout: whatever it returned or threw, an error retried with backoff. */
  private timedOut(request: Request, queue: RateLimitingQueue<Request>, log: Logger, thrown: unknown): void {
    const err = new ReconcileTimeoutError(this.name, this.options.reconcileTimeoutMs!, thrown);
    this.metrics!.timedOut();
    queue.addRateLimited(request);
    log.error('Reconciler error; retrying with backoff', { error: err.message, ...(thrown === undefined ? {} : { thrown: message(thrown) }), retries: queue.numRequeues(request) });
  }
}
