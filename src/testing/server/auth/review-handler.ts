import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeObjectBody, readBody, sendJson } from '../http-io.js';
import type { Route } from '../router.js';

type ResourceRoute = Extract<Route, { type: 'resource' }>;
import type { ApiState } from '../state.js';
import { errors } from '../status.js';
import { DEFAULT_AUDIENCES, type TokenAuthenticator } from './identities.js';
import { authorize, type AccessAttributes } from './rbac-authorizer.js';

export interface ReviewDeps {
  state: ApiState;
  tokens: TokenAuthenticator;
  maxBodyBytes: number;
}

type Body = Record<string, unknown> & { spec?: Record<string, unknown> };

/** The routes this handler answers: TokenReview, SubjectAccessReview and a ServiceAccount's TokenRequest. */
export function isReviewRoute(route: ResourceRoute): boolean {
  if (route.version !== 'v1' || route.watchPath) return false;
  if (route.namespace === undefined && route.name === undefined) {
    return (route.group === 'authentication.k8s.io' && route.plural === 'tokenreviews') || (route.group === 'authorization.k8s.io' && route.plural === 'subjectaccessreviews');
  }
  return route.group === '' && route.plural === 'serviceaccounts' && route.subresource === 'token' && route.namespace !== undefined && route.name !== undefined;
}

async function bodyOf(req: IncomingMessage, deps: ReviewDeps, kind: string): Promise<Body> {
  const body = decodeObjectBody(req, await readBody(req, deps.maxBodyBytes));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.badRequest(`the request body must be a ${kind} object`);
  return body as Body;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** Answers a create of a review (201 with status filled in, nothing stored); any other method is 405, as on the real server. */
export async function handleReview(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, deps: ReviewDeps): Promise<void> {
  if (req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  if (route.plural === 'tokenreviews') return tokenReview(req, res, deps);
  if (route.plural === 'subjectaccessreviews') return subjectAccessReview(req, res, deps);
  return tokenRequest(route, req, res, deps);
}

async function tokenReview(req: IncomingMessage, res: ServerResponse, deps: ReviewDeps): Promise<void> {
  const body = await bodyOf(req, deps, 'TokenReview');
  const spec = body.spec ?? {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  const verdict = deps.tokens.review(token, stringList(spec.audiences));
  const status = verdict.authenticated
    ? { authenticated: true, user: verdict.user, ...(verdict.audiences.length > 0 ? { audiences: verdict.audiences } : {}) }
    : { user: {}, error: verdict.error };
  sendJson(res, 201, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: { creationTimestamp: null }, spec, status });
}

function attributesOf(spec: Record<string, unknown>): AccessAttributes {
  const target = { group: 'authorization.k8s.io', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview' };
  const user = typeof spec.user === 'string' ? spec.user : '';
  const groups = stringList(spec.groups) ?? [];
  if (user === '' && groups.length === 0) throw errors.invalid(target, [{ reason: 'FieldValueInvalid', field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }]);
  const nonResource = spec.nonResourceAttributes as { path?: unknown; verb?: unknown } | undefined;
  const resource = spec.resourceAttributes as Record<string, unknown> | undefined;
  if ((nonResource === undefined) === (resource === undefined)) {
    throw errors.invalid(target, [{ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (nonResource) return { user, groups, nonResource: { path: str(nonResource.path), verb: str(nonResource.verb) } };
  const r = resource!;
  return {
    user,
    groups,
    resource: {
      namespace: str(r.namespace) || undefined, verb: str(r.verb), group: str(r.group), resource: str(r.resource),
      subresource: str(r.subresource) || undefined, name: str(r.name) || undefined,
    },
  };
}

async function subjectAccessReview(req: IncomingMessage, res: ServerResponse, deps: ReviewDeps): Promise<void> {
  const body = await bodyOf(req, deps, 'SubjectAccessReview');
  const spec = body.spec ?? {};
  const decision = authorize(deps.state.store, attributesOf(spec));
  sendJson(res, 201, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: { creationTimestamp: null }, spec, status: decision });
}

async function tokenRequest(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, deps: ReviewDeps): Promise<void> {
  const namespace = route.namespace!;
  const name = route.name!;
  const body = await bodyOf(req, deps, 'TokenRequest');
  const sa = deps.state.store.get('serviceaccounts', namespace, name);
  if (!sa) throw errors.notFound({ group: '', plural: 'serviceaccounts', name });
  const spec = body.spec ?? {};
  const expirationSeconds = spec.expirationSeconds === undefined ? 3600 : spec.expirationSeconds;
  if (typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds) || expirationSeconds < 600 || expirationSeconds > 2 ** 32) {
    throw errors.invalid({ group: 'authentication.k8s.io', plural: 'tokenrequests', kind: 'TokenRequest', name }, [
      { reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${JSON.stringify(expirationSeconds)}: may not specify a duration less than 10 minutes` },
    ]);
  }
  const audiences = stringList(spec.audiences)?.length ? stringList(spec.audiences)! : DEFAULT_AUDIENCES;
  const issued = deps.tokens.issue(sa, audiences, expirationSeconds);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  sendJson(res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: now },
    spec: { audiences, expirationSeconds, boundObjectRef: null },
    status: { token: issued.token, expirationTimestamp: new Date(issued.expiresAt).toISOString().replace(/\.\d+Z$/, 'Z') },
  });
}
