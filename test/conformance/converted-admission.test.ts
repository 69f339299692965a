import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { rawRequest, uniqueSuffix } from './helpers.js';
import { allow, TestWebhook } from './webhook-fixture.js';

/**
 * Writes in the non-storage version of a CRD with a conversion webhook: v1 (stored) has spec.color (at most 3
 * characters), v2 has spec.colour (at most 5) and spec.shade (default "light"). Admission webhooks see the object
 * in the version of the request, and the request is validated with that version's schema. Expectations were
 * taken from a v1.32 server.
 */
describe('admission of writes in a non-storage version', () => {
  let target: ConformanceTarget;
  let hook: TestWebhook;
  const run = uniqueSuffix();
  const group = `server-fidelity-${run}.test`;
  const ns = `server-fidelity-${run}-conv`;
  const configuration = `server-fidelity-${run}-conv`;
  const json = (method: string, path: string, body?: object, contentType = 'application/json') =>
    rawRequest(target, { method, path, ...(body ? { contentType, body: JSON.stringify(body) } : {}) });
  const at = (version: string, name = '') => `/apis/${group}/${version}/namespaces/${ns}/widgets${name ? `/${name}` : ''}`;
  const widget = (name: string, spec: object) => ({ apiVersion: `${group}/v2`, kind: 'Widget', metadata: { name }, spec });

  function convert(object: any, desired: string): any {
    const { spec = {}, ...rest } = object;
    const { color, colour, shade: _shade, ...others } = spec;
    const value = color ?? colour;
    const next = desired.endsWith('/v2') ? { ...others, ...(value !== undefined ? { colour: value } : {}) } : { ...others, ...(value !== undefined ? { color: value } : {}) };
    return { ...rest, apiVersion: desired, spec: next };
  }

  before(async () => {
    target = await startTarget();
    hook = await TestWebhook.start((path, review) => {
      if (path.startsWith('/convert')) {
        const { uid, desiredAPIVersion, objects } = review.request;
        return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid, convertedObjects: objects.map((o: any) => convert(o, desiredAPIVersion)), result: { status: 'Success' } } };
      }
      const object = review.request.object;
      // The webhook whose rule names only v1 notes the version it was sent.
      if (path.startsWith('/equivalent') && object?.spec && !object.metadata?.annotations?.equivalent) {
        return allow(review, { patch: [{ op: 'add', path: '/metadata/annotations', value: { equivalent: `${object.apiVersion.split('/')[1]} ${JSON.stringify(object.spec)}` } }] });
      }
      // The mutating webhook marks what it saw, in the field names of the version it was sent.
      if (path.startsWith('/mutate') && object?.spec && !object.metadata?.labels?.seen) {
        const seen = object.apiVersion.split('/')[1];
        return allow(review, { patch: [object.metadata.labels ? { op: 'add', path: '/metadata/labels/seen', value: seen } : { op: 'add', path: '/metadata/labels', value: { seen } }] });
      }
      return allow(review);
    });
    const schema = (field: string, maxLength: number, extra: object = {}) => ({
      openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { [field]: { type: 'string', maxLength }, ...extra } } } },
    });
    const crd = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          { name: 'v1', served: true, storage: true, schema: schema('color', 3) },
          { name: 'v2', served: true, storage: false, schema: schema('colour', 5, { shade: { type: 'string', default: 'light' } }) },
        ],
        conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: hook.url('/convert'), caBundle: hook.caBundle } } },
      },
    });
    assert.equal(crd.status, 201, crd.text);
    assert.equal((await json('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    const rules = [{ apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['widgets'] }];
    const common = { admissionReviewVersions: ['v1'], sideEffects: 'None', rules, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } };
    for (const [kind, path] of [['Mutating', '/mutate'], ['Validating', '/validate']] as const) {
      const res = await json('POST', `/apis/admissionregistration.k8s.io/v1/${kind.toLowerCase()}webhookconfigurations`, {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name: configuration },
        webhooks: [{ name: `${path.slice(1)}.${group}`, clientConfig: { url: hook.url(path), caBundle: hook.caBundle }, ...common }],
      });
      assert.equal(res.status, 201, res.text);
    }
    const equivalent = await json('POST', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `${configuration}-v1` },
      webhooks: [{
        name: `equivalent.${group}`, clientConfig: { url: hook.url('/equivalent'), caBundle: hook.caBundle }, ...common,
        objectSelector: { matchLabels: { equivalent: 'yes' } },
        rules: [{ apiGroups: [group], apiVersions: ['v1'], operations: ['CREATE'], resources: ['widgets'] }],
      }],
    });
    assert.equal(equivalent.status, 201, equivalent.text);
    let probe = 0;
    await eventually(async () => {
      hook.reviews.length = 0;
      const res = await json('POST', at('v2'), { ...widget(`probe-${++probe}`, { colour: 'red' }), metadata: { name: `probe-${probe}`, labels: { equivalent: 'yes' } } });
      assert.equal(res.status, 201, res.text);
      assert.ok(hook.on('/mutate').length > 0 && hook.on('/validate').length > 0 && hook.on('/equivalent').length > 0, 'the webhooks are not active yet');
    }, { timeoutMs: 20_000, intervalMs: 200 });
  });
  after(async () => {
    for (const kind of ['mutating', 'validating']) await json('DELETE', `/apis/admissionregistration.k8s.io/v1/${kind}webhookconfigurations/${configuration}`);
    await json('DELETE', `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${configuration}-v1`);
    await json('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`);
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await hook.close();
    await target.stop();
  });

  it('sends the webhooks the object in the request version, with that version in kind and resource', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', at('v2'), widget('blue', { colour: 'blue' }));
    assert.equal(created.status, 201, created.text);
    const [mutate] = hook.on('/mutate');
    const [validate] = hook.on('/validate');
    for (const review of [mutate, validate]) {
      assert.equal(review.request.object.apiVersion, `${group}/v2`);
      assert.deepEqual(review.request.kind, { group, version: 'v2', kind: 'Widget' });
      assert.deepEqual(review.request.resource, { group, version: 'v2', resource: 'widgets' });
      assert.deepEqual(review.request.requestKind, { group, version: 'v2', kind: 'Widget' });
    }
    assert.deepEqual(mutate.request.object.spec, { colour: 'blue', shade: 'light' });
    assert.deepEqual(validate.request.object.spec, { colour: 'blue', shade: 'light' });
    assert.equal(validate.request.object.metadata.labels.seen, 'v2');
    assert.equal(created.json.metadata.labels.seen, 'v2');
    // The stored object is in the storage version, validated only against the schema of the request version:
    // "blue" is longer than v1's maxLength.
    assert.deepEqual((await json('GET', at('v1', 'blue'))).json.spec, { color: 'blue' });

    hook.reviews.length = 0;
    const current = (await json('GET', at('v2', 'blue'))).json;
    const put = await json('PUT', at('v2', 'blue'), { ...current, spec: { colour: 'green' } });
    assert.equal(put.status, 200, put.text);
    const [update] = hook.on('/mutate');
    assert.equal(update.request.operation, 'UPDATE');
    assert.equal(update.request.object.apiVersion, `${group}/v2`);
    assert.equal(update.request.oldObject.apiVersion, `${group}/v2`);
    assert.deepEqual(update.request.object.spec, { colour: 'green', shade: 'light' });
    assert.equal(update.request.oldObject.spec.colour, 'blue');
    assert.deepEqual(update.request.kind, { group, version: 'v2', kind: 'Widget' });

    hook.reviews.length = 0;
    const patched = await json('PATCH', at('v2', 'blue'), { spec: { colour: 'pink' } }, 'application/merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
    assert.equal(hook.on('/validate')[0].request.object.spec.colour, 'pink');
    assert.equal(hook.on('/validate')[0].request.object.apiVersion, `${group}/v2`);
  });

  it('sends a webhook whose rule names only the storage version the object converted to it (matchPolicy Equivalent)', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', at('v2'), { ...widget('red', { colour: 'red' }), metadata: { name: 'red', labels: { equivalent: 'yes' } } });
    assert.equal(created.status, 201, created.text);
    const [review] = hook.on('/equivalent');
    assert.deepEqual(review.request.kind, { group, version: 'v1', kind: 'Widget' });
    assert.deepEqual(review.request.resource, { group, version: 'v1', resource: 'widgets' });
    assert.deepEqual(review.request.requestKind, { group, version: 'v2', kind: 'Widget' });
    assert.equal(review.request.object.apiVersion, `${group}/v1`);
    assert.deepEqual(review.request.object.spec, { color: 'red' });
    assert.equal(review.request.object.metadata.labels.seen, 'v2', 'the webhooks before it ran in v2');
    // Its patch, made in v1, comes back in the request's version for the webhooks after it and the answer.
    const [validate] = hook.on('/validate');
    assert.equal(validate.request.object.apiVersion, `${group}/v2`);
    assert.equal(validate.request.object.spec.colour, 'red');
    assert.equal(validate.request.object.metadata.annotations.equivalent, 'v1 {"color":"red"}');
    assert.equal(created.json.apiVersion, `${group}/v2`);
    assert.equal(created.json.spec.colour, 'red');
    assert.equal(created.json.metadata.annotations.equivalent, 'v1 {"color":"red"}');
  });

  it("validates with the request version's schema", async () => {
    const tooLong = await json('POST', at('v2'), widget('long', { colour: 'purple' }));
    assert.equal(tooLong.status, 422, tooLong.text);
    assert.equal(tooLong.json.message, `Widget.${group} "long" is invalid: spec.colour: Too long: may not be more than 5 bytes`);
    const current = (await json('GET', at('v2', 'blue'))).json;
    const put = await json('PUT', at('v2', 'blue'), { ...current, spec: { colour: 'violet' } });
    assert.equal(put.status, 422, put.text);
    assert.match(put.json.message, /spec\.colour: Too long: may not be more than 5 bytes/);
    // In the storage version, its own schema applies.
    const v1 = await json('POST', at('v1'), { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'v1-long' }, spec: { color: 'blue' } });
    assert.equal(v1.status, 422, v1.text);
    assert.match(v1.json.message, /spec\.color: Too long: may not be more than 3 bytes/);
  });
});
