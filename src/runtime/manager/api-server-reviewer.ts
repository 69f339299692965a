import type { Client } from '../client/client.js';
import { defineResource } from '../resource.js';
import type { AccessReviewer, SubjectAccessReview, TokenReview } from '../http/access-reviews.js';

export const tokenReviews = defineResource<TokenReview>({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', plural: 'tokenreviews', namespaced: false });
export const subjectAccessReviews = defineResource<SubjectAccessReview>({ group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false });

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
