import type { Registry } from 'prom-client';
import { counter, histogram } from './workqueue-metrics.js';

/** client-go's buckets for both latency histograms (k8s.io/component-base/metrics/prometheus/restclient). */
export const REST_CLIENT_LATENCY_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0];

/** The REST client metrics one transport reports; the shape RestTransport's `metrics` option takes. */
export interface RestClientMetricsSink {
  requestResult(code: string, method: string, host: string): void;
  requestLatency(verb: string, host: string, seconds: number): void;
  rateLimiterLatency(verb: string, host: string, seconds: number): void;
}

/**
 * client-go's REST client metrics with its names, help texts, labels and buckets, registered in `registry`:
 * rest_client_requests_total{code,method,host}, rest_client_request_duration_seconds{verb,host} and
 * rest_client_rate_limiter_duration_seconds{verb,host}.
 */
export function createRestClientMetrics(registry: Registry): RestClientMetricsSink {
  const requests = counter(registry, 'rest_client_requests_total', 'Number of HTTP requests, partitioned by status code, method, and host.', ['code', 'method', 'host']);
  const duration = histogram(registry, 'rest_client_request_duration_seconds', 'Request latency in seconds. Broken down by verb, and host.', ['verb', 'host'], REST_CLIENT_LATENCY_BUCKETS);
  const limiter = histogram(registry, 'rest_client_rate_limiter_duration_seconds', 'Client side rate limiter latency in seconds. Broken down by verb, and host.', ['verb', 'host'], REST_CLIENT_LATENCY_BUCKETS);
  return {
    requestResult: (code, method, host) => requests.inc({ code, method, host }),
    requestLatency: (verb, host, seconds) => duration.observe({ verb, host }, seconds),
    rateLimiterLatency: (verb, host, seconds) => limiter.observe({ verb, host }, seconds),
  };
}
