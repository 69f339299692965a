import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../object-store.js';
import type { Obj } from '../registry.js';

/** The user a token belongs to, in TokenReview's shape. */
export interface ReviewedUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What the server's own token (ApiServerOptions.token) authenticates as: a member of system:masters, like kubeadm's admin. */
export const ADMIN_USER: ReviewedUser = { username: 'admin', uid: 'admin', groups: ['system:masters', 'system:authenticated'] };

/** The audience the real API server puts in a TokenRequest's token when none is asked for. */
export const DEFAULT_AUDIENCES = ['https://kubernetes.default.svc.cluster.local'];

interface IssuedToken {
  namespace: string;
  name: string;
  uid: string;
  audiences: string[];
  expiresAt: number;
}

export type TokenVerdict = { authenticated: true; user: ReviewedUser; audiences: string[] } | { authenticated: false; error: string };

/**
 * The tokens this server knows: its own admin token and the ServiceAccount tokens it issued through
 * `serviceaccounts/<name>/token`. Those are opaque random strings (not JWTs) that stay valid until they
 * expire or the ServiceAccount they were issued for is deleted (or recreated with another uid).
 */
export class TokenAuthenticator {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    private readonly store: ObjectStore,
    private readonly adminToken: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  issue(serviceAccount: Obj, audiences: string[], expirationSeconds: number): { token: string; expiresAt: number } {
    const meta = serviceAccount.metadata as { namespace: string; name: string; uid: string };
    const token = `operator-ts-sa.${randomBytes(24).toString('base64url')}`;
    const expiresAt = this.now() + expirationSeconds * 1000;
    this.issued.set(token, { namespace: meta.namespace, name: meta.name, uid: meta.uid, audiences, expiresAt });
    return { token, expiresAt };
  }

  review(token: string, audiences: string[] | undefined): TokenVerdict {
    if (this.adminToken !== undefined && token === this.adminToken) return { authenticated: true, user: ADMIN_USER, audiences: audiences ?? [] };
    const issued = this.issued.get(token);
    if (!issued || issued.expiresAt <= this.now()) return { authenticated: false, error: 'invalid bearer token' };
    const sa = this.store.get('serviceaccounts', issued.namespace, issued.name);
    if (!sa || (sa.metadata as { uid?: string }).uid !== issued.uid) {
      return { authenticated: false, error: 'invalid bearer token, service account token has been invalidated' };
    }
    const accepted = audiences && audiences.length > 0 ? audiences.filter((a) => issued.audiences.includes(a)) : issued.audiences;
    if (accepted.length === 0) return { authenticated: false, error: 'invalid bearer token, token audiences are invalid' };
    return {
      authenticated: true,
      audiences: accepted,
      user: {
        username: `system:serviceaccount:${issued.namespace}:${issued.name}`,
        uid: issued.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${issued.namespace}`, 'system:authenticated'],
      },
    };
  }
}
