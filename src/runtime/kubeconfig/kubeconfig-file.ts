import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfigError } from './kubeconfig-error.js';
import { inClusterKubeConfig, mergeKubeConfigs, readKubeConfigFile, type KubeCluster, type KubeConfigDocument, type KubeContext, type KubeUser } from './kubeconfig-document.js';
import type { KubeConfigLike } from './kubeconfig-like.js';

export interface KubeConfigFileOptions {
  /** Default: Date.now; decides when a token file is read again. */
  now?: () => number;
  /**
   * Loads client-node's KubeConfig for a user with an exec plugin or auth provider. Default: imports
   * client-node on first use and calls loadFromDefault(), so only such users pay for its ~2,500 modules.
   */
  loadDelegate?: () => Promise<KubeConfigLike>;
}

/** client-go re-reads a service account token file once a minute, so rotated tokens are picked up. */
const TOKEN_FILE_TTL_MS = 60_000;

async function clientNodeKubeConfig(): Promise<KubeConfigLike> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}

/**
 * A kubeconfig read without client-node: clusters, contexts and users with tokens, token files,
 * client certificates or basic auth. Users with an exec plugin or auth provider are handed to
 * client-node's KubeConfig, imported only then.
 */
export class KubeConfigFile implements KubeConfigLike {
  private readonly now: () => number;
  private readonly loadDelegate: () => Promise<KubeConfigLike>;
  private delegate: Promise<KubeConfigLike> | undefined;
  private token: { value: string; readAt: number } | undefined;

  constructor(
    readonly document: KubeConfigDocument,
    options: KubeConfigFileOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.loadDelegate = options.loadDelegate ?? clientNodeKubeConfig;
  }

  getCurrentContext(): string {
    return this.document.currentContext;
  }

  getContextObject(name: string): KubeContext | null {
    return this.document.contexts.find((c) => c.name === name) ?? null;
  }

  getCurrentCluster(): KubeCluster | null {
    const context = this.getContextObject(this.document.currentContext);
    return this.document.clusters.find((c) => c.name === context?.cluster) ?? null;
  }

  getCurrentUser(): KubeUser | null {
    const context = this.getContextObject(this.document.currentContext);
    return this.document.users.find((u) => u.name === context?.user) ?? null;
  }

  async applyToHTTPSOptions(options: https.RequestOptions): Promise<void> {
    const user = this.getCurrentUser();
    if (user?.delegated) {
      this.delegate ??= this.loadDelegate();
      return (await this.delegate).applyToHTTPSOptions(options);
    }
    const cluster = this.getCurrentCluster();
    if (cluster) {
      const ca = cluster.certificateAuthorityData ? Buffer.from(cluster.certificateAuthorityData, 'base64') : cluster.certificateAuthority && readFileSync(cluster.certificateAuthority);
      if (ca) options.ca = ca;
      if (cluster.insecureSkipTlsVerify) options.rejectUnauthorized = false;
      if (cluster.tlsServerName) options.servername = cluster.tlsServerName;
    }
    if (!user) return;
    const cert = user.clientCertificateData ? Buffer.from(user.clientCertificateData, 'base64') : user.clientCertificate && readFileSync(user.clientCertificate);
    const key = user.clientKeyData ? Buffer.from(user.clientKeyData, 'base64') : user.clientKey && readFileSync(user.clientKey);
    if (cert) options.cert = cert;
    if (key) options.key = key;
    const token = user.token ?? (user.tokenFile ? this.readTokenFile(user.tokenFile) : undefined);
    const headers = (options.headers ??= {}) as Record<string, string>;
    if (user.impersonate) headers['Impersonate-User'] = user.impersonate;
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (user.username !== undefined || user.password !== undefined) options.auth = `${user.username ?? ''}:${user.password ?? ''}`;
  }

  private readTokenFile(path: string): string {
    const now = this.now();
    if (!this.token || now - this.token.readAt >= TOKEN_FILE_TTL_MS) this.token = { value: readFileSync(path, 'utf8').trim(), readAt: now };
    return this.token.value;
  }
}

export interface LoadKubeConfigOptions extends KubeConfigFileOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: the user's home directory. */
  home?: string;
  /** Default: /var/run/secrets/kubernetes.io/serviceaccount. */
  serviceAccountDir?: string;
}

const NO_KUBECONFIG_HINT =
  "set KUBECONFIG to your cluster's kubeconfig (or create ~/.kube/config), run inside a pod, or use `npm run dev` to run against the embedded API server";

/** KUBECONFIG (a list, merged as kubectl does), else ~/.kube/config, else the pod's service account — client-node's order. */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfigFile {
  const env = options.env ?? process.env;
  const files = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f);
  if (files.length === 0) {
    const home = join(options.home ?? homedir(), '.kube', 'config');
    if (existsSync(home)) files.push(home);
  }
  let document: KubeConfigDocument | undefined;
  if (files.length > 0) {
    const source = env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : files[0];
    try {
      document = mergeKubeConfigs(files.map(readKubeConfigFile));
    } catch (err) {
      throw new KubeConfigError(`could not load ${source}: ${(err as Error).message}`, { hint: NO_KUBECONFIG_HINT, cause: err });
    }
  } else {
    document = inClusterKubeConfig(env, options.serviceAccountDir);
  }
  if (!document) {
    throw new KubeConfigError('no kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not running in a pod', { hint: NO_KUBECONFIG_HINT });
  }
  return new KubeConfigFile(document, options);
}
