import { ManagerOptionsError } from './errors.js';

/**
 * The client-side rate limit of every request the manager's clients send (cached-client writes, the
 * apiReader, informer lists, events), as client-go's `rest.Config.QPS`/`Burst`. Watches are not limited,
 * as in client-go.
 */
export interface ClientRateLimitOptions {
  /**
   * Requests per second the token bucket refills; fractions are allowed (0.5 = one every 2 s). A negative
   * value turns limiting off, as in client-go. Default: off, as controller-runtime's config since v0.21
   * (the generated project passes `--kube-api-qps`, default 20).
   */
  qps?: number;
  /** Requests that may go at once after a quiet period: the bucket's size. Default 10, as client-go. */
  burst?: number;
}

export interface ResolvedClientRateLimit {
  qps: number;
  burst: number;
}

/** client-go's rest.DefaultBurst, used when qps is given without a burst. */
export const DEFAULT_CLIENT_BURST = 10;

/** Fills defaults and checks `client`; undefined means no limit. */
export function resolveClientRateLimit(opts: ClientRateLimitOptions | undefined): ResolvedClientRateLimit | undefined {
  if (opts === undefined) return undefined;
  if (opts === null || typeof opts !== 'object') {
    throw new ManagerOptionsError('client', `client is ${describe(opts)}: it must be an object`, 'use e.g. { qps: 20, burst: 30 }, or leave it out for no client-side limit');
  }
  const burst = opts.burst ?? DEFAULT_CLIENT_BURST;
  if (typeof burst !== 'number' || !Number.isSafeInteger(burst) || burst < 1) {
    throw new ManagerOptionsError('client.burst', `client.burst is ${describe(burst)}: it must be a whole number of at least 1 (the number of requests that may go at once)`, 'use e.g. 30; to turn the limit off set client.qps to -1');
  }
  const qps = opts.qps;
  if (qps === undefined) return undefined;
  if (typeof qps !== 'number' || !Number.isFinite(qps)) {
    throw new ManagerOptionsError('client.qps', `client.qps is ${describe(qps)}: it must be a finite number of requests per second`, 'use e.g. 20, or -1 to turn the limit off');
  }
  if (qps === 0) {
    // client-go reads 0 as "its default" (5) and controller-runtime as "off"; say which is meant instead.
    throw new ManagerOptionsError('client.qps', 'client.qps is 0: it must be a positive number of requests per second, or negative to turn the limit off', 'use e.g. 20, or -1 for no client-side limit');
  }
  if (qps < 0) return undefined;
  return { qps, burst };
}

/** A value as the user wrote it: strings quoted, so '20' is not mistaken for 20. */
function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
