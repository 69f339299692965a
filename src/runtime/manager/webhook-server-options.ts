import { ManagerOptionsError } from './errors.js';

/** The webhook server's address and certificate files (controller-runtime's webhook.Options). */
export interface WebhookServerOptions {
  /** Port to serve HTTPS on; 9443. 0 picks a free port (tests). */
  port?: number;
  /** Address to bind; every interface by default. */
  host?: string;
  /** Directory holding the serving certificate and key, e.g. a mounted cert-manager Secret; '/tmp/k8s-webhook-server/serving-certs'. */
  certDir?: string;
  /** Certificate file in certDir; 'tls.crt'. */
  certName?: string;
  /** Private key file in certDir; 'tls.key'. */
  keyName?: string;
}

export interface ResolvedWebhookServerOptions {
  port: number;
  /** undefined: every interface. */
  host: string | undefined;
  certDir: string;
  certName: string;
  keyName: string;
}

export const WEBHOOK_SERVER_DEFAULTS = {
  port: 9443,
  certDir: '/tmp/k8s-webhook-server/serving-certs',
  certName: 'tls.crt',
  keyName: 'tls.key',
} as const;

function fileName(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '' || value.includes('/') || value === '.' || value === '..') {
    throw new ManagerOptionsError(option, `${option} ${JSON.stringify(value)} must be a file name inside webhook.certDir (no '/')`, `use e.g. '${fallback}'`);
  }
  return value;
}

/** Fills defaults and validates the webhook server options; the only place that does either. */
export function resolveWebhookServerOptions(opts: WebhookServerOptions | undefined): ResolvedWebhookServerOptions {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) {
    throw new ManagerOptionsError('webhook', `webhook is ${JSON.stringify(opts)}: it must be an object`, "use e.g. { port: 9443, certDir: '/tmp/k8s-webhook-server/serving-certs' }");
  }
  const o = opts ?? {};
  const port = o.port ?? WEBHOOK_SERVER_DEFAULTS.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ManagerOptionsError('webhook.port', `webhook.port is ${JSON.stringify(port)}: it must be a whole number from 0 to 65535`, 'use 9443 (the port a generated webhook Service targets), or 0 for a free port in tests');
  }
  const host = o.host === '' ? undefined : o.host;
  if (host !== undefined && (typeof host !== 'string' || /[\s/[\]]/.test(host))) {
    throw new ManagerOptionsError('webhook.host', `webhook.host ${JSON.stringify(host)} must be a host name or IP address without brackets, spaces or '/'`, "leave it out for every interface, or use e.g. '127.0.0.1' or '::1'");
  }
  const certDir = o.certDir ?? WEBHOOK_SERVER_DEFAULTS.certDir;
  if (typeof certDir !== 'string' || certDir === '') {
    throw new ManagerOptionsError('webhook.certDir', `webhook.certDir is ${JSON.stringify(certDir)}: it must be a directory path`, `use e.g. '${WEBHOOK_SERVER_DEFAULTS.certDir}' (where the cert-manager Secret is mounted)`);
  }
  const certName = fileName('webhook.certName', o.certName, WEBHOOK_SERVER_DEFAULTS.certName);
  const keyName = fileName('webhook.keyName', o.keyName, WEBHOOK_SERVER_DEFAULTS.keyName);
  if (certName === keyName) {
    throw new ManagerOptionsError('webhook.keyName', `webhook.certName and webhook.keyName are both '${certName}'`, "use 'tls.crt' for the certificate and 'tls.key' for the key");
  }
  return { port, host, certDir, certName, keyName };
}
