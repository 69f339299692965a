import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { rawRequest, uniqueSuffix } from './helpers.js';
import { allow, TestWebhook } from './webhook-fixture.js';

/**
 * Where the CRD's pruning and defaulting fall relative to the mutating webhooks: a Gadget has spec.count
 * (`default: 1`) and status.phase (`default: new`); the mutating webhook records what it gets, adds a field the
 * schema does not know and removes the defaulted one. Expectations were taken from a v1.32 server.
 */
describe('custom resources: schema defaulting and pruning around mutating webhooks', () => {
  let target: ConformanceTarget;
  let hook: TestWebhook;
  const run = uniqueSuffix();
  const group = `admission-order-${run}.test`;
  const ns = `admission-order-${run}`;
  const configuration = `admission-order-${run}`;
  const json = (method: string, path: string, body?: object, contentType = 'application/json') =>
    rawRequest(target, { method, path, ...(body ? { contentType, body: JSON.stringify(body) } : {}) });
  const at = (name = '', sub = '') => `/apis/${group}/v1/namespaces/${ns}/gadgets${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`;
  const gadget = (name: string, spec: object = { size: 'small', junk: 'x' }) => ({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name }, spec });

  /** Adds `extra` where the webhook is allowed to write, and removes the defaulted field it sees there. */
  function mutation(object: any, sub: string | undefined): object[] {
    const where = sub === 'status' ? 'status' : 'spec';
    const field = where === 'status' ? 'phase' : 'count';
    const patch: object[] = [];
    if (object[where] === undefined) patch.push({ op: 'add', path: `/${where}`, value: {} });
    patch.push({ op: 'add', path: `/${where}/extra`, value: 'from-webhook' });
    if (object[where]?.[field] !== undefined) patch.push({ op: 'remove', path: `/${where}/${field}` });
    return patch;
  }

  before(async () => {
    target = await startTarget();
    hook = await TestWebhook.start((path, review) => {
      if (path.startsWith('/mutate') && review.request.operation !== 'DELETE') {
        return allow(review, { patch: mutation(review.request.object, review.request.subResource) });
      }
      return allow(review);
    });
    const crd = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `gadgets.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [{
          name: 'v1', served: true, storage: true, subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object', properties: {
                spec: { type: 'object', properties: { size: { type: 'string' }, count: { type: 'integer', default: 1 } } },
                status: { type: 'object', properties: { phase: { type: 'string', default: 'new' } } },
              },
            },
          },
        }],
      },
    });
    assert.equal(crd.status, 201, crd.text);
    assert.equal((await json('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    const rules = [{ apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['gadgets', 'gadgets/status'] }];
    const common = { admissionReviewVersions: ['v1'], sideEffects: 'None', rules, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } };
    for (const [kind, path] of [['Mutating', '/mutate'], ['Validating', '/validate']] as const) {
      const res = await json('POST', `/apis/admissionregistration.k8s.io/v1/${kind.toLowerCase()}webhookconfigurations`, {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name: configuration },
        webhooks: [{ name: `${path.slice(1)}.${group}`, clientConfig: { url: hook.url(path), caBundle: hook.caBundle }, ...common }],
      });
      assert.equal(res.status, 201, res.text);
    }
    let probe = 0;
    await eventually(async () => {
      hook.reviews.length = 0;
      const res = await json('POST', at(), gadget(`probe-${++probe}`));
      assert.equal(res.status, 201, res.text);
      assert.ok(hook.on('/mutate').length > 0 && hook.on('/validate').length > 0, 'the webhooks are not active yet');
    }, { timeoutMs: 20_000, intervalMs: 200 });
  });
  after(async () => {
    for (const kind of ['mutating', 'validating']) await json('DELETE', `/apis/admissionregistration.k8s.io/v1/${kind}webhookconfigurations/${configuration}`);
    await json('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`);
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await hook.close();
    await target.stop();
  });

  const seenBy = (path: string) => hook.on(path).map((r) => r.request.object);

  it('sends a create to the mutating webhook pruned and defaulted; defaults again after it; stores the result pruned', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', at(), gadget('created'));
    assert.equal(created.status, 201, created.text);
    const [mutate] = seenBy('/mutate');
    assert.deepEqual(mutate.spec, { size: 'small', count: 1 }, 'the webhook sees the request decoded: junk pruned, count defaulted');
    const [validate] = seenBy('/validate');
    assert.equal(validate.spec.count, 1, 'the field the webhook removed is defaulted again before validation');
    assert.deepEqual(created.json.spec, { size: 'small', count: 1 }, 'the field the webhook added is pruned');
    assert.deepEqual((await json('GET', at('created'))).json.spec, { size: 'small', count: 1 });
  });

  it('does the same for an update, a merge patch, a JSON patch and a server-side apply', async () => {
    assert.equal((await json('POST', at(), gadget('updated'))).status, 201);
    const current = (await json('GET', at('updated'))).json;
    const writes: Array<[string, () => Promise<Awaited<ReturnType<typeof json>>>, string]> = [
      ['PUT', () => json('PUT', at('updated'), { ...current, spec: { size: 'large', junk: 'y' } }), 'large'],
      ['merge', () => json('PATCH', at('updated'), { spec: { size: 'medium', junk: 'z' } }, 'application/merge-patch+json'), 'medium'],
      ['json', () => json('PATCH', at('updated'), [{ op: 'add', path: '/spec/junk', value: 'j' }, { op: 'replace', path: '/spec/size', value: 'huge' }] as never, 'application/json-patch+json'), 'huge'],
      ['apply', () => rawRequest(target, {
        method: 'PATCH', path: `${at('updated')}?fieldManager=admission-order&force=true`, contentType: 'application/apply-patch+yaml',
        body: JSON.stringify({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'updated' }, spec: { size: 'tiny' } }),
      }), 'tiny'],
    ];
    for (const [what, write, size] of writes) {
      hook.reviews.length = 0;
      const res = await write();
      assert.equal(res.status, 200, `${what}: ${res.text}`);
      assert.deepEqual(seenBy('/mutate')[0]?.spec, { size, count: 1 }, `${what}: the mutating webhook sees the object pruned and defaulted`);
      assert.equal(seenBy('/validate')[0]?.spec.count, 1, what);
      assert.deepEqual(res.json.spec, { size, count: 1 }, what);
    }
  });

  it('does the same for /status', async () => {
    assert.equal((await json('POST', at(), gadget('stat'))).status, 201);
    const current = (await json('GET', at('stat'))).json;
    hook.reviews.length = 0;
    const put = await json('PUT', at('stat', 'status'), { ...current, status: { junk: 'q' } });
    assert.equal(put.status, 200, put.text);
    const [mutate] = seenBy('/mutate');
    assert.deepEqual(mutate.status, { phase: 'new' });
    assert.equal(hook.on('/mutate')[0].request.subResource, 'status');
    assert.equal(seenBy('/validate')[0]?.status.phase, 'new');
    assert.deepEqual(put.json.status, { phase: 'new' });
    hook.reviews.length = 0;
    const merge = await json('PATCH', at('stat', 'status'), { status: { phase: null, junk: 'r' } }, 'application/merge-patch+json');
    assert.equal(merge.status, 200, merge.text);
    assert.deepEqual(seenBy('/mutate')[0]?.status, { phase: 'new' }, 'a null in a non-nullable field is dropped, then defaulted');
    assert.deepEqual(merge.json.status, { phase: 'new' });
  });

  it('refuses unknown fields under fieldValidation=Strict before any webhook is called', async () => {
    hook.reviews.length = 0;
    const res = await json('POST', `${at()}?fieldValidation=Strict`, gadget('strict'));
    assert.equal(res.status, 400, res.text);
    assert.match(res.json.message, /unknown field "spec\.junk"/);
    assert.equal(hook.reviews.length, 0);
    // The whole body is decoded, status included, though a create then drops the status.
    const status = await json('POST', `${at()}?fieldValidation=Strict`, { ...gadget('strict-status', { size: 'small' }), status: { junk: 'x' } });
    assert.equal(status.status, 400, status.text);
    assert.match(status.json.message, /unknown field "status\.junk"/);
    assert.equal(hook.reviews.length, 0);
  });
});
