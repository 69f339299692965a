import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, rawRequest, uniqueSuffix } from './helpers.js';
import { allow, deny, makeCertificates, TestWebhook } from './webhook-fixture.js';

/**
 * Admission webhooks registered with url + caBundle, served by the test on 127.0.0.1: the AdmissionReview
 * sent, a JSONPatch applied, denials, warnings, failurePolicy, timeouts and selectors. The rules only match
 * ConfigMaps in this file's own labelled namespace, so a leftover configuration cannot touch anything else.
 * Expectations were taken from a v1.32 server.
 */
describe('admission webhooks', () => {
  let target: ConformanceTarget;
  let hook: TestWebhook;
  const run = uniqueSuffix();
  const ns = `admission-server-${run}`;
  const otherNs = `admission-server-${run}-plain`;
  const selector = { matchLabels: { 'admission-server-test': run } };
  const configurations: Array<{ plural: string; name: string }> = [];
  let downPort = 0;

  const json = (method: string, path: string, body?: object, contentType = 'application/json') =>
    rawRequest(target, { method, path, ...(body ? { contentType, body: JSON.stringify(body) } : {}) });
  const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = { a: '1' }, namespace = ns, query = '') =>
    json('POST', `/api/v1/namespaces/${namespace}/configmaps${query}`, { metadata: { name, labels: { app: 'test', ...labels } }, data });
  const webhook = (name: string, path: string, extra: object = {}) => ({
    name: `${name}.${run}.admission-server.test`, admissionReviewVersions: ['v1'], sideEffects: 'None',
    clientConfig: { url: hook.url(path), caBundle: hook.caBundle }, namespaceSelector: selector,
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['configmaps'] }],
    ...extra,
  });
  async function register(kind: 'Mutating' | 'Validating', suffix: string, webhooks: object[]): Promise<() => Promise<void>> {
    const plural = `${kind.toLowerCase()}webhookconfigurations`;
    const name = `admission-server-${run}-${suffix}`;
    const res = await json('POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name }, webhooks,
    });
    assert.equal(res.status, 201, res.text);
    configurations.push({ plural, name });
    return async () => {
      await json('DELETE', `/apis/admissionregistration.k8s.io/v1/${plural}/${name}`);
      configurations.splice(configurations.findIndex((c) => c.name === name), 1);
    };
  }
  let probes = 0;
  /** A real server picks up a new configuration after a moment: create probes until `seen` holds for one. */
  async function untilActive(seen: (res: Awaited<ReturnType<typeof cm>>) => boolean, labels: Record<string, string> = {}): Promise<void> {
    await eventually(async () => {
      const res = await cm(`probe-${++probes}`, labels);
      assert.ok(seen(res), `the configuration is not active yet: ${res.status} ${res.text}`);
    }, { timeoutMs: 20_000, intervalMs: 200 });
  }
  const mutated = (res: { status: number; json: any }) => res.status === 201 && res.json?.metadata?.labels?.mutated === 'yes';
  const addLabel = [{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }];

  before(async () => {
    target = await startTarget();
    hook = await TestWebhook.start((path, review) => {
      if (path.startsWith('/mutate')) return allow(review, { patch: addLabel, warnings: ['mutated by the test webhook'] });
      if (path.startsWith('/validate')) {
        if (review.request.object?.data?.forbidden !== undefined) {
          return deny(review, { code: 403, reason: 'Forbidden', message: 'data.forbidden is not allowed', details: { causes: [{ field: 'data.forbidden', message: 'remove it' }] } });
        }
        if (review.request.object?.data?.plain !== undefined) return deny(review, { message: 'no code given' });
        return allow(review, { warnings: ['validated by the test webhook'] });
      }
      if (path.startsWith('/garbage')) return { raw: 'this is not JSON' };
      if (path.startsWith('/hang')) return 'hang';
      return allow(review);
    });
    // A port nothing listens on: taken, then given back.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    downPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    for (const [name, labels] of [[ns, { 'admission-server-test': run }], [otherNs, {}]] as const) {
      const res = await json('POST', '/api/v1/namespaces', { metadata: { name, labels } });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    for (const c of [...configurations]) await json('DELETE', `/apis/admissionregistration.k8s.io/v1/${c.plural}/${c.name}`);
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await json('DELETE', `/api/v1/namespaces/${otherNs}`);
    await hook.close();
    await target.stop();
  });

  it('sends AdmissionReview v1 and applies the JSONPatch of a mutating webhook, with its warnings', async () => {
    const remove = await register('Mutating', 'mutate', [webhook('mutate', '/mutate')]);
    try {
      await untilActive(mutated);
      hook.reviews.length = 0;
      const created = await cm('mutated', {}, { a: '1' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.json.metadata.labels.mutated, 'yes');
      assert.deepEqual(created.headers.warning, '299 - "mutated by the test webhook"');
      const [entry] = hook.reviews;
      assert.equal(entry!.path, '/mutate?timeout=10s');
      const { request, apiVersion, kind } = entry!.review;
      assert.equal(apiVersion, 'admission.k8s.io/v1');
      assert.equal(kind, 'AdmissionReview');
      assert.match(request.uid, /^[0-9a-f-]{36}$/);
      assert.deepEqual(request.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
      assert.deepEqual(request.resource, { group: '', version: 'v1', resource: 'configmaps' });
      assert.deepEqual(request.requestKind, { group: '', version: 'v1', kind: 'ConfigMap' });
      assert.deepEqual(request.requestResource, { group: '', version: 'v1', resource: 'configmaps' });
      assert.equal(request.subResource, undefined);
      assert.equal(request.name, 'mutated');
      assert.equal(request.namespace, ns);
      assert.equal(request.operation, 'CREATE');
      assert.equal(typeof request.userInfo.username, 'string');
      assert.equal(request.object.metadata.name, 'mutated');
      assert.equal(request.object.metadata.uid, undefined, 'a mutating webhook sees the object before the server fills in its uid');
      assert.deepEqual(request.object.data, { a: '1' });
      assert.equal(request.oldObject, null);
      assert.equal(request.dryRun, false);
      assert.equal(request.options.kind, 'CreateOptions');
      assert.equal(request.options.apiVersion, 'meta.k8s.io/v1');

      hook.reviews.length = 0;
      const updated = await json('PATCH', `/api/v1/namespaces/${ns}/configmaps/mutated`, { data: { a: '2' } }, 'application/merge-patch+json');
      assert.equal(updated.status, 200, updated.text);
      const update = hook.reviews[0]!.review.request;
      assert.equal(update.operation, 'UPDATE');
      assert.equal(update.options.kind, 'UpdateOptions');
      assert.equal(update.object.data.a, '2');
      assert.equal(update.oldObject.data.a, '1');
      assert.equal(update.oldObject.metadata.uid, created.json.metadata.uid);

      hook.reviews.length = 0;
      const deleted = await json('DELETE', `/api/v1/namespaces/${ns}/configmaps/mutated`);
      // A mutating webhook that answers a DELETE with a patch is refused.
      assertStatus(deleted.json, 500, 'InternalError', /admission webhook ".*" attempted to modify the object, which is not supported for this operation/);
      const del = hook.reviews[0]!.review.request;
      assert.equal(del.operation, 'DELETE');
      assert.equal(del.object, null);
      assert.equal(del.oldObject.metadata.name, 'mutated');
      assert.equal(del.options.kind, 'DeleteOptions');
      assert.equal(del.options.propagationPolicy, undefined, 'a DELETE without options sends none');

      hook.reviews.length = 0;
      const dry = await cm('dry', {}, { a: '1' }, ns, '?dryRun=All');
      assert.equal(dry.status, 201, dry.text);
      assert.equal(hook.reviews[0]!.review.request.dryRun, true);
      assert.deepEqual(hook.reviews[0]!.review.request.options.dryRun, ['All']);
      assert.equal((await json('GET', `/api/v1/namespaces/${ns}/configmaps/dry`)).status, 404);
    } finally {
      await remove();
    }
  });

  it('answers a validating webhook\'s denial with its Status and the webhook\'s name', async () => {
    const remove = await register('Validating', 'validate', [webhook('validate', '/validate')]);
    try {
      await untilActive((res) => res.status === 201 && res.headers.warning === '299 - "validated by the test webhook"');
      const denied = await cm('denied', {}, { forbidden: 'x' });
      assertStatus(denied.json, 403, 'Forbidden');
      assert.equal(denied.json.message, `admission webhook "validate.${run}.admission-server.test" denied the request: data.forbidden is not allowed`);
      assert.deepEqual(denied.json.details?.causes, [{ field: 'data.forbidden', message: 'remove it' }]);
      const plain = await cm('plain', {}, { plain: 'x' });
      assert.equal(plain.status, 400, plain.text);
      assert.equal(plain.json.message, `admission webhook "validate.${run}.admission-server.test" denied the request: no code given`);
      assert.equal((await json('GET', `/api/v1/namespaces/${ns}/configmaps/denied`)).status, 404);
      // The validating webhook sees the object as it will be stored.
      hook.reviews.length = 0;
      assert.equal((await cm('seen')).status, 201);
      const seen = hook.on('/validate')[0].request.object;
      assert.match(seen.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.equal(typeof seen.metadata.creationTimestamp, 'string');
    } finally {
      await remove();
    }
  });

  it('follows failurePolicy when the webhook is down: Fail refuses with 500, Ignore lets the request through', async () => {
    const down = { url: `https://127.0.0.1:${downPort}/down`, caBundle: hook.caBundle };
    const removeIgnore = await register('Mutating', 'ignore', [webhook('mutate', '/mutate'), webhook('down', '/down', { clientConfig: down, failurePolicy: 'Ignore' })]);
    try {
      await untilActive(mutated);
      const res = await cm('ignored');
      assert.equal(res.status, 201, res.text);
    } finally {
      await removeIgnore();
    }
    const removeFail = await register('Validating', 'fail', [webhook('down', '/down', { clientConfig: down })]);
    try {
      await untilActive((r) => r.status === 500);
      const res = await cm('refused');
      const name = `down.${run}.admission-server.test`;
      const words = `failed calling webhook "${name}": failed to call webhook: Post "https://127.0.0.1:${downPort}/down?timeout=10s": dial tcp 127.0.0.1:${downPort}: connect: connection refused`;
      assertStatus(res.json, 500, 'InternalError');
      assert.equal(res.json.message, `Internal error occurred: ${words}`);
      assert.deepEqual(res.json.details?.causes, [{ message: words }]);
    } finally {
      await removeFail();
    }
  });

  it('fails a webhook that does not answer within timeoutSeconds, answers garbage or has a certificate from another CA', async () => {
    const otherCa = Buffer.from((await makeCertificates('another-test-ca')).caPem).toString('base64');
    const remove = await register('Validating', 'broken', [
      webhook('hang', '/hang', { timeoutSeconds: 1, objectSelector: { matchLabels: { broken: 'hang' } } }),
      webhook('garbage', '/garbage', { objectSelector: { matchLabels: { broken: 'garbage' } } }),
      webhook('badca', '/badca', { clientConfig: { url: hook.url('/badca'), caBundle: otherCa }, objectSelector: { matchLabels: { broken: 'badca' } } }),
    ]);
    try {
      await untilActive((r) => r.status === 500, { broken: 'garbage' });
      const garbage = await cm('garbage', { broken: 'garbage' });
      assertStatus(garbage.json, 500, 'InternalError');
      assert.ok(garbage.json.message.startsWith(`Internal error occurred: failed calling webhook "garbage.${run}.admission-server.test": failed to call webhook: couldn't get version/kind; json parse error: `), garbage.json.message);
      const hang = await cm('hang', { broken: 'hang' });
      assertStatus(hang.json, 500, 'InternalError');
      assert.equal(hang.json.message, `Internal error occurred: failed calling webhook "hang.${run}.admission-server.test": failed to call webhook: Post "${hook.url('/hang')}?timeout=1s": context deadline exceeded`);
      const badca = await cm('badca', { broken: 'badca' });
      assertStatus(badca.json, 500, 'InternalError');
      assert.equal(badca.json.message, `Internal error occurred: failed calling webhook "badca.${run}.admission-server.test": failed to call webhook: Post "${hook.url('/badca')}?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority`);
      assert.equal((await cm('unlabelled')).status, 201, 'objects the objectSelector does not match are not sent');
    } finally {
      await remove();
    }
  });

  it('sends only what the namespaceSelector and objectSelector match', async () => {
    const remove = await register('Mutating', 'selectors', [webhook('mutate', '/mutate', { objectSelector: { matchExpressions: [{ key: 'mutate', operator: 'In', values: ['on'] }] } })]);
    try {
      await untilActive(mutated, { mutate: 'on' });
      assert.equal((await cm('labelled', { mutate: 'on' })).json.metadata.labels.mutated, 'yes');
      const unlabelled = await cm('unlabelled-object', { mutate: 'off' });
      assert.equal(unlabelled.status, 201);
      assert.equal(unlabelled.json.metadata.labels.mutated, undefined);
      const elsewhere = await cm('other-namespace', { mutate: 'on' }, { a: '1' }, otherNs);
      assert.equal(elsewhere.status, 201, elsewhere.text);
      assert.equal(elsewhere.json.metadata.labels.mutated, undefined);
      // The old object counts too: removing the label still goes to the webhook.
      hook.reviews.length = 0;
      const relabel = await json('PATCH', `/api/v1/namespaces/${ns}/configmaps/labelled`, { metadata: { labels: { mutate: 'off' } } }, 'application/merge-patch+json');
      assert.equal(relabel.status, 200, relabel.text);
      assert.equal(hook.reviews.length, 1);
    } finally {
      await remove();
    }
  });
  it('refuses matchConditions the real server refuses, with its words (422)', async () => {
    const create = (conditions: object[]) => json('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: `admission-server-${run}-bad-conditions` },
      webhooks: [webhook('conditions', '/validate', { matchConditions: conditions })],
    });
    const causesOf = (res: { json: any }) => (res.json.details?.causes ?? []).map((c: any) => `${c.field}: ${c.message}`);
    const syntax = await create([{ name: 'a', expression: 'object.metadata.name ==' }]);
    assertStatus(syntax.json, 422, 'Invalid');
    assert.match(causesOf(syntax)[0], /^webhooks\[0\]\.matchConditions\[0\]\.expression: Invalid value: "object\.metadata\.name ==": compilation failed: /);
    const notBool = await create([{ name: 'a', expression: 'object.metadata.name' }]);
    assert.deepEqual(causesOf(notBool), ['webhooks[0].matchConditions[0].expression: Invalid value: "object.metadata.name": must evaluate to bool but got dyn']);
    const undeclared = await create([{ name: 'a', expression: 'self.x == 1' }]);
    assert.match(causesOf(undeclared)[0], /^webhooks\[0\]\.matchConditions\[0\]\.expression: Invalid value: "self\.x == 1": compilation failed: .*undeclared reference to 'self'/);
    const duplicate = await create([{ name: 'a', expression: 'true' }, { name: 'a', expression: 'true' }]);
    assert.deepEqual(causesOf(duplicate), ['webhooks[0].matchConditions[1].name: Duplicate value: "a"']);
    const empty = await create([{ name: '', expression: '  ' }]);
    assert.deepEqual(causesOf(empty), ['webhooks[0].matchConditions[0].expression: Required value', 'webhooks[0].matchConditions[0].name: Required value']);
    const badName = await create([{ name: 'A B', expression: 'true' }]);
    assert.match(causesOf(badName)[0], /^webhooks\[0\]\.matchConditions\[0\]\.name: Invalid value: "A B": name part must consist of alphanumeric characters/);
    const many = await create(Array.from({ length: 65 }, (_, i) => ({ name: `c${i}`, expression: 'true' })));
    assert.deepEqual(causesOf(many), ['webhooks[0].matchConditions: Too many: 65: must have at most 64 items']);
  });

  it('calls a webhook only when all its matchConditions are true; an evaluation error follows failurePolicy', async () => {
    const conditions = [
      { name: 'wanted', expression: "has(object.data) && !('skip' in object.data) && request.operation == 'CREATE' && oldObject == null" },
    ];
    const broken = [
      { name: 'missing-key', expression: "object.metadata.labels['absent'] == 'y'" },
      { name: 'data', expression: "object.data.k == 'v'" },
    ];
    const remove = await register('Mutating', 'conditions', [
      webhook('mutate', '/mutate', { matchConditions: conditions, objectSelector: { matchLabels: { conditions: 'plain' } } }),
      webhook('broken', '/mutate', { matchConditions: broken, objectSelector: { matchLabels: { conditions: 'broken' } } }),
      webhook('ignored', '/mutate', { matchConditions: broken, failurePolicy: 'Ignore', objectSelector: { matchLabels: { conditions: 'ignored' } } }),
    ]);
    try {
      await untilActive(mutated, { conditions: 'plain' });
      const skipped = await cm('no-match', { conditions: 'plain' }, { skip: '1' });
      assert.equal(skipped.status, 201, skipped.text);
      assert.equal(skipped.json.metadata.labels.mutated, undefined, 'a false condition skips the webhook');
      const called = await cm('match', { conditions: 'plain' }, { match: '1' });
      assert.equal(called.json.metadata.labels.mutated, 'yes');
      // An error with failurePolicy Fail refuses the request without calling the webhook.
      const refused = await cm('refused', { conditions: 'broken' }, { k: 'v' });
      assertStatus(refused.json, 403, 'Forbidden');
      assert.equal(refused.json.message, `configmaps "refused" is forbidden: expression 'object.metadata.labels['absent'] == 'y'' resulted in error: no such key: absent`);
      // A false condition wins over another condition's error.
      const falseWins = await cm('false-wins', { conditions: 'broken' }, { k: 'w' });
      assert.equal(falseWins.status, 201, falseWins.text);
      assert.equal(falseWins.json.metadata.labels.mutated, undefined);
      // failurePolicy Ignore skips the webhook.
      const ignored = await cm('condition-ignored', { conditions: 'ignored' }, { k: 'v' });
      assert.equal(ignored.status, 201, ignored.text);
      assert.equal(ignored.json.metadata.labels.mutated, undefined);
    } finally {
      await remove();
    }
  });

  it('reinvokes a reinvocationPolicy IfNeeded webhook once when a later webhook changed the object', async () => {
    const only = (...values: string[]) => ({ objectSelector: { matchExpressions: [{ key: 'reinvoke', operator: 'In', values }] } });
    const remove = await register('Mutating', 'reinvoke', [
      webhook('again', '/count-again', { reinvocationPolicy: 'IfNeeded', ...only('on', 'quiet') }),
      webhook('never', '/count-never', { reinvocationPolicy: 'Never', ...only('on', 'quiet') }),
      webhook('mutate', '/mutate', only('on')),
    ]);
    try {
      await untilActive(mutated, { reinvoke: 'on' });
      hook.reviews.length = 0;
      const created = await cm('reinvoked', { reinvoke: 'on' });
      assert.equal(created.status, 201, created.text);
      const again = hook.on('/count-again');
      assert.equal(again.length, 2, 'called in the first pass and again after /mutate changed the object');
      assert.equal(again[0].request.object.metadata.labels.mutated, undefined);
      assert.equal(again[1].request.object.metadata.labels.mutated, 'yes');
      assert.equal(hook.on('/count-never').length, 1);
      assert.equal(hook.on('/mutate').length, 1, 'a webhook with policy Never is not reinvoked');
      // When no webhook changes the object, nothing is reinvoked.
      hook.reviews.length = 0;
      const unchanged = await cm('unchanged', { reinvoke: 'quiet' });
      assert.equal(unchanged.status, 201, unchanged.text);
      assert.equal(hook.on('/count-again').length, 1);
    } finally {
      await remove();
    }
  });
});
