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

/** The two calls the metrics filter makes to the API server; a test can answer them itself. */
export interface AccessReviewer {
  /** The user the token belongs to, or undefined when the API server does not authenticate it. */
  authenticate(token: string): Promise<UserInfo | undefined>;
  /** Whether `user` may `verb` the non-resource `path`, with the authorizer's reason. */
  authorize(user: UserInfo, verb: string, path: string): Promise<{ allowed: boolean; reason: string }>;
}
