import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { QueueMetrics } from '../queue/queue-metrics.js';

/**
 * prom-client refuses to register a name twice, but several controllers (and queues) share one
 * registry: the first creates a metric, the rest reuse it.
 */
export function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  collect?: (this: Gauge<L>) => void,
): Gauge<L> {
  return (registry.getSingleMetric(name) as Gauge<L> | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry], collect });
}

export function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  return (registry.getSingleMetric(name) as Histogram<L> | undefined) ?? new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

/** `count` buckets starting at `start`, each `factor` times the previous. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** Queues reporting into each registry; the two "in flight" gauges are computed from them at scrape time. */
const liveQueues = new WeakMap<Registry, Set<PromQueueMetrics>>();

function queuesOf(registry: Registry): Set<PromQueueMetrics> {
  let set = liveQueues.get(registry);
  if (!set) liveQueues.set(registry, (set = new Set()));
  return set;
}

type QueueLabels = 'name' | 'controller';

/**
 * Prometheus metrics of one work queue, with controller-runtime's names, labels and buckets: every series is
 * labelled `name` and `controller` (both the controller's name), and workqueue_depth also `priority` (always
 * empty: these queues have no priorities).
 */
class PromQueueMetrics implements QueueMetrics {
  private readonly addedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly labels: Record<QueueLabels, string>;
  private readonly depthLabels: Record<QueueLabels | 'priority', string>;
  private readonly depth;
  private readonly adds;
  private readonly latency;
  private readonly workDuration;
  private readonly retries;

  constructor(private readonly registry: Registry, name: string, private readonly clock: Clock) {
    this.labels = { name, controller: name };
    this.depthLabels = { ...this.labels, priority: '' };
    const buckets = exponentialBuckets(1e-8, 10, 12);
    const labelNames: QueueLabels[] = ['name', 'controller'];
    this.depth = gauge(registry, 'workqueue_depth', 'Current depth of workqueue by workqueue and priority', [...labelNames, 'priority']);
    this.adds = counter(registry, 'workqueue_adds_total', 'Total number of adds handled by workqueue', labelNames);
    this.latency = histogram(registry, 'workqueue_queue_duration_seconds', 'How long in seconds an item stays in workqueue before being requested', labelNames, buckets);
    this.workDuration = histogram(registry, 'workqueue_work_duration_seconds', 'How long in seconds processing an item from workqueue takes.', labelNames, buckets);
    this.retries = counter(registry, 'workqueue_retries_total', 'Total number of retries handled by workqueue', labelNames);
    const queues = queuesOf(registry);
    gauge(registry, 'workqueue_unfinished_work_seconds', "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.", labelNames, function () {
      for (const q of queues) this.set(q.labels, q.unfinishedSeconds());
    });
    gauge(registry, 'workqueue_longest_running_processor_seconds', 'How many seconds has the longest running processor for workqueue been running.', labelNames, function () {
      for (const q of queues) this.set(q.labels, q.longestRunningSeconds());
    });
    queues.add(this);
    this.depth.set(this.depthLabels, 0);
  }

  add(key: string): void {
    this.adds.inc(this.labels);
    this.depth.inc(this.depthLabels);
    if (!this.addedAt.has(key)) this.addedAt.set(key, this.clock.now());
  }

  get(key: string): void {
    this.depth.dec(this.depthLabels);
    const added = this.addedAt.get(key);
    if (added !== undefined) this.latency.observe(this.labels, (this.clock.now() - added) / 1000);
    this.addedAt.delete(key);
    this.startedAt.set(key, this.clock.now());
  }

  done(key: string): void {
    const started = this.startedAt.get(key);
    if (started !== undefined) this.workDuration.observe(this.labels, (this.clock.now() - started) / 1000);
    this.startedAt.delete(key);
  }

  retry(): void {
    this.retries.inc(this.labels);
  }

  close(): void {
    this.depth.set(this.depthLabels, 0);
    this.addedAt.clear();
    queuesOf(this.registry).delete(this);
  }

  unfinishedSeconds(): number {
    const now = this.clock.now();
    let total = 0;
    for (const t of this.startedAt.values()) total += now - t;
    return total / 1000;
  }

  longestRunningSeconds(): number {
    const now = this.clock.now();
    let longest = 0;
    for (const t of this.startedAt.values()) longest = Math.max(longest, now - t);
    return longest / 1000;
  }
}

/** Metrics for the queue `name`, registered into `registry` (shared metric objects, one label per queue). */
export function createWorkQueueMetrics(registry: Registry, name: string, clock: Clock): QueueMetrics {
  return new PromQueueMetrics(registry, name, clock);
}
