import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { eventually } from '../../src/testing/eventually.js';
import { startTestEnv, type TestEnv } from '../../src/testing/index.js';
import { defineResource, Manager, webhookManagedBy } from '../../src/runtime/index.js';
import { silentLogger } from '../../src/runtime/logging/silent-logger.js';
import { rawRequest, uniqueSuffix } from './helpers.js';
import { usingRealCluster, type ConformanceTarget } from './target.js';

/**
 * startTestEnv({ crds, webhooks }) with a CRD whose versions a webhook converts, as generate manifests writes it
 * (`clientConfig.service`, path /convert): the conversion is pointed at the test's Manager, which serves a hub
 * (v1) and a spoke (v1alpha1, `replicas` where v1 has `size`). On the embedded server and, with
 * OPERATOR_TS_CONFORMANCE_REAL=1, on the real cluster through useExistingCluster.
 */
describe('startTestEnv: CRD conversion webhooks', () => {
  const real = usingRealCluster();
  const run = uniqueSuffix();
  const group = `webhook-dev-${run}.test`;
  const ns = `webhook-dev-${run}`;
  type Widget = KubernetesObject & { spec?: Record<string, unknown> };
  const WidgetV1 = defineResource<Widget>({ group, version: 'v1', kind: 'Widget', plural: 'widgets' });
  const schema = (field: string) => ({ openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { [field]: { type: 'integer' } } } } } });
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
    spec: {
      group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        { name: 'v1alpha1', served: true, storage: false, schema: schema('replicas') },
        { name: 'v1', served: true, storage: true, schema: schema('size') },
      ],
      conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/convert' } }, conversionReviewVersions: ['v1'] } },
    },
  };
  let env: TestEnv;
  let stopManager: () => Promise<void>;
  const request = (method: string, path: string, body?: object) =>
    rawRequest(env as unknown as ConformanceTarget, { method, path, ...(body ? { contentType: 'application/json', body: JSON.stringify(body) } : {}) });
  const at = (version: string, name = '') => `/apis/${group}/${version}/namespaces/${ns}/widgets${name ? `/${name}` : ''}`;

  before(async () => {
    env = await startTestEnv({ useExistingCluster: real, crds: [crd], webhooks: {} });
    const { host, port, certDir } = env.webhookInstallOptions!;
    const manager = new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, defaultMetrics: false, healthProbeBindAddress: '127.0.0.1:0', webhook: { host, port, certDir } });
    webhookManagedBy(manager).for(WidgetV1).withConversion({
      hub: 'v1',
      spokes: {
        v1alpha1: {
          toHub: ({ spec: { replicas, ...rest } = {}, ...o }: Widget) => ({ ...o, spec: { ...rest, ...(replicas === undefined ? {} : { size: replicas }) } }),
          fromHub: ({ spec: { size, ...rest } = {}, ...o }: Widget) => ({ ...o, spec: { ...rest, ...(size === undefined ? {} : { replicas: size }) } }),
        },
      },
    }).complete();
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await manager.elected();
    stopManager = async () => {
      stop.abort();
      await running;
    };
    assert.equal((await request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  });
  after(async () => {
    if (env) await request('DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await stopManager?.();
    await env?.stop();
  });

  it('points the CRD at the local server with the CA, keeping its path', async () => {
    const w = env.webhookInstallOptions!;
    assert.deepEqual(w.conversionWebhookCrds, [`widgets.${group}`]);
    const stored = await request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`);
    assert.equal(stored.status, 200, stored.text);
    assert.deepEqual(stored.json.spec.conversion, {
      strategy: 'Webhook',
      webhook: { clientConfig: { url: `https://127.0.0.1:${w.port}/convert`, caBundle: w.caBundle }, conversionReviewVersions: ['v1'] },
    });
  });

  it('creates in the spoke, reads in the hub and back, through the Manager\'s conversion', async () => {
    // A real API server reaches a new CRD's conversion webhook a moment after the CRD is Established.
    const created = await eventually(async () => {
      const res = await request('POST', at('v1alpha1'), { apiVersion: `${group}/v1alpha1`, kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: 3 } });
      assert.equal(res.status, 201, res.text);
      return res.json;
    }, { timeoutMs: real ? 20_000 : 1_000, intervalMs: 200 });
    assert.equal(created.apiVersion, `${group}/v1alpha1`);
    assert.deepEqual(created.spec, { replicas: 3 });
    const hub = await request('GET', at('v1', 'w'));
    assert.equal(hub.status, 200, hub.text);
    assert.equal(hub.json.apiVersion, `${group}/v1`);
    assert.deepEqual(hub.json.spec, { size: 3 });
    const patched = await request('PUT', at('v1', 'w'), { ...hub.json, spec: { size: 5 } });
    assert.equal(patched.status, 200, patched.text);
    const spoke = await request('GET', at('v1alpha1', 'w'));
    assert.equal(spoke.status, 200, spoke.text);
    assert.equal(spoke.json.apiVersion, `${group}/v1alpha1`);
    assert.deepEqual(spoke.json.spec, { replicas: 5 });
  });
});
