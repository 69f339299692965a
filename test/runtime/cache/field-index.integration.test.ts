import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { defineResource } from '../../../src/runtime/resource.js';
import { ConfigMap, Secret } from '../../../src/runtime/builtin-resources.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { eventually } from '../controller/fixtures.js';

interface App extends KubernetesObject {
  spec?: { secretRef?: string };
}
const App = defineResource<App>({ group: 'index.operator-ts.dev', version: 'v1', kind: 'App', plural: 'apps' });
const appCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'apps.index.operator-ts.dev' },
  spec: {
    group: 'index.operator-ts.dev',
    scope: 'Namespaced',
    names: { plural: 'apps', singular: 'app', kind: 'App', listKind: 'AppList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { secretRef: { type: 'string' } } } } } } }],
  },
};

test('a CR referencing a Secret is reconciled when that Secret changes (watches + a map listing by field index)', async () => {
  const env = await startTestEnv({ crds: [appCrd] });
  try {
    const ns = 'field-index';
    env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const manager = new Manager({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger });
    manager.fieldIndexer.indexField(App, 'spec.secretRef', (app) => (app.spec?.secretRef ? [app.spec.secretRef] : []));
    /** app name → the Secret data each reconcile saw. */
    const seen = new Map<string, string[]>();
    controllerManagedBy(manager)
      .for(App)
      .watches(Secret, async (secret) => {
        const apps = await manager.client.list(App, { namespace: secret.metadata?.namespace, matchingFields: { 'spec.secretRef': secret.metadata?.name ?? '' } });
        return apps.map((a) => ({ namespace: a.metadata!.namespace!, name: a.metadata!.name! }));
      })
      .complete({
        async reconcile(req, ctx) {
          const app = await ctx.client.get(App, req);
          const ref = app?.spec?.secretRef;
          const secret = ref ? await ctx.client.get(Secret, req.namespace, ref) : undefined;
          seen.set(req.name, [...(seen.get(req.name) ?? []), secret?.stringData?.v ?? Buffer.from(secret?.data?.v ?? '', 'base64').toString()]);
        },
      });
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    try {
      const client = manager.client;
      await client.create(Secret, { metadata: { name: 's1', namespace: ns }, data: { v: Buffer.from('one').toString('base64') } });
      await client.create(App, { metadata: { name: 'a1', namespace: ns }, spec: { secretRef: 's1' } });
      await client.create(App, { metadata: { name: 'a2', namespace: ns }, spec: { secretRef: 's2' } });
      await eventually(() => (seen.get('a1')?.includes('one') && seen.has('a2') ? true : undefined), 'a1 and a2 reconciled once');
      const a2Before = seen.get('a2')!.length;

      await client.patch(Secret, ns, 's1', { data: { v: Buffer.from('two').toString('base64') } });
      await eventually(() => (seen.get('a1')?.includes('two') ? true : undefined), 'a1 reconciled after its Secret changed');

      // A later event on the same Secret watch: once it has been mapped, the s1 change has been too, and a2
      // (which references s2) was not reconciled for it.
      await client.create(Secret, { metadata: { name: 's2', namespace: ns }, data: { v: Buffer.from('three').toString('base64') } });
      await eventually(() => (seen.get('a2')?.includes('three') ? true : undefined), 'a2 reconciled after its own Secret appeared');
      assert.equal(seen.get('a2')!.length, a2Before + 1, 'a2 was reconciled once, for s2, not for s1');

      // The index follows the CR: a1 now references s2.
      await client.patch(App, ns, 'a1', { spec: { secretRef: 's2' } });
      await eventually(async () => ((await client.list(App, { matchingFields: { 'spec.secretRef': 's2' } })).length === 2 ? true : undefined), 'a1 indexed under s2');
      assert.deepEqual(await client.list(App, { namespace: ns, matchingFields: { 'spec.secretRef': 's1' } }), []);
    } finally {
      ac.abort();
      await running;
    }
  } finally {
    await env.stop();
  }
});

test('the uncached reader sends matchingFields to the server as a fieldSelector', async () => {
  const env = await startTestEnv();
  try {
    for (const name of ['x', 'y']) env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    const manager = new Manager({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger });
    const found = await manager.apiReader.list(ConfigMap, { matchingFields: { 'metadata.name': 'y' } });
    assert.deepEqual(found.map((c) => c.metadata?.name), ['y']);
    const both = await manager.apiReader.list(ConfigMap, { fieldSelector: 'metadata.namespace=default', matchingFields: { 'metadata.name': 'x' } });
    assert.deepEqual(both.map((c) => c.metadata?.name), ['x']);
  } finally {
    await env.stop();
  }
});
