/**
 * The conversion side of startTestEnv({ webhooks }): which CRDs are pointed at the test's webhook server and how,
 * what happens to a CRD that was on an existing cluster before, and the warning when nothing serves a conversion.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteConversionWebhooks } from '../../../src/testing/webhook/conversion.js';
import { startTestEnv, startTestServer, WebhookInstallError } from '../../../src/testing/index.js';
import { UNSERVED_CONVERSION_WARNING } from '../../../src/testing/test-env.js';

function crd(name: string, conversion?: object): any {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${name}s.example.com` },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: `${name}s`, singular: name, kind: name[0]!.toUpperCase() + name.slice(1), listKind: `${name[0]!.toUpperCase()}${name.slice(1)}List` },
      versions: [
        { name: 'v1alpha1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      ],
      ...(conversion ? { conversion } : {}),
    },
  };
}
const serviceConversion = (path?: string) => ({
  strategy: 'Webhook',
  webhook: { clientConfig: { service: { name: 'webhook-service', namespace: 'system', ...(path === undefined ? {} : { path }) } }, conversionReviewVersions: ['v1'] },
});

describe('rewriteConversionWebhooks', () => {
  const origin = 'https://127.0.0.1:9443';

  it('turns a service reference into url + caBundle, keeping the path, else /convert; leaves other CRDs as they are', () => {
    const none = crd('plain', { strategy: 'None' });
    const bare = crd('bare');
    const [a, b, c, d] = rewriteConversionWebhooks([crd('widget', serviceConversion('/convert-widgets')), crd('gadget', serviceConversion()), none, bare], origin, 'Q0E=') as any[];
    assert.deepEqual(a.spec.conversion, { strategy: 'Webhook', webhook: { clientConfig: { url: `${origin}/convert-widgets`, caBundle: 'Q0E=' }, conversionReviewVersions: ['v1'] } });
    assert.deepEqual(b.spec.conversion.webhook.clientConfig, { url: `${origin}/convert`, caBundle: 'Q0E=' });
    assert.equal(c, none);
    assert.equal(d, bare);
  });

  it('keeps a url that is already there and gives it the CA; does not change its input', () => {
    const given = crd('widget', { strategy: 'Webhook', webhook: { clientConfig: { url: 'https://10.0.0.1:8443/convert' }, conversionReviewVersions: ['v1'] } });
    const [out] = rewriteConversionWebhooks([given], origin, 'Q0E=') as any[];
    assert.deepEqual(out.spec.conversion.webhook.clientConfig, { url: 'https://10.0.0.1:8443/convert', caBundle: 'Q0E=' });
    assert.deepEqual(given.spec.conversion.webhook.clientConfig, { url: 'https://10.0.0.1:8443/convert' });
  });

  it('a Webhook strategy without webhook gets one pointing at /convert', () => {
    const [out] = rewriteConversionWebhooks([crd('widget', { strategy: 'Webhook' })], origin, 'Q0E=') as any[];
    assert.deepEqual(out.spec.conversion.webhook, { clientConfig: { url: `${origin}/convert`, caBundle: 'Q0E=' } });
  });

  it('refuses a webhook or clientConfig that is not an object, naming the CRD', () => {
    assert.throws(() => rewriteConversionWebhooks([crd('widget', { strategy: 'Webhook', webhook: 'yes' })], origin, ''),
      (err: unknown) => err instanceof WebhookInstallError && /CRD widgets\.example\.com: spec\.conversion\.webhook must be an object, got "yes"/.test(err.message) && err.hint !== undefined);
    assert.throws(() => rewriteConversionWebhooks([crd('widget', { strategy: 'Webhook', webhook: { clientConfig: [] } })], origin, ''),
      /CRD widgets\.example\.com: spec\.conversion\.webhook\.clientConfig must be an object, got \[\]/);
  });
});

describe('startTestEnv and CRD conversion webhooks', () => {
  it('with webhooks, installs the CRD pointed at webhookInstallOptions and lists it there', async () => {
    const env = await startTestEnv({ crds: [crd('widget', serviceConversion('/convert')), crd('plain')], webhooks: {} });
    try {
      const w = env.webhookInstallOptions!;
      assert.deepEqual(w.conversionWebhookCrds, ['widgets.example.com']);
      const stored = await (await fetch(`${env.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com`)).json() as any;
      assert.deepEqual(stored.spec.conversion.webhook.clientConfig, { url: `https://127.0.0.1:${w.port}/convert`, caBundle: w.caBundle });
    } finally {
      await env.stop();
    }
  });

  it('without webhooks, installs the CRD as given and warns that its other versions cannot be converted', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const env = await startTestServer({ crds: [crd('widget', serviceConversion('/convert'))] });
      try {
        const stored = await (await fetch(`${env.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com`)).json() as any;
        assert.deepEqual(stored.spec.conversion.webhook.clientConfig.service.name, 'webhook-service');
        // A write in the other version fails, as the warning says.
        const res = await fetch(`${env.url}/apis/example.com/v1alpha1/namespaces/default/widgets`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiVersion: 'example.com/v1alpha1', kind: 'Widget', metadata: { name: 'w' } }),
        });
        assert.equal(res.status, 500);
        assert.match(((await res.json()) as { message: string }).message, /conversion webhook for example\.com\/v1alpha1, Kind=Widget failed: .*service "webhook-service" not found/);
        // The warning is emitted on the next tick.
        await new Promise((r) => setImmediate(r));
        const warning = warnings.find((w) => (w as { code?: string }).code === UNSERVED_CONVERSION_WARNING);
        assert.ok(warning, `warned: ${warnings.map(String).join('; ')}`);
        assert.match(warning.message, /CRD widgets\.example\.com converts between versions with a webhook .* no webhooks were asked for \(startTestEnv without webhooks, or operator-ts testenv\)/);
        assert.match(warning.message, /In a test, pass webhooks: \{ paths: \['config\/webhook'\] \}.*use operator-ts dev \(npm run dev\)/);
      } finally {
        await env.stop();
      }
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('useExistingCluster: a CRD that was there before gets its own spec.conversion back on stop(); one it created is deleted', async () => {
    const host = await startTestServer({ crds: [crd('widget', { strategy: 'None' })] });
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = host.kubeconfigPath;
    try {
      const env = await startTestEnv({ useExistingCluster: true, crds: [crd('widget', serviceConversion('/convert')), crd('gadget', serviceConversion())], webhooks: {} });
      const read = async (name: string) => (await fetch(`${host.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)).json() as Promise<any>;
      assert.equal((await read('widgets.example.com')).spec.conversion.webhook.clientConfig.url, `https://127.0.0.1:${env.webhookInstallOptions!.port}/convert`);
      await env.stop();
      assert.deepEqual((await read('widgets.example.com')).spec.conversion, { strategy: 'None' });
      assert.equal((await read('gadgets.example.com')).code, 404);
    } finally {
      process.env.KUBECONFIG = saved;
      await host.stop();
    }
  });
});
