import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '../../../src/runtime/cluster/cluster.js';
import { Client } from '../../../src/runtime/client/client.js';
import type { RestRequest, RestTransport } from '../../../src/runtime/client/rest-transport.js';
import type { EventRecorder, Runnable } from '../../../src/runtime/types.js';

/**
 * A cluster that talks to nothing: the cache only waits for its stop signal; the client's requests wait
 * for `beforeConnect`, then are recorded in `sent` (if the transport's beforeSend check passed) and
 * answered with `{}`.
 */
export function fakeCluster(opts: { synced?: () => boolean; events?: string[]; sent?: RestRequest[]; beforeConnect?: (req: RestRequest) => Promise<void> } = {}): Cluster {
  const recorder: EventRecorder = { event: (_o, _t, reason, message) => opts.events?.push(`${reason}: ${message}`) };
  const cache = {
    start: (signal: AbortSignal) => new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true })),
    hasSynced: () => opts.synced?.() ?? true,
  };
  const transport = {
    json: async (req: RestRequest) => {
      // A connection that takes long to get; an abort meanwhile ends the request, as in RestTransport.
      if (opts.beforeConnect) {
        const aborted = new Promise<never>((_, reject) => req.signal?.addEventListener('abort', () => reject(req.signal!.reason), { once: true }));
        await Promise.race([opts.beforeConnect(req), aborted]);
      }
      if (req.signal?.aborted) throw req.signal.reason;
      req.beforeSend?.();
      opts.sent?.push(req);
      return {};
    },
  } as unknown as RestTransport;
  const client = new Client({ transport, cache: { get: async () => undefined, list: async () => [] }, fieldManager: 'test' });
  return { cache, client, eventRecorder: () => recorder } as unknown as Cluster;
}

export function unreachableKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:9' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}

/** A runnable that logs start/stop into `log`; `stopDelay` lets a test hold it "in flight". */
export class RecordingRunnable implements Runnable {
  started = false;
  stopped = false;
  release: (() => void) | undefined;
  constructor(
    readonly name: string,
    readonly log: string[],
    private readonly leader: boolean,
    private readonly opts: { holdOnStop?: boolean; failWith?: Error } = {},
  ) {}
  needLeaderElection(): boolean {
    return this.leader;
  }
  async start(signal: AbortSignal): Promise<void> {
    this.started = true;
    this.log.push(`${this.name} started`);
    if (this.opts.failWith) throw this.opts.failWith;
    await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    if (this.opts.holdOnStop) await new Promise<void>((r) => (this.release = r));
    this.stopped = true;
    this.log.push(`${this.name} stopped`);
  }
}
