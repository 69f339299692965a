import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import type { Clock } from '../clock.js';
import type { EventRecorder, Logger } from '../types.js';
import { Client } from '../client/client.js';
import { RestTransport } from '../client/rest-transport.js';
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
}

/** Builds the cluster parts over one REST transport. Connects to nothing until the cache starts. */
export function createCluster(opts: ClusterOptions): Cluster {
  const transport = new RestTransport(opts.kubeConfig);
  const cache = new SharedCache({
    listerWatcherFor: (rt, scope) => new RestListerWatcher(transport, rt, scope),
    clock: opts.clock,
    logger: opts.logger.child({ component: 'cache' }),
    informer: opts.informer,
    scope: opts.cache,
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
