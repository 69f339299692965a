import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import type { Clock } from '../clock.js';
import type { EventRecorder, Logger } from '../types.js';
import { Client } from '../client/client.js';
import { RestTransport, type RestClientMetrics } from '../client/rest-transport.js';
import type { RequestRateLimiter } from '../client/request-rate-limiter.js';
import { SharedCache, type InformerTuning } from '../cache/shared-cache.js';
import { RestListerWatcher } from '../informer/list-watch.js';
import { KubeEventRecorder } from '../events/recorder.js';
import type { ResolvedCacheOptions } from '../cache/cache-options.js';

/** The parts of a manager that talk to one API server: cache, client and event recorders. */
export interface Cluster {
  cache: SharedCache;
  client: Client;
  eventRecorder(component: string): EventRecorder;
}

export interface ClusterOptions {
  kubeConfig: KubeConfigLike;
  logger: Logger;
  clock: Clock;
  /** Field manager for server-side apply. */
  fieldManager: string;
  /** This replica's identity; reported as the events' source host. */
  identity?: string;
  /** Tuning of the informers (watch timeouts, backoff); defaults suit production. */
  informer?: InformerTuning;
  /** Which namespaces and objects the cache holds (from resolveManagerOptions); default: everything. */
  cache?: ResolvedCacheOptions;
  /** Re-deliver every cached object to the handlers about this often (jittered per informer); absent: never. */
  syncPeriodMs?: number;
  /** Paces every non-streaming request of the client, the informers' lists and the event recorders; default none. */
  rateLimiter?: RequestRateLimiter;
  /** Receives client-go's REST client metrics for every request. */
  restClientMetrics?: RestClientMetrics;
  /** The informers list built-in kinds in protobuf (decoded into the JSON objects); default false here. */
  protobuf?: boolean;
}

/** Builds the cluster parts over one REST transport. Connects to nothing until the cache starts. */
export function createCluster(opts: ClusterOptions): Cluster {
  const transport = new RestTransport(opts.kubeConfig, { rateLimiter: opts.rateLimiter, metrics: opts.restClientMetrics, clock: opts.clock });
  const cache = new SharedCache({
    listerWatcherFor: (rt, scope) => new RestListerWatcher(transport, rt, scope, { protobuf: opts.protobuf }),
    clock: opts.clock,
    logger: opts.logger.child({ component: 'cache' }),
    informer: opts.informer,
    scope: opts.cache,
    syncPeriodMs: opts.syncPeriodMs,
  });
  const client = new Client({ transport, cache, fieldManager: opts.fieldManager });
  const recorders = new Map<string, KubeEventRecorder>();
  return {
    cache,
    client,
    eventRecorder(component: string): EventRecorder {
      let recorder = recorders.get(component);
      if (!recorder) {
        recorder = new KubeEventRecorder({ transport, component, clock: opts.clock, logger: opts.logger.child({ component: 'events' }), host: opts.identity });
        recorders.set(component, recorder);
      }
      return recorder;
    },
  };
}
