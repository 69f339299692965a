import type { KubernetesObject } from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import type { EventRecorder, EventType, Logger } from '../types.js';
import { NotFoundError } from '../client/errors.js';
import type { RestTransport } from '../client/rest-transport.js';

export interface EventRecorderOptions {
  transport: RestTransport;
  component: string;
  clock: Clock;
  logger: Logger;
  /** Instance that reports (source.host, reportingInstance); default: none. */
  host?: string;
  /** Events waiting to be written; beyond it new events are dropped (and counted). Default 1000. */
  maxPending?: number;
  /** Distinct events remembered for aggregation. Default 4096. */
  maxRemembered?: number;
  /** A repeat within this window patches count instead of creating a new Event. Default 10 min. */
  aggregateWindowMs?: number;
}

interface Pending {
  obj: KubernetesObject;
  type: EventType;
  reason: string;
  message: string;
  at: number;
}

interface Remembered {
  name: string;
  namespace: string;
  count: number;
  lastSeen: number;
}

const MAX_MESSAGE = 1024;

/**
 * Writes core/v1 Events in the background. `event()` never throws and never blocks the caller:
 * failures are logged, repeats of the same event are aggregated by patching `count`, and the
 * backlog is bounded so an unreachable API server cannot grow memory without limit.
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly queue: Pending[] = [];
  private readonly remembered = new Map<string, Remembered>();
  private pumping?: Promise<void>;
  /** Events dropped because the backlog was full. */
  dropped = 0;
  written = 0;
  failed = 0;

  constructor(private readonly options: EventRecorderOptions) {}

  event(obj: KubernetesObject, type: EventType, reason: string, message: string): void {
    try {
      if (type !== 'Normal' && type !== 'Warning') {
        this.options.logger.warn('event type must be Normal or Warning; event not recorded', { type, reason });
        return;
      }
      if (!obj?.metadata?.name) {
        this.options.logger.warn('event for an object without metadata.name; event not recorded', { reason });
        return;
      }
      if (this.queue.length >= (this.options.maxPending ?? 1000)) {
        if (this.dropped++ % 100 === 0) this.options.logger.warn('event backlog full; dropping events', { dropped: this.dropped, reason });
        return;
      }
      this.queue.push({ obj, type, reason, message: message.slice(0, MAX_MESSAGE), at: this.options.clock.now() });
      this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
    } catch (err) {
      this.options.logger.error('recording an event failed', { reason, error: (err as Error)?.message });
    }
  }

  /** Resolves when every event recorded so far has been written or given up on. */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.write(next);
        this.written++;
      } catch (err) {
        this.failed++;
        this.options.logger.warn('could not write event', { reason: next.reason, object: next.obj.metadata?.name, error: (err as Error)?.message ?? String(err) });
      }
    }
  }

  private async write(e: Pending): Promise<void> {
    const meta = e.obj.metadata!;
    const namespace = meta.namespace || 'default';
    const key = [e.obj.apiVersion, e.obj.kind, namespace, meta.name, meta.uid, e.type, e.reason, e.message].join('\u0000');
    const seen = this.remembered.get(key);
    const window = this.options.aggregateWindowMs ?? 10 * 60_000;
    const timestamp = new Date(e.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (seen && e.at - seen.lastSeen < window) {
      try {
        await this.options.transport.json({
          method: 'PATCH',
          path: `/api/v1/namespaces/${encodeURIComponent(seen.namespace)}/events/${encodeURIComponent(seen.name)}`,
          body: { count: seen.count + 1, lastTimestamp: timestamp },
          contentType: 'application/merge-patch+json',
        });
        seen.count++;
        seen.lastSeen = e.at;
        this.remember(key, seen);
        return;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        // the Event expired on the server: start a new one
      }
    }
    const name = `${meta.name}.${Math.floor(e.at * 1000).toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
    await this.options.transport.json({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: e.obj.apiVersion,
          kind: e.obj.kind,
          name: meta.name,
          namespace: meta.namespace,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
        },
        reason: e.reason,
        message: e.message,
        type: e.type,
        source: { component: this.options.component, ...(this.options.host ? { host: this.options.host } : {}) },
        reportingComponent: this.options.component,
        reportingInstance: this.options.host ?? '',
        count: 1,
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
      },
    });
    this.remember(key, { name, namespace, count: 1, lastSeen: e.at });
  }

  /** LRU: re-inserting moves the key to the end; the oldest is evicted past the bound. */
  private remember(key: string, entry: Remembered): void {
    this.remembered.delete(key);
    this.remembered.set(key, entry);
    if (this.remembered.size > (this.options.maxRemembered ?? 4096)) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }
}
