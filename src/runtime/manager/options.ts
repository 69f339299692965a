import type { Clock } from '../clock.js';
import { MAX_TIMER_MS, realClock } from '../clock.js';
import type { Cluster } from '../cluster/cluster.js';
import { resolveLeaderElectionOptions, type LeaderElectionOptions, type ResolvedLeaderElectionOptions } from '../leaderelection/options.js';
import type { LeaseLock } from '../leaderelection/lease-lock.js';
import { createLogger } from '../logging/logger.js';
import type { Logger } from '../types.js';
import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import { loadKubeConfig } from '../kubeconfig/kubeconfig-file.js';
import { ManagerOptionsError } from './errors.js';
import { parseBindAddress, type BindAddress } from '../http/bind-address.js';
import type { ListenerSetting } from '../http/listen-error.js';
import { resolveMetricsServing, type MetricsServingOptions, type ResolvedMetricsServing } from './metrics-serving-options.js';
import { resolveCacheOptions, type CacheOptions, type ResolvedCacheOptions } from '../cache/cache-options.js';
import { DEFAULT_SYNC_PERIOD_MS } from '../cache/sync-period.js';
import { resolveWebhookServerOptions, type ResolvedWebhookServerOptions, type WebhookServerOptions } from './webhook-server-options.js';
import { resolveClientRateLimit, type ClientRateLimitOptions, type ResolvedClientRateLimit } from './rate-limit-options.js';

export interface ManagerOptions extends MetricsServingOptions {
  /**
   * Default: KUBECONFIG, else ~/.kube/config, else the pod's service account, read without loading
   * client-node (see loadKubeConfig). A client-node KubeConfig may be passed instead.
   */
  kubeConfig?: KubeConfigLike;
  /** Default: disabled. */
  leaderElection?: LeaderElectionOptions;
  /** ':8081' by default; '0' disables; '127.0.0.1:0' picks a free port. */
  healthProbeBindAddress?: string;
  /** '0' (off) by default; ':8443' serves Prometheus text on /metrics (HTTPS with metricsSecure). */
  metricsBindAddress?: string;
  gracefulShutdownTimeoutMs?: number;
  /** Default for controllers built on this manager; 1. */
  maxConcurrentReconciles?: number;
  /** Server-side apply field manager; 'operator-ts'. */
  fieldManager?: string;
  /** Default createLogger(). */
  logger?: Logger;
  /** Default realClock. */
  clock?: Clock;
  /** Collect Node.js process metrics into the registry (default true). */
  defaultMetrics?: boolean;
  /**
   * Which namespaces and objects the cache holds, as controller-runtime's cache.Options; default: every
   * object of every watched kind. A cached read outside this scope fails with NamespaceNotCachedError.
   */
  cache?: CacheOptions;
  /**
   * controller-runtime's SyncPeriod: every cached object is handed to the controllers' event handlers again as an
   * update about this often (each informer at its own period in [0.9, 1.1) × this). Default 10 hours.
   */
  syncPeriodMs?: number;
  /**
   * Client-side rate limit (token bucket) of the requests the manager's clients send, as client-go's
   * rest.Config QPS/Burst; default: none. Leader election has its own connection and is never limited.
   */
  client?: ClientRateLimitOptions;
  /**
   * true: the cache's informers list built-in kinds (those of k8s.io/api the runtime has a protobuf descriptor
   * for) in protobuf, as client-go's typed clients do, and decode the answer into exactly the objects a JSON answer
   * gives; custom resources, metadata-only watches and every watch stay JSON. Default false: measured, decoding
   * protobuf in JavaScript costs more CPU than JSON.parse and did not sync sooner (docs/runtime.md "Protobuf lists").
   */
  protobuf?: boolean;
  /**
   * The webhook server (HTTPS, every replica): port 9443 and the certificate in
   * /tmp/k8s-webhook-server/serving-certs by default. It starts only once a webhook is registered
   * (webhookManagedBy(manager)...complete()).
   */
  webhook?: WebhookServerOptions;
  /** Advanced/tests: the Lease lock to use instead of the API server's Lease. */
  leaseLock?: LeaseLock;
  /** Advanced/tests: cache, client and event recorders to use instead of building them. */
  cluster?: Cluster;
  /** Advanced/tests: where the in-cluster namespace is read from. */
  serviceAccountNamespaceFile?: string;
}

/** The flag of a generated main.ts and the option each HTTP server's address comes from. */
export const HEALTH_PROBE_SETTING: ListenerSetting = { flag: '--health-probe-bind-address', option: 'healthProbeBindAddress' };
export const METRICS_SETTING: ListenerSetting = { flag: '--metrics-bind-address', option: 'metricsBindAddress' };

export interface ResolvedManagerOptions {
  kubeConfig: KubeConfigLike;
  leaderElection: ResolvedLeaderElectionOptions | undefined;
  healthProbe: BindAddress | undefined;
  metrics: BindAddress | undefined;
  metricsServing: ResolvedMetricsServing;
  gracefulShutdownTimeoutMs: number;
  maxConcurrentReconciles: number;
  fieldManager: string;
  logger: Logger;
  clock: Clock;
  defaultMetrics: boolean;
  cache: ResolvedCacheOptions;
  syncPeriodMs: number;
  /** undefined: no client-side limit. */
  clientRateLimit: ResolvedClientRateLimit | undefined;
  protobuf: boolean;
  webhook: ResolvedWebhookServerOptions;
  leaseLock: LeaseLock | undefined;
  cluster: Cluster | undefined;
}

/** Fills defaults and validates; the only place that does either. */
export function resolveManagerOptions(opts: ManagerOptions): ResolvedManagerOptions {
  const gracefulShutdownTimeoutMs = opts.gracefulShutdownTimeoutMs ?? 30_000;
  if (!Number.isFinite(gracefulShutdownTimeoutMs) || gracefulShutdownTimeoutMs <= 0) {
    throw new ManagerOptionsError('gracefulShutdownTimeoutMs', `gracefulShutdownTimeoutMs is ${gracefulShutdownTimeoutMs}: it must be a positive number of milliseconds`, 'use e.g. 30000');
  }
  const maxConcurrentReconciles = opts.maxConcurrentReconciles ?? 1;
  if (!Number.isInteger(maxConcurrentReconciles) || maxConcurrentReconciles < 1) {
    throw new ManagerOptionsError('maxConcurrentReconciles', `maxConcurrentReconciles is ${maxConcurrentReconciles}: it must be a whole number of at least 1`, 'use e.g. 1 (or a few for independent objects)');
  }
  const fieldManager = opts.fieldManager ?? 'operator-ts';
  if (fieldManager === '' || fieldManager.length > 128) {
    throw new ManagerOptionsError('fieldManager', `fieldManager '${fieldManager}' must have 1 to 128 characters`, "use e.g. 'my-operator'");
  }
  const cache = resolveCacheOptions(opts.cache);
  const syncPeriodMs = opts.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
  // The jittered period (up to 1.1 × this) must fit one timer.
  if (typeof syncPeriodMs !== 'number' || !Number.isFinite(syncPeriodMs) || syncPeriodMs <= 0 || syncPeriodMs * 1.1 > MAX_TIMER_MS) {
    throw new ManagerOptionsError(
      'syncPeriodMs',
      `syncPeriodMs is ${String(syncPeriodMs)}: it must be a positive number of milliseconds of at most ${Math.floor(MAX_TIMER_MS / 1.1)} (about 22 days)`,
      'omit it for the 10 h default, or use e.g. 3600000 (1 h); a resync only re-delivers cached objects, so it is never needed for correctness',
    );
  }
  const clientRateLimit = resolveClientRateLimit(opts.client);
  const protobuf = opts.protobuf ?? false;
  if (typeof protobuf !== 'boolean') {
    throw new ManagerOptionsError('protobuf', `protobuf is ${JSON.stringify(protobuf)}: it must be true or false`, 'omit it (every list in JSON), or pass true to list built-in kinds in protobuf');
  }
  const healthProbe = parseBindAddress(HEALTH_PROBE_SETTING.option, opts.healthProbeBindAddress ?? ':8081');
  const metrics = parseBindAddress(METRICS_SETTING.option, opts.metricsBindAddress ?? '0');
  const metricsServing = resolveMetricsServing(opts);
  const webhook = resolveWebhookServerOptions(opts.webhook);
  const kubeConfig = opts.kubeConfig ?? loadKubeConfig();
  const leaderElection = opts.leaderElection?.enabled
    ? resolveLeaderElectionOptions(opts.leaderElection, { kubeConfig, serviceAccountNamespaceFile: opts.serviceAccountNamespaceFile })
    : undefined;
  return {
    kubeConfig,
    leaderElection,
    healthProbe,
    metrics,
    metricsServing,
    gracefulShutdownTimeoutMs,
    maxConcurrentReconciles,
    fieldManager,
    logger: opts.logger ?? createLogger(),
    clock: opts.clock ?? realClock,
    defaultMetrics: opts.defaultMetrics ?? true,
    cache,
    syncPeriodMs,
    clientRateLimit,
    protobuf,
    webhook,
    leaseLock: opts.leaseLock,
    cluster: opts.cluster,
  };
}
