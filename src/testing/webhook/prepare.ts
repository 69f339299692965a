import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from './certificates.js';
import { conversionWebhookCrdNames, rewriteConversionWebhooks } from './conversion.js';
import { readWebhookConfigurations, rewriteConfiguration, serverOrigin, type WebhookConfigurationKind } from './configurations.js';
import { WebhookInstallError, type ResolvedTestEnvWebhookOptions, type WebhookInstallOptions } from './options.js';

/** Webhook configurations ready to create, and the serving certificate written where the test's server reads it. */
export interface PreparedWebhooks {
  installOptions: WebhookInstallOptions;
  configurations: Array<{ kind: WebhookConfigurationKind; object: object }>;
  /** The CRDs to install: those with a conversion webhook pointed at the local server, the others as given. */
  crds: object[];
  /** Removes the certificate directory. */
  cleanUp(): Promise<void>;
}

/** A port nothing listens on at the moment (as envtest's addr.Suggest: bind port 0, read it, close). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err) => reject(new WebhookInstallError(`no free port on webhooks.host ${JSON.stringify(host)}: ${err.message}`, {
      hint: 'Use an address of this machine, e.g. 127.0.0.1.', cause: err,
    })));
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Reads and rewrites the configurations, then makes the CA and serving certificate and writes tls.crt/tls.key into
 * a new temporary directory; points the conversion webhooks of `crds` at the same server. Everything that can be
 * wrong with the input fails before anything is written.
 */
export async function prepareWebhooks(options: ResolvedTestEnvWebhookOptions, crds: readonly object[] = []): Promise<PreparedWebhooks> {
  const fromPaths = await readWebhookConfigurations(options.paths);
  const rewrite = (origin: string, caBundle: string) => [
    ...[...options.mutating, ...fromPaths.mutating].map((object) => ({ kind: 'MutatingWebhookConfiguration' as const, object: rewriteConfiguration(object, 'MutatingWebhookConfiguration', origin, caBundle) })),
    ...[...options.validating, ...fromPaths.validating].map((object) => ({ kind: 'ValidatingWebhookConfiguration' as const, object: rewriteConfiguration(object, 'ValidatingWebhookConfiguration', origin, caBundle) })),
  ];
  // A first pass without the CA: a webhook that cannot be pointed anywhere fails before the keys are made.
  rewrite(serverOrigin(options.host, options.port), '');
  rewriteConversionWebhooks(crds, serverOrigin(options.host, options.port), '');
  const port = options.port === 0 ? await freePort(options.host) : options.port;
  const certs = await makeCertificates({ hosts: [options.host, 'localhost'] });
  const caBundle = Buffer.from(certs.caPem).toString('base64');
  const configurations = rewrite(serverOrigin(options.host, port), caBundle);
  const rewrittenCrds = rewriteConversionWebhooks(crds, serverOrigin(options.host, port), caBundle);
  const names = (kind: WebhookConfigurationKind) => configurations.filter((c) => c.kind === kind).map((c) => (c.object as { metadata: { name: string } }).metadata.name);
  for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const) {
    const seen = names(kind);
    const twice = seen.find((n, i) => seen.indexOf(n) !== i);
    if (twice !== undefined) throw new WebhookInstallError(`two ${kind}s are named ${twice}`, { hint: 'Give each configuration its own metadata.name, or pass it only once (in webhooks.paths or in the objects, not both).' });
  }
  const certDir = await mkdtemp(join(tmpdir(), 'operator-ts-webhook-serving-certs-'));
  const cleanUp = () => rm(certDir, { recursive: true, force: true });
  try {
    await writeFile(join(certDir, 'tls.crt'), certs.certPem, { mode: 0o600 });
    await writeFile(join(certDir, 'tls.key'), certs.keyPem, { mode: 0o600 });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  return {
    installOptions: {
      host: options.host, port, certDir, caPem: certs.caPem, caBundle,
      mutatingWebhookConfigurations: names('MutatingWebhookConfiguration'),
      validatingWebhookConfigurations: names('ValidatingWebhookConfiguration'),
      conversionWebhookCrds: conversionWebhookCrdNames(crds),
    },
    configurations,
    crds: rewrittenCrds,
    cleanUp,
  };
}
