/**
 * TokenReview, SubjectAccessReview and a ServiceAccount's TokenRequest: what a secure metrics endpoint asks the
 * API server. The decisions below were checked against kube-apiserver v1.32 (authorization mode Node,RBAC).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { deleteNamespace, rawRequest, uniqueSuffix } from './helpers.js';

const json = 'application/json';

describe('access reviews', () => {
  let target: ConformanceTarget;
  // Names of our own, so a run on a shared cluster touches nothing else.
  const ns = `secure-metrics-reviews-${uniqueSuffix()}`;
  const reader = `secure-metrics-reader-${uniqueSuffix()}`;
  const post = (path: string, body: unknown) => rawRequest(target, { method: 'POST', path, body: JSON.stringify(body), contentType: json });
  const tokenFor = async (sa: string) => {
    const res = await post(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.kind, 'TokenRequest');
    assert.equal(typeof res.json.status.token, 'string');
    assert.ok(Date.parse(res.json.status.expirationTimestamp) > Date.now());
    return res.json.status.token as string;
  };
  const review = (token: string) => post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
  const canGetMetrics = (spec: object) =>
    post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { ...spec, nonResourceAttributes: { path: '/metrics', verb: 'get' } } });

  before(async () => {
    target = await startTarget();
    assert.equal((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    for (const name of ['scraper', 'stranger']) assert.equal((await post(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } })).status, 201);
    const role = await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: reader }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] });
    assert.equal(role.status, 201, role.text);
    const binding = await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: reader },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: reader },
      subjects: [{ kind: 'ServiceAccount', name: 'scraper', namespace: ns }],
    });
    assert.equal(binding.status, 201, binding.text);
  });
  after(async () => {
    for (const kind of ['clusterrolebindings', 'clusterroles']) await rawRequest(target, { method: 'DELETE', path: `/apis/rbac.authorization.k8s.io/v1/${kind}/${reader}` }).catch(() => undefined);
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  it('lists tokenreviews and subjectaccessreviews as create-only, cluster-scoped, and serviceaccounts/token as TokenRequest', async () => {
    const authn = await rawRequest(target, { method: 'GET', path: '/apis/authentication.k8s.io/v1' });
    const tokenReviews = authn.json.resources.find((r: { name: string }) => r.name === 'tokenreviews');
    assert.deepEqual({ ...tokenReviews, storageVersionHash: undefined }, { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'], storageVersionHash: undefined });
    const authz = await rawRequest(target, { method: 'GET', path: '/apis/authorization.k8s.io/v1' });
    const sar = authz.json.resources.find((r: { name: string }) => r.name === 'subjectaccessreviews');
    assert.deepEqual([sar.kind, sar.namespaced, sar.verbs, 'storageVersionHash' in sar], ['SubjectAccessReview', false, ['create'], false]);
    const core = await rawRequest(target, { method: 'GET', path: '/api/v1' });
    const token = core.json.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    assert.deepEqual(token, { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  });

  it('authenticates a ServiceAccount token as system:serviceaccount:<ns>:<name> with its groups', async () => {
    const res = await review(await tokenFor('scraper'));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status.authenticated, true);
    const user = res.json.status.user;
    assert.equal(user.username, `system:serviceaccount:${ns}:scraper`);
    assert.deepEqual(user.groups, ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']);
    assert.equal(typeof user.uid, 'string');
    assert.deepEqual(res.json.status.audiences, ['https://kubernetes.default.svc.cluster.local']);
  });

  it('does not authenticate an unknown token, and says why in status.error', async () => {
    const res = await review(`not-a-token-${uniqueSuffix()}`);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status.authenticated, undefined);
    assert.deepEqual(res.json.status.user, {});
    assert.equal(res.json.status.error, 'invalid bearer token');
  });

  it('refuses a TokenRequest shorter than 10 minutes, and answers 405 to a GET of tokenreviews', async () => {
    const short = await post(`/api/v1/namespaces/${ns}/serviceaccounts/scraper/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 60 } });
    assert.equal(short.status, 422, short.text);
    assert.match(short.json.message, /may not specify a duration less than 10 minutes/);
    const get = await rawRequest(target, { method: 'GET', path: '/apis/authentication.k8s.io/v1/tokenreviews' });
    assert.equal(get.status, 405);
  });

  it('allows get /metrics through a ClusterRoleBinding of a nonResourceURLs rule, and names the binding', async () => {
    const res = await canGetMetrics({ user: `system:serviceaccount:${ns}:scraper`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status.allowed, true);
    assert.equal(res.json.status.reason, `RBAC: allowed by ClusterRoleBinding "${reader}" of ClusterRole "${reader}" to ServiceAccount "scraper/${ns}"`);
  });

  it('denies a ServiceAccount without a binding, and other verbs and paths of the bound one', async () => {
    const groups = ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'];
    const stranger = await canGetMetrics({ user: `system:serviceaccount:${ns}:stranger`, groups });
    assert.equal(stranger.json.status.allowed, false);
    assert.equal(stranger.json.status.denied, undefined);
    for (const attrs of [{ path: '/metrics', verb: 'post' }, { path: '/metricsx', verb: 'get' }, { path: '/healthz/x', verb: 'get' }]) {
      const res = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: `system:serviceaccount:${ns}:scraper`, groups, nonResourceAttributes: attrs } });
      assert.equal(res.json.status.allowed, false, JSON.stringify(attrs));
    }
  });

  it('allows members of system:masters without a reason, and refuses a review that names no user or group', async () => {
    const masters = await canGetMetrics({ user: `conf-${uniqueSuffix()}`, groups: ['system:masters'] });
    assert.deepEqual(masters.json.status, { allowed: true });
    const nobody = await canGetMetrics({});
    assert.equal(nobody.status, 422);
    assert.match(nobody.json.message, /at least one of user or group must be specified/);
  });

  it('allows a resource request through a RoleBinding in its namespace only', async () => {
    const role = `secure-metrics-pod-reader-${uniqueSuffix()}`;
    assert.equal((await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: role }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] })).status, 201);
    assert.equal((await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: role },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `alice-${ns}` }],
    })).status, 201);
    const ask = (namespace: string, verb: string, resource = 'pods') =>
      post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: `alice-${ns}`, resourceAttributes: { namespace, verb, resource } } });
    const allowed = await ask(ns, 'list');
    assert.equal(allowed.json.status.allowed, true);
    assert.equal(allowed.json.status.reason, `RBAC: allowed by RoleBinding "${role}/${ns}" of Role "${role}" to User "alice-${ns}"`);
    assert.equal((await ask(ns, 'delete')).json.status.allowed, false);
    assert.equal((await ask(ns, 'get', 'secrets')).json.status.allowed, false);
    assert.equal((await ask('default', 'get')).json.status.allowed, false);
  });
});
