import { readFileSync } from 'node:fs';
import { isDns1123Label, isDns1123Subdomain } from '../../kubernetes-names.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { LeaderElectionConfigError } from './errors.js';
import { validateLeaderElectionTiming } from './timing-rules.js';

import { LEADER_ELECTION_DEFAULTS } from './defaults.js';

export { LEADER_ELECTION_DEFAULTS } from './defaults.js';
export { JITTER_FACTOR } from './timing-rules.js';

export interface LeaderElectionOptions {
  enabled: boolean;
  /** Lease name, e.g. '86f835c3.example.com'. */
  id: string;
  /** Default: in-cluster service account namespace, else the kubeconfig context's namespace, else 'default'. */
  namespace?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
  /** Default `${hostname}_${uuid}`. */
  identity?: string;
}

export type ResolvedLeaderElectionOptions = Required<LeaderElectionOptions>;

export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function fail(option: string, message: string, hint: string): never {
  throw new LeaderElectionConfigError(option, message, hint);
}

export interface ResolveContext {
  kubeConfig?: KubeConfig;
  /** Where the in-cluster namespace is read from; tests point it elsewhere. */
  serviceAccountNamespaceFile?: string;
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
  const namespace = opts.namespace ?? defaultNamespace(ctx);
  if (!isDns1123Label(namespace)) {
    fail('namespace', `leaderElection.namespace '${namespace}' is not a valid namespace name (DNS-1123 label)`, "use e.g. 'my-operator-system'");
  }
  const identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  if (identity === '') fail('identity', 'leaderElection.identity is empty: it must tell replicas apart', 'leave it unset to get hostname_<uuid>');
  return {
    enabled: opts.enabled,
    id,
    namespace,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    releaseOnCancel: opts.releaseOnCancel ?? LEADER_ELECTION_DEFAULTS.releaseOnCancel,
    identity,
  };
}

/** In-cluster service account namespace, else the kubeconfig context's namespace, else 'default'. */
export function defaultNamespace(ctx: ResolveContext = {}): string {
  try {
    const fromFile = readFileSync(ctx.serviceAccountNamespaceFile ?? SERVICE_ACCOUNT_NAMESPACE_FILE, 'utf8').trim();
    if (fromFile) return fromFile;
  } catch {
    // not running in a cluster
  }
  const kc = ctx.kubeConfig;
  if (kc) {
    const context = kc.getContextObject(kc.getCurrentContext());
    if (context?.namespace) return context.namespace;
  }
  return 'default';
}
