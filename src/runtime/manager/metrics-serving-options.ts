import { ManagerOptionsError } from './errors.js';

/** The metrics server's TLS and access settings among ManagerOptions (flat, like metricsBindAddress). */
export interface MetricsServingOptions {
  /**
   * Serve /metrics over HTTPS and let a request through only when its bearer token authenticates (TokenReview)
   * and the user may `get` the non-resource URL /metrics (SubjectAccessReview). Default false, as in
   * controller-runtime; a generated project's --metrics-secure flag defaults to true.
   */
  metricsSecure?: boolean;
  /** Directory holding the serving certificate and key (e.g. a mounted cert-manager Secret); default: a self-signed certificate made at start. */
  metricsCertDir?: string;
  /** Certificate file in metricsCertDir; 'tls.crt'. */
  metricsCertName?: string;
  /** Private key file in metricsCertDir; 'tls.key'. */
  metricsKeyName?: string;
}

export interface ResolvedMetricsServing {
  secure: boolean;
  /** undefined: a self-signed certificate. */
  certDir: string | undefined;
  certName: string;
  keyName: string;
}

function fileName(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '' || value.includes('/') || value === '.' || value === '..') {
    throw new ManagerOptionsError(option, `${option} ${JSON.stringify(value)} must be a file name inside metricsCertDir (no '/')`, `use e.g. '${fallback}'`);
  }
  return value;
}

/** Fills defaults and validates the metrics serving options; the only place that does either. */
export function resolveMetricsServing(opts: MetricsServingOptions): ResolvedMetricsServing {
  const secure = opts.metricsSecure ?? false;
  if (typeof secure !== 'boolean') {
    throw new ManagerOptionsError('metricsSecure', `metricsSecure is ${JSON.stringify(secure)}: it must be true or false`, 'use true (HTTPS with authentication and authorization) or false (plain HTTP for local runs)');
  }
  const certName = fileName('metricsCertName', opts.metricsCertName, 'tls.crt');
  const keyName = fileName('metricsKeyName', opts.metricsKeyName, 'tls.key');
  const dir = opts.metricsCertDir;
  if (dir !== undefined && typeof dir !== 'string') {
    throw new ManagerOptionsError('metricsCertDir', `metricsCertDir is ${JSON.stringify(dir)}: it must be a directory path`, "use e.g. '/tmp/k8s-metrics-server/metrics-certs'");
  }
  const certDir = dir === '' ? undefined : dir;
  if (certDir !== undefined && !secure) {
    throw new ManagerOptionsError('metricsCertDir', `metricsCertDir '${certDir}' is set but metricsSecure is false, so the certificate would not be used`, 'set metricsSecure: true (--metrics-secure) or leave metricsCertDir empty');
  }
  if (certName === keyName) {
    throw new ManagerOptionsError('metricsKeyName', `metricsCertName and metricsKeyName are both '${certName}'`, "use 'tls.crt' for the certificate and 'tls.key' for the key");
  }
  return { secure, certDir, certName, keyName };
}
