import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { rawRequest, uniqueSuffix } from './helpers.js';
import { allow, TestWebhook } from './webhook-fixture.js';

/**
 * Built-in kinds reach a mutating webhook already defaulted (the real server defaults while it decodes the
 * request), and a default the webhook removes comes back before the object is stored. Allocation (a Service's
 * clusterIP) happens after the webhooks. Expectations were taken from a v1.32 server.
 */
describe('built-in kinds: defaulting around mutating webhooks', () => {
  let target: ConformanceTarget;
  let hook: TestWebhook;
  const run = uniqueSuffix();
  const ns = `server-fidelity-${run}-defaults`;
  const configuration = `server-fidelity-${run}-defaults`;
  const json = (method: string, path: string, body?: object) =>
    rawRequest(target, { method, path, ...(body ? { contentType: 'application/json', body: JSON.stringify(body) } : {}) });
  const labels = { app: 'web' };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };

  before(async () => {
    target = await startTarget();
    hook = await TestWebhook.start((_path, review) => {
      const { object } = review.request;
      // Removes a defaulted field, to show the server defaults it again after the webhook.
      if (object?.kind === 'Service' && object.spec?.sessionAffinity !== undefined) return allow(review, { patch: [{ op: 'remove', path: '/spec/sessionAffinity' }] });
      if (object?.kind === 'Deployment' && object.spec?.revisionHistoryLimit !== undefined) return allow(review, { patch: [{ op: 'remove', path: '/spec/revisionHistoryLimit' }] });
      return allow(review);
    });
    assert.equal((await json('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    const res = await json('POST', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: configuration },
      webhooks: [{
        name: `mutate.${configuration}.test`, clientConfig: { url: hook.url('/mutate'), caBundle: hook.caBundle }, admissionReviewVersions: ['v1'], sideEffects: 'None',
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
        rules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['services', 'pods', 'configmaps'] },
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] },
        ],
      }],
    });
    assert.equal(res.status, 201, res.text);
    let probe = 0;
    await eventually(async () => {
      hook.reviews.length = 0;
      assert.equal((await json('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: `probe-${++probe}` } })).status, 201);
      assert.ok(hook.reviews.length > 0, 'the webhook is not active yet');
    }, { timeoutMs: 20_000, intervalMs: 200 });
  });
  after(async () => {
    await json('DELETE', `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${configuration}`);
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await hook.close();
    await target.stop();
  });

  const seen = () => hook.on('/mutate').map((r) => r.request.object);

  it('sends a Service defaulted but not yet allocated, and defaults what the webhook removed', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', `/api/v1/namespaces/${ns}/services`, { metadata: { name: 'web' }, spec: { selector: labels, ports: [{ port: 80 }] } });
    assert.equal(created.status, 201, created.text);
    const [object] = seen();
    assert.equal(object.spec.sessionAffinity, 'None');
    assert.equal(object.spec.type, 'ClusterIP');
    assert.equal(object.spec.internalTrafficPolicy, 'Cluster');
    assert.deepEqual(object.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.equal(object.spec.clusterIP, undefined, 'the clusterIP is allocated after the webhooks');
    assert.equal(created.json.spec.sessionAffinity, 'None');
  });

  it('sends a Deployment defaulted, its pod template too, and defaults what the webhook removed', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, { metadata: { name: 'web' }, spec: { selector: { matchLabels: labels }, template } });
    assert.equal(created.status, 201, created.text);
    const [object] = seen();
    assert.deepEqual(object.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(object.spec.replicas, 1);
    assert.equal(object.spec.revisionHistoryLimit, 10);
    assert.equal(object.spec.progressDeadlineSeconds, 600);
    assert.equal(object.spec.template.spec.restartPolicy, 'Always');
    assert.equal(object.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(created.json.spec.revisionHistoryLimit, 10);
    hook.reviews.length = 0;
    const updated = await json('PUT', `/apis/apps/v1/namespaces/${ns}/deployments/web`, { ...created.json, spec: { selector: { matchLabels: labels }, template, replicas: 2 } });
    assert.equal(updated.status, 200, updated.text);
    const [again] = seen();
    assert.deepEqual(again.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(again.spec.template.spec.dnsPolicy, 'ClusterFirst');
  });

  it('sends a Pod with its spec defaulted', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'web' }, spec: template.spec });
    assert.equal(created.status, 201, created.text);
    const [object] = seen();
    assert.equal(object.spec.restartPolicy, 'Always');
    assert.equal(object.spec.terminationGracePeriodSeconds, 30);
    assert.equal(object.spec.containers[0].terminationMessagePath, '/dev/termination-log');
    assert.equal(object.spec.enableServiceLinks, true);
    // Admission plugins that run before the webhooks (ServiceAccount, DefaultTolerationSeconds, Priority) have run.
    assert.equal(object.spec.serviceAccountName, 'default');
    assert.equal(object.spec.priority, 0);
    assert.deepEqual(object.spec.tolerations.map((t: any) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    assert.equal(object.status?.phase, undefined, 'the status is set after the webhooks');
  });

  it("sends a Pod with its namespace's LimitRange defaults (LimitRanger runs before the webhooks)", async () => {
    const range = await json('POST', `/api/v1/namespaces/${ns}/limitranges`, {
      metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' }, default: { cpu: '200m' } }] },
    });
    assert.equal(range.status, 201, range.text);
    try {
      hook.reviews.length = 0;
      const created = await json('POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'limited' }, spec: template.spec });
      assert.equal(created.status, 201, created.text);
      const [object] = seen();
      assert.deepEqual(object.spec.containers[0].resources, { limits: { cpu: '200m' }, requests: { cpu: '100m' } });
      assert.equal(object.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container app; cpu limit for container app');
    } finally {
      await json('DELETE', `/api/v1/namespaces/${ns}/limitranges/defaults`);
    }
  });
});
