import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../../../src/testing/index.js';

/** Webhook configurations the embedded server cannot call follow failurePolicy, naming the webhook. */
describe('admission webhooks that cannot be called', () => {
  let env: TestServer;
  before(async () => {
    env = await startTestServer();
  });
  after(async () => {
    await env.stop();
  });

  const post = async (path: string, body: object, query = '') => {
    const res = await fetch(`${env.url}${path}${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  };
  async function configure(name: string, clientConfig: object, extra: object = {}): Promise<void> {
    const res = await post('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name }, webhooks: [{
        name: `${name}.example.com`, admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig,
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
        objectSelector: { matchLabels: { case: name } }, ...extra,
      }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  }
  const create = (label: string, query = '') => post('/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'x-', labels: { case: label } } }, query);

  it('treats a webhook given by Service as unreachable (there is nothing to route to)', async () => {
    await configure('service', { service: { name: 'hooks', namespace: 'system', path: '/validate' } });
    const res = await create('service');
    assert.equal(res.status, 500);
    assert.equal(res.json.message, 'Internal error occurred: failed calling webhook "service.example.com": failed to call webhook: Post "https://hooks.system.svc:443/validate?timeout=10s": service "hooks" not found');
  });

  it('fails a caBundle that is not PEM without crashing, and lets the request through with failurePolicy Ignore', async () => {
    const garbage = Buffer.from('not a certificate').toString('base64');
    await configure('badpem', { url: 'https://127.0.0.1:1/validate', caBundle: garbage });
    const res = await create('badpem');
    assert.equal(res.status, 500);
    assert.match(res.json.message, /^Internal error occurred: failed calling webhook "badpem\.example\.com": failed to call webhook: Post "https:\/\/127\.0\.0\.1:1\/validate\?timeout=10s": /);
    await configure('ignored', { url: 'https://127.0.0.1:1/validate', caBundle: garbage }, { failurePolicy: 'Ignore' });
    assert.equal((await create('ignored')).status, 201);
  });

  it('refuses a configuration the real server refuses, with its words', async () => {
    const res = await post('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: 'refused' }, webhooks: [
        { name: 'a.example.com', clientConfig: {}, rules: [] },
        { name: 'a.example.com', sideEffects: 'Some', admissionReviewVersions: ['v1'], timeoutSeconds: 31, clientConfig: { url: 'https://x/y', service: { name: 's', namespace: 'n' } } },
      ],
    });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.details.causes.map((c: any) => `${c.field}: ${c.message}`).sort(), [
      'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1',
      'webhooks[0].clientConfig: Required value: exactly one of url or service is required',
      'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
      'webhooks[1].clientConfig: Required value: exactly one of url or service is required',
      'webhooks[1].name: Duplicate value: "a.example.com"',
      'webhooks[1].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
      'webhooks[1].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
    ]);
  });

  it('fills in the real server\'s defaults', async () => {
    await configure('defaults', { url: 'https://127.0.0.1:1/validate' });
    const res = await fetch(`${env.url}/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/defaults`);
    const [webhook] = ((await res.json()) as any).webhooks;
    assert.equal(webhook.failurePolicy, 'Fail');
    assert.equal(webhook.matchPolicy, 'Equivalent');
    assert.deepEqual(webhook.namespaceSelector, {});
    assert.equal(webhook.timeoutSeconds, 10);
    assert.equal(webhook.rules[0].scope, '*');
  });
});
