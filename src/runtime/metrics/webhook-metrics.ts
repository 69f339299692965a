import type { Registry } from 'prom-client';
import { counter, gauge, histogram } from './workqueue-metrics.js';

/** controller-runtime's webhook metrics for one path (its `webhook` label). */
export interface WebhookMetrics {
  /** Call when a request arrives; call the returned function with the HTTP status once it is answered. */
  started(): (code: number, seconds: number) => void;
}

// Prometheus' default histogram buckets, as controller-runtime's RequestLatency uses.
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createWebhookMetrics(registry: Registry, webhook: string): WebhookMetrics {
  const latency = histogram(registry, 'controller_runtime_webhook_latency_seconds', 'Histogram of the latency of processing admission requests', ['webhook', 'code'], latencyBuckets);
  const total = counter(registry, 'controller_runtime_webhook_requests_total', 'Total number of admission requests by HTTP status code.', ['webhook', 'code']);
  const inFlight = gauge(registry, 'controller_runtime_webhook_requests_in_flight', 'Current number of admission requests being served.', ['webhook']);
  // As controller-runtime: the likeliest codes exist from the start, so a rate() over them has a zero to start from.
  total.inc({ webhook, code: '200' }, 0);
  total.inc({ webhook, code: '500' }, 0);
  inFlight.set({ webhook }, 0);
  return {
    started() {
      inFlight.inc({ webhook });
      return (code, seconds) => {
        inFlight.dec({ webhook });
        total.inc({ webhook, code: String(code) });
        latency.observe({ webhook, code: String(code) }, seconds);
      };
    },
  };
}
