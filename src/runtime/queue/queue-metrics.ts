/** What a work queue reports; the Prometheus implementation lives in metrics/workqueue-metrics.ts. */
export interface QueueMetrics {
  /** An item entered the queue (depth + 1). */
  add(key: string): void;
  /** A worker took the item (depth - 1; queue latency). */
  get(key: string): void;
  /** A worker finished the item (work duration). */
  done(key: string): void;
  /** The item was re-added through the rate limiter. */
  retry(): void;
  /** The queue shut down; stop reporting it. */
  close(): void;
}

export const noopQueueMetrics: QueueMetrics = {
  add() {},
  get() {},
  done() {},
  retry() {},
  close() {},
};
