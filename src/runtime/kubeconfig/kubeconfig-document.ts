import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface KubeCluster {
  name: string;
  server: string;
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
}

export interface KubeUser {
  name: string;
  token?: string;
  tokenFile?: string;
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  username?: string;
  password?: string;
  /** `as`: sent as Impersonate-User, as client-node does. */
  impersonate?: string;
  /** An exec plugin or auth-provider: client-node handles these, loaded only for such a user. */
  delegated?: boolean;
}

export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

export interface KubeConfigDocument {
  clusters: KubeCluster[];
  users: KubeUser[];
  contexts: KubeContext[];
  currentContext: string;
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Raw => (v && typeof v === 'object' ? (v as Raw) : {});

/** File paths in a kubeconfig are relative to the file, as kubectl resolves them. */
function resolvePath(file: string, value: unknown): string | undefined {
  const p = str(value);
  return p === undefined || isAbsolute(p) ? p : join(dirname(file), p);
}

/** Parses one kubeconfig file (YAML or JSON). Throws with the file name when it cannot be read or parsed. */
export function readKubeConfigFile(path: string): KubeConfigDocument {
  const raw = obj(parse(readFileSync(path, 'utf8')));
  const list = (key: string): Raw[] => (Array.isArray(raw[key]) ? (raw[key] as unknown[]).map(obj) : []);
  return {
    clusters: list('clusters').map((entry) => {
      const c = obj(entry.cluster);
      return {
        name: str(entry.name) ?? '',
        server: str(c.server) ?? '',
        certificateAuthority: resolvePath(path, c['certificate-authority']),
        certificateAuthorityData: str(c['certificate-authority-data']),
        insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
        tlsServerName: str(c['tls-server-name']),
      };
    }),
    users: list('users').map((entry) => {
      const u = obj(entry.user);
      return {
        name: str(entry.name) ?? '',
        token: str(u.token),
        tokenFile: resolvePath(path, u.tokenFile),
        clientCertificate: resolvePath(path, u['client-certificate']),
        clientCertificateData: str(u['client-certificate-data']),
        clientKey: resolvePath(path, u['client-key']),
        clientKeyData: str(u['client-key-data']),
        username: str(u.username),
        password: str(u.password),
        impersonate: str(u.as),
        delegated: u.exec !== undefined || u['auth-provider'] !== undefined,
      };
    }),
    contexts: list('contexts').map((entry) => {
      const c = obj(entry.context);
      return { name: str(entry.name) ?? '', cluster: str(c.cluster) ?? '', user: str(c.user) ?? '', namespace: str(c.namespace) };
    }),
    currentContext: str(raw['current-context']) ?? '',
  };
}

/** kubectl's merge of a KUBECONFIG list: the first file that names a cluster, user, context or current context wins. */
export function mergeKubeConfigs(docs: KubeConfigDocument[]): KubeConfigDocument {
  const firstByName = <T extends { name: string }>(pick: (d: KubeConfigDocument) => T[]): T[] => {
    const seen = new Map<string, T>();
    for (const d of docs) for (const item of pick(d)) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  return {
    clusters: firstByName((d) => d.clusters),
    users: firstByName((d) => d.users),
    contexts: firstByName((d) => d.contexts),
    currentContext: docs.find((d) => d.currentContext)?.currentContext ?? '',
  };
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's service account, as client-go's rest.InClusterConfig builds it; undefined outside a pod. */
export function inClusterKubeConfig(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR): KubeConfigDocument | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  let namespace: string | undefined;
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    namespace = undefined;
  }
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return {
    clusters: [{ name: 'inCluster', server, certificateAuthority: join(dir, 'ca.crt') }],
    users: [{ name: 'inClusterUser', tokenFile: join(dir, 'token') }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser', namespace }],
    currentContext: 'inClusterContext',
  };
}
