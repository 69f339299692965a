import type { Registry } from 'prom-client';
import type { Client } from '../client/client.js';
import type { Clock } from '../clock.js';
import type { ResolvedMetricsServing } from './metrics-serving-options.js';
import type { Logger } from '../types.js';
import type { AccessReviewer } from '../http/access-reviews.js';
import { apiServerReviewer } from './api-server-reviewer.js';
import { CertWatcher } from '../http/cert-watcher.js';
import type { RequestHandler, TlsSource } from '../http/http-listener.js';
import { withAuthenticationAndAuthorization } from '../http/metrics-auth.js';
import { metricsHandler } from '../http/metrics-handler.js';
import { selfSignedCertificate } from '../http/self-signed-cert.js';

export interface MetricsServerDeps {
  registry: Registry;
  /** Makes the access reviews; not fenced by the lease, since every replica serves metrics. */
  client: Client;
  clock: Clock;
  logger: Logger;
  /** Tests: answers the reviews instead of the API server. */
  reviewer?: AccessReviewer;
}

/** The handler and certificates of the metrics server: plain /metrics, or HTTPS behind authentication and authorization. */
export function metricsServer(serving: ResolvedMetricsServing, deps: MetricsServerDeps): { handler: RequestHandler; tls?: TlsSource } {
  const plain = metricsHandler(deps.registry);
  if (!serving.secure) return { handler: plain };
  const handler = withAuthenticationAndAuthorization(plain, { reviewer: deps.reviewer ?? apiServerReviewer(deps.client), clock: deps.clock, logger: deps.logger });
  const { certDir } = serving;
  if (certDir === undefined) {
    return { handler, tls: { initial: () => selfSignedCertificate(['localhost', '127.0.0.1', '::1']) } };
  }
  const watcher = new CertWatcher({ dir: certDir, certName: serving.certName, keyName: serving.keyName, clock: deps.clock, logger: deps.logger });
  return { handler, tls: { initial: () => watcher.load(), watch: (signal, onChange) => watcher.watch(signal, onChange) } };
}
