import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { Logger } from '../types.js';
import type { AccessReviewer, UserInfo } from './access-reviews.js';
import type { RequestHandler } from './http-listener.js';
import { ExpiringCache } from './review-cache.js';

/** How long answers are kept: controller-runtime's filters.WithAuthenticationAndAuthorization uses these. */
export const METRICS_AUTH_CACHE_TTLS = {
  /** Token reviews, authenticated or not (the apiserver's delegating authenticator CacheTTL). */
  tokenMs: 60_000,
  /** Allowed access reviews (AllowCacheTTL). */
  allowMs: 5 * 60_000,
  /** Denied access reviews (DenyCacheTTL). */
  denyMs: 30_000,
};

export interface MetricsAuthOptions {
  reviewer: AccessReviewer;
  clock: Clock;
  logger: Logger;
  ttls?: Partial<typeof METRICS_AUTH_CACHE_TTLS>;
}

function reply(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${body}\n`);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Tokens are cache keys only as hashes, so a heap dump does not hold them. */
function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function userKey(user: UserInfo, verb: string, path: string): string {
  return JSON.stringify([user.username, user.uid ?? '', [...(user.groups ?? [])].sort(), user.extra ?? {}, verb, path]);
}

/**
 * Lets a request through to `handler` only when its bearer token authenticates (TokenReview) and the user may
 * `<method>` the request path as a non-resource URL (SubjectAccessReview), as controller-runtime's
 * filters.WithAuthenticationAndAuthorization does: 401 without a token or with one the API server does not
 * authenticate, 403 when access is denied, 500 when a review cannot be made.
 */
export function withAuthenticationAndAuthorization(handler: RequestHandler, options: MetricsAuthOptions): RequestHandler {
  const ttls = { ...METRICS_AUTH_CACHE_TTLS, ...options.ttls };
  const tokens = new ExpiringCache<UserInfo | null>(options.clock);
  const decisions = new ExpiringCache<{ allowed: boolean; reason: string }>(options.clock);
  const { reviewer, logger } = options;

  async function authenticate(token: string): Promise<UserInfo | undefined> {
    const key = tokenKey(token);
    const cached = tokens.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const user = await reviewer.authenticate(token);
    tokens.set(key, user ?? null, ttls.tokenMs);
    return user;
  }

  async function authorize(user: UserInfo, verb: string, path: string): Promise<{ allowed: boolean; reason: string }> {
    const key = userKey(user, verb, path);
    const cached = decisions.get(key);
    if (cached) return cached;
    const decision = await reviewer.authorize(user, verb, path);
    decisions.set(key, decision, decision.allowed ? ttls.allowMs : ttls.denyMs);
    return decision;
  }

  return async (req, res) => {
    const token = bearerToken(req);
    if (token === undefined) return reply(res, 401, 'Unauthorized');
    let user: UserInfo | undefined;
    try {
      user = await authenticate(token);
    } catch (error) {
      logger.error('metrics authentication failed', { error });
      return reply(res, 500, 'Authentication failed');
    }
    if (!user) return reply(res, 401, 'Unauthorized');
    const verb = (req.method ?? 'GET').toLowerCase();
    const path = (req.url ?? '/').split('?')[0]!;
    let decision: { allowed: boolean; reason: string };
    try {
      decision = await authorize(user, verb, path);
    } catch (error) {
      logger.error(`metrics authorization for user ${user.username} failed`, { error });
      return reply(res, 500, `Authorization for user ${user.username} failed`);
    }
    if (!decision.allowed) {
      logger.debug(`metrics authorization denied for user ${user.username}`, { path, verb, reason: decision.reason });
      return reply(res, 403, `Authorization denied for user ${user.username}`);
    }
    await handler(req, res);
  };
}
