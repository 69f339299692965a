/**
 * operator-ts/runtime/internal: the parts the runtime is built from — work queues and rate limiters,
 * informers and their store, the REST transport, the cluster wiring, and Lease lock plumbing.
 *
 * Unstable: names and signatures here change in any release without notice. Use them to test or extend
 * the runtime itself, or for the advanced ManagerOptions (`leaseLock`, `cluster`); an operator should need
 * only operator-ts/runtime.
 */

// Work queues and rate limiters.
export { WorkQueue } from './queue/work-queue.js';
export { DelayingQueue } from './queue/delaying-queue.js';
export { RateLimitingQueue } from './queue/rate-limiting-queue.js';
export { ItemExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './queue/rate-limiters.js';

// Informers and the object store behind the shared cache.
export { Informer, type EventHandler, type InformerOptions } from './informer/informer.js';
export type { ListerWatcher, WatchEvent, ListResult } from './informer/list-watch.js';
export { ObjectStore } from './store/object-store.js';
export { parseLabelSelector, type LabelSelector } from './store/label-selector.js';

// Talking to the API server: the REST transport, URL paths, and the cache/client/recorder wiring of one cluster.
export { RestTransport, type RestClientMetrics } from './client/rest-transport.js';
export { TokenBucketRateLimiter, type RequestRateLimiter } from './client/request-rate-limiter.js';
export { createRestClientMetrics } from './metrics/rest-client-metrics.js';
export type { CachedReader } from './client/client.js';
export { collectionPath, objectPath } from './resource.js';
export { createCluster, type Cluster, type ClusterOptions } from './cluster/cluster.js';
export type { CacheReader, ControllerHost } from './types.js';
export { KubeEventRecorder } from './events/recorder.js';

// Leader election plumbing: the elector, the Lease lock interface, its API-server and in-memory implementations.
export { LeaderElector, type LeaderElectorConfig } from './leaderelection/elector.js';
export type { LeaseLock, LeaseWatcher, LeaderElectionRecord, ObservedLease } from './leaderelection/lease-lock.js';
export { KubeLeaseLock } from './kube-locks/kube-lease-lock.js';
export { MemoryLeaseStore } from './leaderelection/memory-lease-lock.js';
export { createLeaseGuard, alwaysHeldGuard, type LeadershipState } from './leaderelection/lease-guard.js';
export { fencingMarginMs } from './leaderelection/timing-rules.js';
export { formatMicroTime, parseMicroTime } from './leaderelection/microtime.js';

// The manager's metrics registry.
export { createMetricsRegistry } from './metrics/registry.js';
