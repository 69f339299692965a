import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteConfiguration, serverOrigin } from '../../../src/testing/webhook/configurations.js';
import { resolveTestEnvWebhookOptions, WebhookInstallError } from '../../../src/testing/webhook/options.js';

const config = (clientConfig: object) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'vwc' },
  webhooks: [{ name: 'vmemcached.kb.io', clientConfig, sideEffects: 'None', admissionReviewVersions: ['v1'] }],
});

describe('rewriteConfiguration', () => {
  it('replaces a service reference with the url of its path and sets the caBundle; the input is left as it was', () => {
    const input = config({ service: { name: 'webhook-service', namespace: 'system', path: '/validate-cache-example-com-v1-memcached', port: 443 } });
    const out = rewriteConfiguration(input, 'ValidatingWebhookConfiguration', 'https://127.0.0.1:9443', 'Q0E=') as any;
    assert.deepEqual(out.webhooks[0].clientConfig, { url: 'https://127.0.0.1:9443/validate-cache-example-com-v1-memcached', caBundle: 'Q0E=' });
    assert.equal((input.webhooks[0]!.clientConfig as any).service.name, 'webhook-service');
  });

  it('keeps a url (envtest does too) and adds the leading / a service path lacks', () => {
    const kept = rewriteConfiguration(config({ url: 'https://127.0.0.1:1234/x' }), 'ValidatingWebhookConfiguration', 'https://127.0.0.1:9443', 'Q0E=') as any;
    assert.deepEqual(kept.webhooks[0].clientConfig, { url: 'https://127.0.0.1:1234/x', caBundle: 'Q0E=' });
    const slash = rewriteConfiguration(config({ service: { name: 's', namespace: 'n', path: 'validate' } }), 'ValidatingWebhookConfiguration', serverOrigin('::1', 9443), '') as any;
    assert.equal(slash.webhooks[0].clientConfig.url, 'https://[::1]:9443/validate');
  });

  it('refuses a webhook without clientConfig, and webhooks that are not a list', () => {
    assert.throws(() => rewriteConfiguration({ ...config({}), webhooks: [{ name: 'w' }] }, 'ValidatingWebhookConfiguration', 'https://h:1', ''),
      (err: unknown) => err instanceof WebhookInstallError && /ValidatingWebhookConfiguration vwc, webhook "w" has no clientConfig/.test(err.message));
    assert.throws(() => rewriteConfiguration({ ...config({}), webhooks: {} }, 'ValidatingWebhookConfiguration', 'https://h:1', ''),
      (err: unknown) => err instanceof WebhookInstallError && /webhooks must be a list/.test(err.message));
  });
});

describe('resolveTestEnvWebhookOptions', () => {
  it('fills 127.0.0.1 and a free port (0)', () => {
    assert.deepEqual(resolveTestEnvWebhookOptions({}), { paths: [], mutating: [], validating: [], host: '127.0.0.1', port: 0 });
  });

  it('refuses what is not an object, paths that are not strings, and a configuration without a name', () => {
    for (const [value, message] of [
      [[], /webhooks is \[\]: it must be an object/],
      [{ paths: 'config/webhook' }, /webhooks\.paths is "config\/webhook": it must be an array/],
      [{ validating: {} }, /webhooks\.validating is \{\}: it must be an array/],
      [{ validating: [{ ...config({}), metadata: {} }] }, /webhooks\.validating\[0\]: the ValidatingWebhookConfiguration has no metadata\.name/],
      [{ port: 1.5 }, /webhooks\.port is 1\.5/],
    ] as const) {
      assert.throws(() => resolveTestEnvWebhookOptions(value), (err: unknown) => err instanceof WebhookInstallError && message.test(err.message) && err.hint !== undefined, JSON.stringify(value));
    }
  });
});
