import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import type { Registry } from 'prom-client';
import { OperatorTsError } from '../../errors.js';
import type { Clock } from '../clock.js';
import { createCluster, type Cluster } from '../cluster/cluster.js';
import type { Client } from '../client/client.js';
import type { ApiReader } from '../client/api-reader.js';
import type { SharedCache } from '../cache/shared-cache.js';
import type { FieldIndexer } from '../cache/field-indexer.js';
import { LeaderElector } from '../leaderelection/elector.js';
import { createElector, type Elector } from '../leaderelection/create-elector.js';
import { apiServerLocks } from '../kube-locks/api-server-locks.js';
import { alwaysHeldGuard } from '../leaderelection/lease-guard.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { createRestClientMetrics } from '../metrics/rest-client-metrics.js';
import { TokenBucketRateLimiter } from '../client/request-rate-limiter.js';
import { metricsServer } from './metrics-server.js';
import { CheckSet, type Check } from '../probes/checks.js';
import { probeHandler } from '../http/probe-handler.js';
import { leaderRenewalCheck } from '../probes/leader-health.js';
import type { ControllerHost, EventRecorder, LeaseGuard, Logger, Runnable } from '../types.js';
import { GracefulShutdownTimeoutError, ManagerAlreadyStartedError, RunnableFailedError } from './errors.js';
import { HttpListener } from '../http/http-listener.js';
import { RunnableGroup } from './runnable-group.js';
import { WebhookServer } from '../webhook/server.js';
import { HEALTH_PROBE_SETTING, METRICS_SETTING, resolveManagerOptions, type ManagerOptions, type ResolvedManagerOptions } from './options.js';

type StopReason = { kind: 'signal' } | { kind: 'lost'; error: unknown } | { kind: 'failed'; error: unknown };

/**
 * Runs caches, HTTP servers and controllers. Caches, servers, the warm-up of leader-only runnables (a
 * controller's informers) and runnables that need no election run on every replica, so /readyz on a standby
 * waits for its caches to sync; leader-only runnables (controller workers) run only while this replica holds
 * the lease. Shutdown order: controllers, leader-only or not (waiting for in-flight reconciles), then the lease
 * release, then caches and servers.
 */
export class Manager implements ControllerHost {
  /**
   * Fenced by the lease while leader election is on (writes fail with LeaseNotHeldError unless this
   * replica leads); reads are never fenced. `client.unfenced()` is the explicit way out (docs/fencing.md).
   */
  readonly client: Client;
  readonly cache: SharedCache;

  /** Uncached reads straight from the API server (controller-runtime's GetAPIReader); never fenced. */
  get apiReader(): ApiReader {
    return this.client.apiReader;
  }

  /**
   * Registers field indexes on the shared cache (controller-runtime's GetFieldIndexer): call
   * `indexField(resource, field, extract)` before `start()`; cached lists then take `matchingFields`.
   */
  get fieldIndexer(): FieldIndexer {
    return this.cache;
  }

  readonly logger: Logger;
  readonly clock: Clock;
  readonly kubeConfig: KubeConfigLike;
  readonly metricsRegistry: Registry;
  readonly leaseGuard: LeaseGuard;
  readonly defaultMaxConcurrentReconciles: number;
  /**
   * Serves the admission and conversion webhooks registered with webhookManagedBy(manager); it starts (on every
   * replica) and joins /readyz only once one is registered.
   */
  readonly webhookServer: WebhookServer;

  private readonly opts: ResolvedManagerOptions;
  private readonly cluster: Cluster;
  private readonly elector: Elector | undefined;
  private readonly healthz = new CheckSet('healthz');
  private readonly readyz = new CheckSet('readyz');
  private readonly probeListener: HttpListener | undefined;
  private readonly metricsListener: HttpListener | undefined;
  private readonly everyReplica: RunnableGroup;
  /** Runnables added with needLeaderElection false (e.g. such controllers): every replica, stopped before the caches. */
  private readonly unelected: RunnableGroup;
  private readonly leaderOnly: RunnableGroup;
  private started = false;
  private requestStop: (reason: StopReason) => void = () => {};
  private resolveElected!: () => void;
  private readonly electedPromise: Promise<void>;

  constructor(options: ManagerOptions = {}) {
    const opts = resolveManagerOptions(options);
    this.opts = opts;
    this.logger = opts.logger;
    this.clock = opts.clock;
    this.kubeConfig = opts.kubeConfig;
    this.defaultMaxConcurrentReconciles = opts.maxConcurrentReconciles;
    const le = opts.leaderElection;
    const metrics = createMetricsRegistry({ defaultMetrics: opts.defaultMetrics });
    this.metricsRegistry = metrics.registry;
    // One bucket for all of this manager's requests except leader election's, which has its own connection
    // and is never limited, so a busy controller cannot delay a Lease renewal (docs/runtime.md).
    const rateLimiter = opts.clientRateLimit ? new TokenBucketRateLimiter({ ...opts.clientRateLimit, clock: opts.clock }) : undefined;
    this.cluster =
      opts.cluster ??
      createCluster({
        kubeConfig: opts.kubeConfig,
        logger: opts.logger,
        clock: opts.clock,
        fieldManager: opts.fieldManager,
        identity: le?.identity,
        cache: opts.cache,
        syncPeriodMs: opts.syncPeriodMs,
        rateLimiter,
        restClientMetrics: createRestClientMetrics(metrics.registry),
        protobuf: opts.protobuf,
      });
    this.cache = this.cluster.cache;
    this.electedPromise = new Promise((resolve) => (this.resolveElected = resolve));
    const onFailure = (error: unknown) => this.requestStop({ kind: 'failed', error });
    this.everyReplica = new RunnableGroup('every-replica', onFailure);
    this.unelected = new RunnableGroup('unelected', onFailure);
    this.leaderOnly = new RunnableGroup('leader-only', onFailure);

    if (le) {
      metrics.leaderStatus.set({ name: le.id }, 0);
      metrics.leaderSlowpath.inc({ name: le.id }, 0);
      metrics.leaderTransitions.inc({ name: le.id }, 0);
      this.elector = createElector(le, {
        locks: apiServerLocks(opts.kubeConfig),
        leaseLock: opts.leaseLock,
        clock: opts.clock,
        logger: opts.logger.child({ component: 'leader-election' }),
        recorder: this.cluster.eventRecorder('leader-election'),
        onLeadingChange: (leading) => {
          metrics.leaderStatus.set({ name: le.id }, leading ? 1 : 0);
          metrics.leaderTransitions.inc({ name: le.id });
        },
        onSlowPath: () => metrics.leaderSlowpath.inc({ name: le.id }),
      });
      this.leaseGuard = this.elector.guard;
      this.client = this.cluster.client.withGuard(this.leaseGuard);
    } else {
      this.leaseGuard = alwaysHeldGuard;
      this.client = this.cluster.client;
    }

    this.healthz.add('ping', () => {});
    // Only a Lease is renewed; a for-life lock cannot expire while the Pod lives.
    if (this.elector instanceof LeaderElector && le) this.healthz.add('leader-election', leaderRenewalCheck(this.elector, le.leaseDurationMs, this.clock));
    this.readyz.add('ping', () => {});
    this.readyz.add('cache-sync', () => {
      if (!this.cache.hasSynced()) throw new Error('caches have not synced yet');
    });

    if (opts.healthProbe) {
      this.probeListener = new HttpListener({
        name: 'health probe server',
        bind: opts.healthProbe,
        setting: HEALTH_PROBE_SETTING,
        handler: probeHandler([this.healthz, this.readyz]),
        logger: this.logger,
      });
      this.everyReplica.add(this.probeListener);
    }
    if (opts.metrics) {
      const { handler, tls } = metricsServer(opts.metricsServing, { registry: this.metricsRegistry, client: this.cluster.client, clock: this.clock, logger: this.logger });
      this.metricsListener = new HttpListener({
        name: 'metrics server',
        bind: opts.metrics,
        setting: METRICS_SETTING,
        handler,
        logger: this.logger,
        tls,
      });
      this.everyReplica.add(this.metricsListener);
    }
    this.everyReplica.add(this.cache);
    this.webhookServer = new WebhookServer(opts.webhook, { registry: this.metricsRegistry, clock: this.clock, logger: this.logger });
    this.webhookServer.onFirstRegistration(() => {
      this.everyReplica.add(this.webhookServer);
      this.readyz.add('webhook', this.webhookServer.startedChecker());
    });
  }

  add(runnable: Runnable): void {
    if (!runnable.needLeaderElection?.()) {
      this.unelected.add(runnable);
      return;
    }
    // The warm-up (a controller's informers) runs on every replica; only `start` waits for the lease.
    if (runnable.warmup) this.everyReplica.add({ start: (signal) => runnable.warmup!(signal) });
    this.leaderOnly.add(runnable);
  }

  eventRecorder(component: string): EventRecorder {
    return this.cluster.eventRecorder(component);
  }

  addHealthzCheck(name: string, check: Check): void {
    this.healthz.add(name, check);
  }

  addReadyzCheck(name: string, check: Check): void {
    this.readyz.add(name, check);
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.leaderOnly.isStarted;
  }

  /** Resolves when this replica leads (at start when election is off). */
  elected(): Promise<void> {
    return this.electedPromise;
  }

  healthProbeAddress(): string | undefined {
    return this.probeListener?.address();
  }

  metricsAddress(): string | undefined {
    return this.metricsListener?.address();
  }

  /** The webhook server's address once it listens ('127.0.0.1:9443'); undefined while no webhook is registered. */
  webhookAddress(): string | undefined {
    return this.webhookServer.address();
  }

  /** The identity this replica campaigns with (undefined when election is off). */
  identity(): string | undefined {
    return this.elector?.identity;
  }

  async start(signal?: AbortSignal): Promise<void> {
    if (this.started) throw new ManagerAlreadyStartedError();
    this.started = true;
    const stopRequested = new Promise<StopReason>((resolve) => {
      let done = false;
      this.requestStop = (reason) => {
        if (done) return;
        done = true;
        resolve(reason);
      };
    });
    const onSignal = () => this.requestStop({ kind: 'signal' });
    if (signal?.aborted) onSignal();
    signal?.addEventListener('abort', onSignal, { once: true });

    const election = new AbortController();
    let electionTask: Promise<void> = Promise.resolve();
    try {
      this.everyReplica.start();
      this.unelected.start();
      // A server that cannot bind fails its runnable, which requests the stop; wait for that instead.
      const webhooks = this.webhookServer.paths().length > 0 ? this.webhookServer.listening() : undefined;
      const listening = Promise.all([this.probeListener?.listening(), this.metricsListener?.listening(), webhooks]).then(() => true, () => false);
      const ready = await Promise.race([listening, stopRequested.then(() => false)]);
      if (ready) {
        this.logger.info('manager started', { leaderElection: this.opts.leaderElection ? `${this.opts.leaderElection.namespace}/${this.opts.leaderElection.id}` : 'disabled', identity: this.elector?.identity });
        electionTask = this.campaign(election.signal);
      }
      const reason = await stopRequested;
      await this.shutdown(reason, election, electionTask);
      if (reason.kind === 'lost') throw reason.error;
      if (reason.kind === 'failed') throw reason.error instanceof OperatorTsError ? reason.error : new RunnableFailedError(reason.error);
      this.logger.info('manager stopped');
    } finally {
      signal?.removeEventListener('abort', onSignal);
    }
  }

  /** Becomes leader (or starts at once without election), then renews until told to stop or lost. */
  private async campaign(signal: AbortSignal): Promise<void> {
    const elector = this.elector;
    if (!elector) {
      this.startLeading();
      return;
    }
    try {
      await elector.acquire(signal);
    } catch (error) {
      // Cancelled before we led, or a fault retrying cannot fix (for-life: this Pod is missing, RBAC).
      if (!signal.aborted) this.requestStop({ kind: 'failed', error });
      return;
    }
    this.startLeading();
    try {
      await elector.hold(signal);
    } catch (error) {
      this.logger.error('leader election lost; stopping controllers', { error });
      this.requestStop({ kind: 'lost', error });
    }
  }

  private startLeading(): void {
    this.leaderOnly.start();
    this.resolveElected();
  }

  private async shutdown(reason: StopReason, election: AbortController, electionTask: Promise<void>): Promise<void> {
    const { gracefulShutdownTimeoutMs, leaderElection } = this.opts;
    this.logger.info('stopping manager', { reason: reason.kind, leaderOnlyRunnables: this.leaderOnly.activeCount });
    let stage = 'leader-only runnables (controllers) and runnables that need no election to finish in-flight work';
    const ordered = (async () => {
      // As controller-runtime: runnables that need no election stop with the leader-only ones, before the caches
      // they read from.
      await Promise.all([this.leaderOnly.stop(), this.unelected.stop()]);
      stage = 'the lease release';
      election.abort();
      await electionTask;
      // Safe to release now: nothing that needs the lease is running any more.
      if (this.elector && reason.kind !== 'lost') await this.elector.stop({ release: leaderElection?.releaseOnCancel ?? false });
      stage = 'caches and servers to stop';
      await this.everyReplica.stop();
    })();
    const timer = new AbortController();
    const timedOut = this.clock.sleep(gracefulShutdownTimeoutMs, timer.signal).then(
      () => true,
      () => false,
    );
    const expired = await Promise.race([ordered.then(() => false), timedOut]);
    timer.abort();
    if (expired) {
      election.abort();
      void this.unelected.stop();
      void this.everyReplica.stop();
      throw new GracefulShutdownTimeoutError(gracefulShutdownTimeoutMs, stage);
    }
  }
}
