import { readFileSync } from 'node:fs';
import { isDns1123Label, isDns1123Subdomain } from '../../kubernetes-names.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import { LeaderElectionConfigError, LeaderForLifeError } from './errors.js';
import { validateLeaderElectionTiming } from './timing-rules.js';

import { LEADER_ELECTION_DEFAULTS } from './defaults.js';

export { LEADER_ELECTION_DEFAULTS } from './defaults.js';

import { LEADER_ELECTION_STRATEGIES, type LeaderElectionStrategy } from './strategy.js';

export { LEADER_ELECTION_STRATEGIES, type LeaderElectionStrategy } from './strategy.js';
/** operator-lib's default maximum wait between for-life attempts. */
export const FOR_LIFE_MAX_BACKOFF_DEFAULT_MS = 16_000;

export { JITTER_FACTOR } from './timing-rules.js';

export interface LeaderElectionOptions {
  enabled: boolean;
  /** Default 'lease'. */
  strategy?: LeaderElectionStrategy;
  /** Lease name (for 'for-life': the lock ConfigMap's name), e.g. '86f835c3.example.com'. */
  id: string;
  /**
   * Default: in-cluster service account namespace, else the kubeconfig context's namespace, else
   * 'default'. For 'for-life': the Pod's namespace, and it may not differ from it.
   */
  namespace?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
  /** Default `${hostname}_${uuid}`; for 'for-life' the Pod's name. */
  identity?: string;
  /** 'for-life': the longest wait between attempts (the wait doubles from 1 s up to it); default 16000. */
  forLifeMaxBackoffMs?: number;
  /** 'for-life': the Pod this replica runs in. Default: POD_NAME and POD_NAMESPACE from the environment. */
  pod?: { name: string; namespace: string };
}

export type ResolvedLeaderElectionOptions = Required<Omit<LeaderElectionOptions, 'pod'>> & {
  /** Set for 'for-life' only. */
  pod: { name: string; namespace: string } | undefined;
};

export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function fail(option: string, message: string, hint: string): never {
  throw new LeaderElectionConfigError(option, message, hint);
}

export interface ResolveContext {
  kubeConfig?: KubeConfigLike;
  /** Where the in-cluster namespace is read from; tests point it elsewhere. */
  serviceAccountNamespaceFile?: string;
  /** Where POD_NAME and POD_NAMESPACE are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Fills defaults and checks every rule; the only place that does either. */
export function resolveLeaderElectionOptions(opts: LeaderElectionOptions, ctx: ResolveContext = {}): ResolvedLeaderElectionOptions {
  const leaseDurationMs = opts.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs;
  const renewDeadlineMs = opts.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs;
  const retryPeriodMs = opts.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs;
  validateLeaderElectionTiming({ leaseDurationMs, renewDeadlineMs, retryPeriodMs });
  const id = opts.id;
  if (typeof id !== 'string' || id === '') {
    fail('id', 'leaderElection.id is empty: it names the Lease the replicas compete for', "set it to a stable name, e.g. '86f835c3.example.com'");
  }
  if (!isDns1123Subdomain(id)) {
    fail('id', `leaderElection.id '${id}' is not a valid Lease name (lowercase letters, digits, '-' and '.', at most 253 characters)`, "use e.g. '86f835c3.example.com'");
  }
  const strategy = opts.strategy ?? 'lease';
  if (!LEADER_ELECTION_STRATEGIES.includes(strategy)) {
    fail('strategy', `leaderElection.strategy '${String(strategy)}' is not a leader election strategy (${LEADER_ELECTION_STRATEGIES.join(' or ')})`, "use 'lease' (the default) or 'for-life'");
  }
  const forLifeMaxBackoffMs = opts.forLifeMaxBackoffMs ?? FOR_LIFE_MAX_BACKOFF_DEFAULT_MS;
  if (!Number.isFinite(forLifeMaxBackoffMs) || forLifeMaxBackoffMs <= 0) {
    fail('forLifeMaxBackoffMs', `leaderElection.forLifeMaxBackoffMs is ${forLifeMaxBackoffMs}: it must be a positive number of milliseconds`, `use e.g. ${FOR_LIFE_MAX_BACKOFF_DEFAULT_MS}`);
  }
  const pod = strategy === 'for-life' ? resolvePod(opts, ctx) : undefined;
  const namespace = opts.namespace ?? pod?.namespace ?? defaultNamespace(ctx);
  if (!isDns1123Label(namespace)) {
    fail('namespace', `leaderElection.namespace '${namespace}' is not a valid namespace name (DNS-1123 label)`, "use e.g. 'my-operator-system'");
  }
  if (pod && namespace !== pod.namespace) {
    // An ownerReference cannot point to another namespace: the garbage collector would treat the owner as absent.
    fail('namespace', `leaderElection.namespace '${namespace}' differs from the Pod's namespace '${pod.namespace}': a leader-for-life lock must live in its Pod's namespace`, 'leave the namespace unset for the for-life strategy');
  }
  const identity = opts.identity ?? pod?.name ?? `${hostname()}_${randomUUID()}`;
  if (identity === '') fail('identity', 'leaderElection.identity is empty: it must tell replicas apart', 'leave it unset to get hostname_<uuid>');
  return {
    enabled: opts.enabled,
    strategy,
    id,
    namespace,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    releaseOnCancel: opts.releaseOnCancel ?? LEADER_ELECTION_DEFAULTS.releaseOnCancel,
    identity,
    forLifeMaxBackoffMs,
    pod,
  };
}

const POD_ENV_HINT =
  'set POD_NAME and POD_NAMESPACE from the downward API (fieldRef metadata.name and metadata.namespace; the generated config/manager/manager.yaml does), or use --leader-election-strategy lease outside a cluster';

/** The Pod a for-life lock is tied to; refuses to go on without it, so for-life never runs without election. */
function resolvePod(opts: LeaderElectionOptions, ctx: ResolveContext): { name: string; namespace: string } {
  const env = ctx.env ?? process.env;
  const name = opts.pod?.name ?? env.POD_NAME ?? '';
  if (name === '') {
    throw new LeaderForLifeError('the for-life leader election strategy needs this Pod\'s name, but POD_NAME is not set', POD_ENV_HINT);
  }
  if (!isDns1123Subdomain(name)) throw new LeaderForLifeError(`POD_NAME '${name}' is not a valid Pod name`, POD_ENV_HINT);
  const namespace = opts.pod?.namespace ?? (env.POD_NAMESPACE || readServiceAccountNamespace(ctx));
  if (!namespace) {
    throw new LeaderForLifeError('the for-life leader election strategy needs this Pod\'s namespace, but POD_NAMESPACE is not set (and this is not running in a Pod)', POD_ENV_HINT);
  }
  if (!isDns1123Label(namespace)) throw new LeaderForLifeError(`POD_NAMESPACE '${namespace}' is not a valid namespace name`, POD_ENV_HINT);
  return { name, namespace };
}

function readServiceAccountNamespace(ctx: ResolveContext): string | undefined {
  try {
    return readFileSync(ctx.serviceAccountNamespaceFile ?? SERVICE_ACCOUNT_NAMESPACE_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined; // not running in a cluster
  }
}

/** In-cluster service account namespace, else the kubeconfig context's namespace, else 'default'. */
export function defaultNamespace(ctx: ResolveContext = {}): string {
  const fromFile = readServiceAccountNamespace(ctx);
  if (fromFile) return fromFile;
  const kc = ctx.kubeConfig;
  if (kc) {
    const context = kc.getContextObject(kc.getCurrentContext());
    if (context?.namespace) return context.namespace;
  }
  return 'default';
}
