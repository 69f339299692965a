import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { OperatorTsError, ValidationError } from '../errors.js';
import { loadCrds } from './crd-sources.js';
import { useExistingClusterFromEnv, USE_EXISTING_CLUSTER_ENV } from './existing-cluster-env.js';
import type { ExistingClusterOptions } from './existing-cluster.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { ApiServer } from './server/api-server.js';
import type { ApiServerOptions } from './server/options.js';
import { StatusError } from './server/status.js';
import { resolveTestEnvWebhookOptions, type TestEnvWebhookOptions, type WebhookInstallOptions } from './webhook/options.js';
import { conversionWebhookCrdNames } from './webhook/conversion.js';
import type { PreparedWebhooks } from './webhook/prepare.js';

export interface TestEnvOptions extends ApiServerOptions {
  /** CRDs to install: YAML/JSON file paths, directories (every .yaml/.yml/.json inside), or CRD objects. */
  crds?: Array<string | object>;
  /** Where to write the kubeconfig; default a file in a temp directory that stop() removes. */
  kubeconfigPath?: string;
  /**
   * Run against the cluster of the current kubeconfig (KUBECONFIG, else ~/.kube/config) instead of the
   * embedded server: the CRDs are installed there and removed on stop(). Default: the environment variable
   * USE_EXISTING_CLUSTER (true/false/1/0), else false.
   */
  useExistingCluster?: boolean;
  /** Timeouts of the waits on an existing cluster. */
  existingCluster?: ExistingClusterOptions;
  /**
   * Admission webhook configurations to install, pointed at a webhook server the test runs on 127.0.0.1 with a
   * generated CA (envtest's WebhookInstallOptions); where to serve is in `webhookInstallOptions`. The conversion
   * webhooks of `crds` (`spec.conversion.strategy: Webhook`) are pointed at the same server; on an existing
   * cluster, a CRD that was there before gets its own spec.conversion back on stop().
   */
  webhooks?: TestEnvWebhookOptions;
}

export interface TestEnv extends TestServer {
  /** client-node KubeConfig for the server (context 'operator-ts-testenv', namespace default). */
  kubeConfig: KubeConfig;
}

/** A running test server without a client-node KubeConfig: what a process that only serves needs. */
export interface TestServer {
  /** A kubeconfig file kubectl can use. */
  kubeconfigPath: string;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The server itself, for tests that poke at it (dropAllWatches(), pause(), ...). */
  server: ApiServer;
  /**
   * Set when `webhooks` was given: the host, port and certDir to give the Manager's `webhook` option, and the CA.
   */
  webhookInstallOptions?: WebhookInstallOptions;
  /** Closes every connection, watches included, and removes the temporary kubeconfig (and webhook cert dir). */
  stop(): Promise<void>;
}

/** A CRD given at start-up was refused by the server. */
export class CrdInstallError extends OperatorTsError {
  constructor(message: string, cause: unknown) {
    super('ECRDINSTALL', message, { hint: 'Fix the CRD (the message names the field) or leave it out of crds.', cause });
  }
}

/** Starts the embedded API server with the given CRDs installed and writes a kubeconfig for it. */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  if (options.useExistingCluster ?? useExistingClusterFromEnv(process.env[USE_EXISTING_CLUSTER_ENV]) ?? false) {
    if (options.simulate?.workloads) {
      throw new ValidationError('simulate.workloads works only with the embedded API server, not with useExistingCluster', {
        hint: 'An existing cluster runs its own controllers; leave simulate out, or unset USE_EXISTING_CLUSTER / useExistingCluster.',
      });
    }
    const crds = await loadCrds(options.crds ?? []);
    const prepared = await prepareWebhooks(options.webhooks, crds);
    const { startOnExistingCluster } = await import('./existing-cluster.js');
    let env: TestEnv;
    try {
      env = await startOnExistingCluster(prepared?.crds ?? crds, {
        kubeconfigPath: options.kubeconfigPath, existingCluster: options.existingCluster,
        restoreConversionOf: prepared?.installOptions.conversionWebhookCrds ?? [],
      });
    } catch (err) {
      await prepared?.cleanUp();
      throw err;
    }
    if (!prepared) return env;
    let removeWebhooks: () => Promise<void>;
    try {
      const { installIntoCluster } = await import('./webhook/install.js');
      removeWebhooks = await installIntoCluster(env.kubeConfig, prepared);
    } catch (err) {
      await env.stop().catch(() => undefined);
      await prepared.cleanUp();
      throw err;
    }
    const stopCluster = env.stop;
    let stopped: Promise<void> | undefined;
    // Configurations first, so nothing is left pointing at a server that is gone.
    const stop = () => (stopped ??= removeWebhooks().finally(() => stopCluster().finally(() => prepared.cleanUp())));
    // Assigned, not spread: env has a getter (server) that throws.
    return Object.assign(env, { webhookInstallOptions: prepared.installOptions, stop });
  }
  const { testKubeConfig } = await import('./kubeconfig-client.js');
  const server = await startTestServer(options);
  return { ...server, kubeConfig: testKubeConfig(server.url, options.token) };
}

/**
 * Validates `webhooks` and prepares certificates, configurations and the CRDs' conversion webhooks; node-forge
 * loads only here. Without `webhooks`, CRDs converted by a webhook are installed as given (as envtest does), and a
 * process warning says why reads in their other versions will fail.
 */
async function prepareWebhooks(webhooks: TestEnvWebhookOptions | undefined, crds: readonly object[]): Promise<PreparedWebhooks | undefined> {
  if (webhooks === undefined) {
    warnUnservedConversions(crds);
    return undefined;
  }
  const resolved = resolveTestEnvWebhookOptions(webhooks);
  const { prepareWebhooks: prepare } = await import('./webhook/prepare.js');
  return prepare(resolved, crds);
}

/** Code of the process warning about CRDs whose conversion webhook nothing serves. */
export const UNSERVED_CONVERSION_WARNING = 'OPERATOR_TS_UNSERVED_CONVERSION_WEBHOOK';

function warnUnservedConversions(crds: readonly object[]): void {
  const names = conversionWebhookCrdNames(crds);
  if (names.length === 0) return;
  process.emitWarning(
    `CRD ${names.join(', ')} converts between versions with a webhook (spec.conversion.strategy: Webhook), but no webhooks were asked for ` +
    '(startTestEnv without webhooks, or operator-ts testenv): reading or writing any version other than the storage version fails with ' +
    '"conversion webhook for ... failed". In a test, pass webhooks: { paths: [\'config/webhook\'] } (or webhooks: {}) and serve the conversion ' +
    'with a Manager given env.webhookInstallOptions; to run the operator with its webhooks, use operator-ts dev (npm run dev).',
    { code: UNSERVED_CONVERSION_WARNING },
  );
}

/**
 * startTestEnv without the client-node KubeConfig, so neither this module nor this call loads
 * client-node: the fast start of a process that only serves (`operator-ts testenv`).
 */
export async function startTestServer(options: TestEnvOptions = {}): Promise<TestServer> {
  const { crds: sources = [], kubeconfigPath: requestedPath, useExistingCluster, existingCluster: _unused, webhooks, ...serverOptions } = options;
  if (useExistingCluster === true) {
    throw new ValidationError('startTestServer always starts the embedded API server; useExistingCluster: true needs startTestEnv', {
      hint: 'Call startTestEnv({ useExistingCluster: true }), or leave useExistingCluster out.',
    });
  }
  const loaded = await loadCrds(sources);
  const prepared = await prepareWebhooks(webhooks, loaded);
  const crds = prepared?.crds ?? loaded;
  let server: ApiServer;
  try {
    server = await ApiServer.start(serverOptions);
  } catch (err) {
    await prepared?.cleanUp();
    throw err;
  }
  let tempDir: string | undefined;
  try {
    if (crds.length > 0) await server.crdValidationReady();
    for (const crd of crds) {
      try {
        server.createObject(crd);
      } catch (err) {
        const name = (crd as { metadata?: { name?: string } }).metadata?.name ?? '<unnamed>';
        throw new CrdInstallError(`CRD ${name} could not be installed: ${err instanceof StatusError || err instanceof Error ? err.message : String(err)}`, err);
      }
    }
    if (prepared) {
      const { installIntoServer } = await import('./webhook/install.js');
      installIntoServer(server, prepared);
    }
    let kubeconfigPath = requestedPath;
    if (kubeconfigPath === undefined) {
      tempDir = await mkdtemp(join(tmpdir(), 'operator-ts-testenv-'));
      kubeconfigPath = join(tempDir, 'kubeconfig');
    }
    await writeFile(kubeconfigPath, kubeconfigYaml(server.url, serverOptions.token), { mode: 0o600 });
    let stopped: Promise<void> | undefined;
    return {
      kubeconfigPath,
      url: server.url,
      server,
      ...(prepared ? { webhookInstallOptions: prepared.installOptions } : {}),
      stop: () => {
        stopped ??= (async () => {
          await server.stop();
          if (tempDir) await rm(tempDir, { recursive: true, force: true });
          await prepared?.cleanUp();
        })();
        return stopped;
      },
    };
  } catch (err) {
    await server.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    await prepared?.cleanUp();
    throw err;
  }
}
