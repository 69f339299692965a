import { OperatorTsError } from '../../errors.js';

/**
 * Admission webhooks startTestEnv installs and points at a webhook server the test runs on this machine, as
 * envtest's WebhookInstallOptions does: a generated CA signs a serving certificate for `host`, and every webhook's
 * `clientConfig.service` becomes `url: https://<host>:<port><service.path>` with the CA as `caBundle`. The
 * conversion webhook of every CRD given in `crds` with `spec.conversion.strategy: Webhook` is pointed there too
 * (`<service.path, else /convert>`), so `webhooks: {}` is enough for conversion alone.
 */
export interface TestEnvWebhookOptions {
  /**
   * YAML/JSON files or directories (e.g. config/webhook) holding Mutating/ValidatingWebhookConfigurations. In a
   * directory, every .yaml/.yml/.json file directly inside is read and documents of other kinds (Service,
   * Kustomization) are skipped; a file named here must hold only webhook configurations.
   */
  paths?: string[];
  /** admissionregistration.k8s.io/v1 MutatingWebhookConfiguration objects. */
  mutating?: object[];
  /** admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration objects. */
  validating?: object[];
  /** Address the webhook server will listen on, and the certificate's subject; '127.0.0.1'. */
  host?: string;
  /** Port the webhook server will listen on; default (or 0) a free port on `host`. */
  port?: number;
}

/** Where the test's webhook server must serve: pass `{ host, port, certDir }` as the Manager's `webhook` option. */
export interface WebhookInstallOptions {
  host: string;
  port: number;
  /** Temporary directory with tls.crt and tls.key for `host`; stop() removes it. */
  certDir: string;
  /** The CA (PEM) that signed tls.crt. */
  caPem: string;
  /** The CA as the configurations carry it: base64 of caPem. */
  caBundle: string;
  /** Names of the configurations installed, by kind. */
  mutatingWebhookConfigurations: string[];
  validatingWebhookConfigurations: string[];
  /** Names of the CRDs whose conversion webhook (`spec.conversion.strategy: Webhook`) was pointed at `host:port`. */
  conversionWebhookCrds: string[];
}

export interface ResolvedTestEnvWebhookOptions {
  paths: string[];
  mutating: object[];
  validating: object[];
  host: string;
  /** 0: pick a free port. */
  port: number;
}

/** The webhooks given to startTestEnv cannot be read, rewritten or installed; names the value and a fix. */
export class WebhookInstallError extends OperatorTsError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('EWEBHOOKINSTALL', message, options);
  }
}

export const TEST_ENV_WEBHOOK_DEFAULTS = { host: '127.0.0.1', port: 0 } as const;

const GROUP_VERSION = 'admissionregistration.k8s.io/v1';

/** Throws unless `value` is a webhook configuration of `kind` (admissionregistration.k8s.io/v1). */
export function checkConfiguration(value: unknown, kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration', from: string): void {
  const record = value as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || Array.isArray(record) || record.kind !== kind || record.apiVersion !== GROUP_VERSION) {
    const what = record !== null && typeof record === 'object' && !Array.isArray(record) ? `apiVersion ${String(record.apiVersion)}, kind ${String(record.kind)}` : JSON.stringify(value);
    throw new WebhookInstallError(`${from} is ${what}, not an ${GROUP_VERSION} ${kind}`, {
      hint: `Pass ${kind} objects in webhooks.${kind.startsWith('Mutating') ? 'mutating' : 'validating'}, or the file that holds them in webhooks.paths.`,
    });
  }
  const name = (record.metadata as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new WebhookInstallError(`${from}: the ${kind} has no metadata.name`, { hint: 'Give it a name, e.g. metadata: { name: mutating-webhook-configuration }.' });
  }
}

function objects(field: 'mutating' | 'validating', value: unknown): object[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new WebhookInstallError(`webhooks.${field} is ${JSON.stringify(value)}: it must be an array of configurations`, { hint: `Use e.g. webhooks: { ${field}: [configuration] }.` });
  }
  const kind = field === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration';
  value.forEach((item, i) => checkConfiguration(item, kind, `webhooks.${field}[${i}]`));
  return value.map((item) => structuredClone(item) as object);
}

/** Fills defaults and validates startTestEnv's `webhooks`; the only place that does either. */
export function resolveTestEnvWebhookOptions(value: unknown): ResolvedTestEnvWebhookOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WebhookInstallError(`webhooks is ${JSON.stringify(value)}: it must be an object`, { hint: "Use e.g. webhooks: { paths: ['config/webhook'] }." });
  }
  const o = value as TestEnvWebhookOptions;
  const paths = o.paths ?? [];
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw new WebhookInstallError(`webhooks.paths is ${JSON.stringify(o.paths)}: it must be an array of file or directory paths`, { hint: "Use e.g. paths: ['config/webhook']." });
  }
  const host = o.host ?? TEST_ENV_WEBHOOK_DEFAULTS.host;
  if (typeof host !== 'string' || host === '' || /[\s/[\]]/.test(host)) {
    throw new WebhookInstallError(`webhooks.host ${JSON.stringify(host)} must be a host name or IP address without brackets, spaces or '/'`, {
      hint: "Leave it out for '127.0.0.1', or use e.g. 'localhost' or '::1'.",
    });
  }
  const port = o.port ?? TEST_ENV_WEBHOOK_DEFAULTS.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WebhookInstallError(`webhooks.port is ${JSON.stringify(port)}: it must be a whole number from 0 to 65535`, { hint: 'Leave it out (or 0) for a free port.' });
  }
  return { paths: [...paths], mutating: objects('mutating', o.mutating), validating: objects('validating', o.validating), host, port };
}
