import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { rawRequest, uniqueSuffix } from './helpers.js';
import { TestWebhook } from './webhook-fixture.js';

/**
 * A CRD with two versions and `conversion.strategy: Webhook` (url + caBundle), its webhook served by the test:
 * v1 (stored) has spec.color, v2 has spec.colour. Objects written and read in either version come back
 * converted; a failing conversion is the real server's error. Expectations were taken from a v1.32 server.
 */
describe('conversion webhooks', () => {
  let target: ConformanceTarget;
  let hook: TestWebhook;
  const run = uniqueSuffix();
  const group = `admission-server-${run}.test`;
  const ns = `admission-server-${run}-conv`;
  const json = (method: string, path: string, body?: object, contentType = 'application/json') =>
    rawRequest(target, { method, path, ...(body ? { contentType, body: JSON.stringify(body) } : {}) });
  const at = (version: string, name = '') => `/apis/${group}/${version}/namespaces/${ns}/widgets${name ? `/${name}` : ''}`;

  function convert(object: any, desired: string): any {
    const { spec = {}, ...rest } = object;
    const { color, colour, ...others } = spec;
    const value = color ?? colour;
    const next = desired.endsWith('/v2') ? { ...others, ...(value !== undefined ? { colour: value } : {}) } : { ...others, ...(value !== undefined ? { color: value } : {}) };
    return { ...rest, apiVersion: desired, spec: next };
  }

  before(async () => {
    target = await startTarget();
    hook = await TestWebhook.start((_path, review) => {
      const { uid, desiredAPIVersion, objects } = review.request;
      if (objects.some((o: any) => (o.spec?.color ?? o.spec?.colour) === 'unconvertible')) {
        return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid, convertedObjects: [], result: { status: 'Failure', message: 'unconvertible is not a colour' } } };
      }
      return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid, convertedObjects: objects.map((o: any) => convert(o, desiredAPIVersion)), result: { status: 'Success' } } };
    });
    const schema = (field: string) => ({ openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { [field]: { type: 'string' } } } } } });
    const crd = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          { name: 'v1', served: true, storage: true, schema: schema('color') },
          { name: 'v2', served: true, storage: false, schema: schema('colour') },
        ],
        conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: hook.url('/convert'), caBundle: hook.caBundle } } },
      },
    });
    assert.equal(crd.status, 201, crd.text);
    assert.equal((await json('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    await eventually(async () => {
      const res = await json('GET', at('v2'));
      assert.equal(res.status, 200, res.text);
    }, { timeoutMs: 20_000, intervalMs: 200 });
  });
  after(async () => {
    for (const name of ['red', 'a', 'b', 'c', 'watched', 'unconvertible', 'applied', 'pruned', 'strict']) await json('DELETE', at('v1', name));
    await json('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`);
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await hook.close();
    await target.stop();
  });

  it('converts an object written in one version and read in the other, through ConversionReview v1', async () => {
    hook.reviews.length = 0;
    const created = await json('POST', at('v2'), { apiVersion: `${group}/v2`, kind: 'Widget', metadata: { name: 'red' }, spec: { colour: 'red' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.apiVersion, `${group}/v2`);
    assert.deepEqual(created.json.spec, { colour: 'red' });
    // Ownership is recorded in the version the client wrote.
    const owners = (object: any) => object.metadata.managedFields.map((e: any) => [e.operation, e.apiVersion, e.fieldsV1]);
    assert.deepEqual(owners(created.json), [['Update', `${group}/v2`, { 'f:spec': { '.': {}, 'f:colour': {} } }]]);
    const review = hook.reviews[0]!;
    assert.equal(review.path, '/convert?timeout=30s');
    assert.equal(review.review.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(review.review.kind, 'ConversionReview');
    assert.equal(review.review.request.desiredAPIVersion, `${group}/v1`);
    assert.match(review.review.request.uid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(review.review.request.objects[0].spec, { colour: 'red' });

    const v1 = await json('GET', at('v1', 'red'));
    assert.equal(v1.json.apiVersion, `${group}/v1`);
    assert.deepEqual(v1.json.spec, { color: 'red' });
    const v2 = await json('GET', at('v2', 'red'));
    assert.deepEqual(v2.json.spec, { colour: 'red' });

    const patched = await json('PATCH', at('v2', 'red'), { spec: { colour: 'blue' } }, 'application/merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json.spec, { colour: 'blue' });
    assert.deepEqual(owners(patched.json), [['Update', `${group}/v2`, { 'f:spec': { '.': {}, 'f:colour': {} } }]]);
    const put = await json('PUT', at('v2', 'red'), { ...patched.json, spec: { colour: 'pink' } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.spec, { colour: 'pink' });
    assert.deepEqual(owners(put.json), [['Update', `${group}/v2`, { 'f:spec': { '.': {}, 'f:colour': {} } }]]);
    assert.deepEqual((await json('GET', at('v1', 'red'))).json.spec, { color: 'pink' });
  });

  it('converts the items of a list', async () => {
    for (const name of ['a', 'b', 'c']) assert.equal((await json('POST', at('v1'), { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name }, spec: { color: name } })).status, 201);
    hook.reviews.length = 0;
    const list = await json('GET', at('v2'));
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.apiVersion, `${group}/v2`);
    assert.deepEqual(list.json.items.filter((i: any) => ['a', 'b', 'c'].includes(i.metadata.name)).map((i: any) => [i.apiVersion, i.spec.colour]),
      [[`${group}/v2`, 'a'], [`${group}/v2`, 'b'], [`${group}/v2`, 'c']]);
    // One review for the whole list, never one per item (a v1.32 server sent only some of the items: those it had
    // not converted before).
    assert.ok(hook.reviews.length <= 1, `${hook.reviews.length} reviews for one list`);
    for (const r of hook.reviews) assert.equal(r.review.request.desiredAPIVersion, `${group}/v2`);
  });

  it('answers a failed conversion with the real error', async () => {
    const res = await json('POST', at('v2'), { apiVersion: `${group}/v2`, kind: 'Widget', metadata: { name: 'bad' }, spec: { colour: 'unconvertible' } });
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.reason, undefined);
    assert.equal(res.json.message, `conversion webhook for ${group}/v2, Kind=Widget failed: unconvertible is not a colour`);
    assert.equal((await json('GET', at('v1', 'bad'))).status, 404);
  });

  it('applies server-side in a non-storage version: converted to it, applied there, stored converted back', async () => {
    const apply = (version: string, spec: object, manager: string, force = false) => rawRequest(target, {
      method: 'PATCH', path: `${at(version, 'applied')}?fieldManager=${manager}${force ? '&force=true' : ''}`, contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({ apiVersion: `${group}/${version}`, kind: 'Widget', metadata: { name: 'applied' }, spec }),
    });
    const owners = (object: any) => object.metadata.managedFields.map((e: any) => [e.manager, e.operation, e.apiVersion, e.fieldsV1]);
    hook.reviews.length = 0;
    const created = await apply('v2', { colour: 'red' }, 'v2-applier');
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.apiVersion, `${group}/v2`);
    assert.deepEqual(created.json.spec, { colour: 'red' });
    assert.ok(hook.reviews.some((r) => r.review.request.desiredAPIVersion === `${group}/v1`), 'the applied object is converted to the storage version');
    // The entry keeps the version the apply was made in, and that version's field names.
    assert.deepEqual(owners(created.json), [['v2-applier', 'Apply', `${group}/v2`, { 'f:spec': { 'f:colour': {} } }]]);
    const stored = (await json('GET', at('v1', 'applied'))).json;
    assert.deepEqual(stored.spec, { color: 'red' });
    assert.deepEqual(owners(stored), owners(created.json));

    const again = await apply('v2', { colour: 'green' }, 'v2-applier');
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json.spec, { colour: 'green' });
    assert.equal(again.json.metadata.generation, 2);
    assert.deepEqual(owners(again.json), [['v2-applier', 'Apply', `${group}/v2`, { 'f:spec': { 'f:colour': {} } }]]);
    assert.deepEqual((await json('GET', at('v1', 'applied'))).json.spec, { color: 'green' });
    // Another manager in the same version conflicts with the owner, as in the storage version.
    const conflict = await apply('v2', { colour: 'blue' }, 'other-applier');
    assert.equal(conflict.status, 409, conflict.text);
    assert.equal(conflict.json.reason, 'Conflict');
    assert.deepEqual(conflict.json.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "v2-applier"', field: '.spec.colour' }]);
    const forced = await apply('v2', { colour: 'blue' }, 'other-applier', true);
    assert.equal(forced.status, 200, forced.text);
    assert.deepEqual(owners(forced.json), [['other-applier', 'Apply', `${group}/v2`, { 'f:spec': { 'f:colour': {} } }]]);
    assert.deepEqual((await json('GET', at('v1', 'applied'))).json.spec, { color: 'blue' });
    const wrongKind = await rawRequest(target, {
      method: 'PATCH', path: `${at('v2', 'applied')}?fieldManager=other-applier`, contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({ apiVersion: `${group}/v2`, kind: 'Gizmo', metadata: { name: 'applied' }, spec: { colour: 'blue' } }),
    });
    assert.equal(wrongKind.status, 400, wrongKind.text);
  });

  it('prunes unknown fields of a non-storage version, or refuses them under fieldValidation=Strict', async () => {
    const body = (name: string) => ({ apiVersion: `${group}/v2`, kind: 'Widget', metadata: { name }, spec: { colour: 'red', junk: 'x' } });
    const strict = await json('POST', `${at('v2')}?fieldValidation=Strict`, body('strict'));
    assert.equal(strict.status, 400, strict.text);
    assert.match(strict.json.message, /unknown field "spec\.junk"/);
    const pruned = await json('POST', `${at('v2')}?fieldValidation=Ignore`, body('pruned'));
    assert.equal(pruned.status, 201, pruned.text);
    assert.deepEqual(pruned.json.spec, { colour: 'red' });
    assert.deepEqual((await json('GET', at('v1', 'pruned'))).json.spec, { color: 'red' });
  });

  it('refuses a strategic merge patch in any version of a custom resource (415)', async () => {
    for (const version of ['v1', 'v2']) {
      const res = await json('PATCH', at(version, 'red'), { spec: {} }, 'application/strategic-merge-patch+json');
      assert.equal(res.status, 415, res.text);
      assert.equal(res.json.reason, 'UnsupportedMediaType');
      assert.ok(res.json.message.startsWith('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml'), res.json.message);
    }
  });

  /** Opens a watch and collects its events until the stream ends or `stop` is called. */
  async function openWatch(path: string): Promise<{ events: any[]; ended: Promise<void>; stop: () => void }> {
    const cluster = target.kubeConfig.getCurrentCluster()!;
    const url = new URL(path, cluster.server);
    const options: RequestOptions = { method: 'GET', hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { Accept: 'application/json' } };
    if (url.protocol === 'https:') await target.kubeConfig.applyToHTTPSOptions(options);
    const events: any[] = [];
    let buffered = '';
    let stop = () => {};
    const ended = new Promise<void>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options as never, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) if (line.trim() !== '') events.push(JSON.parse(line));
        });
        res.on('end', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', (err) => (err.message.includes('aborted') || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
      stop = () => req.destroy();
      req.end();
    });
    return { events, ended, stop };
  }

  it('converts the events of a watch in another version, and sends nothing more once an event cannot be converted', async () => {
    const rv = (await json('GET', at('v1'))).json.metadata.resourceVersion;
    const watch = await openWatch(`${at('v2')}?watch=1&resourceVersion=${rv}&timeoutSeconds=5`);
    try {
      assert.equal((await json('POST', at('v1'), { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'watched' }, spec: { color: 'green' } })).status, 201);
      assert.equal((await json('PATCH', at('v1', 'watched'), { spec: { color: 'teal' } }, 'application/merge-patch+json')).status, 200);
      await eventually(async () => assert.equal(watch.events.length, 2, JSON.stringify(watch.events)), { timeoutMs: 10_000, intervalMs: 50 });
      assert.deepEqual(watch.events.map((e) => [e.type, e.object.apiVersion, e.object.spec]), [
        ['ADDED', `${group}/v2`, { colour: 'green' }],
        ['MODIFIED', `${group}/v2`, { colour: 'teal' }],
      ]);
      // Written in the storage version, the object needs no conversion; its event for the v2 watcher fails.
      assert.equal((await json('POST', at('v1'), { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'unconvertible' }, spec: { color: 'unconvertible' } })).status, 201);
      // The embedded server ends the watch at once; a v1.32 server sends nothing more (it ends by the timeout here).
      await watch.ended;
      assert.equal(watch.events.length, 2, `no event after the failed conversion: ${JSON.stringify(watch.events.slice(2))}`);
    } finally {
      watch.stop();
    }
    assert.equal((await json('DELETE', at('v1', 'unconvertible'))).status, 200);
  });
});
