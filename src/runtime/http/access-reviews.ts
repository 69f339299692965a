import type { Client } from '../client/client.js';
import { defineResource } from '../resource.js';
import type { KubernetesObject } from '@kubernetes/client-node';

/** Who a TokenReview says the bearer of a token is. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface TokenReview extends KubernetesObject {
  spec: { token: string; audiences?: string[] };
  status?: { authenticated?: boolean; user?: UserInfo; audiences?: string[]; error?: string };
}

export interface SubjectAccessReview extends KubernetesObject {
  spec: {
    user?: string;
    uid?: string;
    groups?: string[];
    extra?: Record<string, string[]>;
    nonResourceAttributes?: { path: string; verb: string };
    resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
  };
  status?: { allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export const tokenReviews = defineResource<TokenReview>({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', plural: 'tokenreviews', namespaced: false });
export const subjectAccessReviews = defineResource<SubjectAccessReview>({ group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false });

/** The two calls the metrics filter makes to the API server; a test can answer them itself. */
export interface AccessReviewer {
  /** The user the token belongs to, or undefined when the API server does not authenticate it. */
  authenticate(token: string): Promise<UserInfo | undefined>;
  /** Whether `user` may `verb` the non-resource `path`, with the authorizer's reason. */
  authorize(user: UserInfo, verb: string, path: string): Promise<{ allowed: boolean; reason: string }>;
}

/** Asks the API server with TokenReview and SubjectAccessReview (authentication.k8s.io/v1, authorization.k8s.io/v1). */
export function apiServerReviewer(client: Client): AccessReviewer {
  return {
    async authenticate(token) {
      const review = await client.create(tokenReviews, { apiVersion: tokenReviews.apiVersion, kind: 'TokenReview', metadata: {}, spec: { token } });
      return review.status?.authenticated && review.status.user ? review.status.user : undefined;
    },
    async authorize(user, verb, path) {
      const review = await client.create(subjectAccessReviews, {
        apiVersion: subjectAccessReviews.apiVersion,
        kind: 'SubjectAccessReview',
        metadata: {},
        spec: { user: user.username, uid: user.uid, groups: user.groups, extra: user.extra, nonResourceAttributes: { path, verb } },
      });
      const status = review.status;
      return { allowed: status?.allowed === true && status.denied !== true, reason: status?.reason ?? status?.evaluationError ?? '' };
    },
  };
}
