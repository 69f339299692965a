import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiextensionsV1Api, CustomObjectsApi, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { TestEnv } from '../../../src/testing/index.js';
import { rawRequest, rejectsWithStatus, testEnv, widgetCrd } from '../helpers.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const widgets = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };

describe('custom resources', () => {
  let env: TestEnv;
  let custom: CustomObjectsApi;
  let crds: ApiextensionsV1Api;
  before(async () => {
    env = await testEnv();
    custom = env.kubeConfig.makeApiClient(CustomObjectsApi);
    crds = env.kubeConfig.makeApiClient(ApiextensionsV1Api);
  });
  after(() => env.stop());

  it('serves a CRD\'s resources once it is created, with Established and NamesAccepted', async () => {
    const before = await rawRequest(env, 'GET', '/apis/example.com/v1/namespaces/default/widgets');
    assert.equal(before.code, 404);
    // Raw JSON on purpose: client-node's ApiextensionsV1Api serializer drops `default`, `enum` and
    // `x-kubernetes-validations` from plain objects (its model names them _default, _enum, ...).
    const response = await rawRequest(env, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: JSON.stringify(widgetCrd), contentType: 'application/json' });
    assert.equal(response.code, 201);
    const crd = await crds.readCustomResourceDefinition({ name: 'widgets.example.com' });
    const types = crd.status!.conditions!.filter((c) => c.status === 'True').map((c) => c.type);
    assert.deepEqual(types.sort(), ['Established', 'NamesAccepted']);
    assert.equal(crd.status!.acceptedNames!.singular, 'widget');
    assert.deepEqual(crd.status!.storedVersions, ['v1']);
    const groups = await rawRequest(env, 'GET', '/apis');
    const group = groups.body.groups.find((g: any) => g.name === 'example.com');
    assert.equal(group.preferredVersion.version, 'v1');
    assert.deepEqual(group.versions.map((v: any) => v.version), ['v1', 'v1beta1']);
    const resources = await rawRequest(env, 'GET', '/apis/example.com/v1');
    const names = resources.body.resources.map((r: any) => r.name);
    assert.deepEqual(names, ['widgets', 'widgets/status']);
    assert.deepEqual(resources.body.resources[0].shortNames, ['wd']);
  });

  it('creates custom objects with defaults applied and validates them against the schema', async () => {
    const created: any = await custom.createNamespacedCustomObject({ ...widgets, body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { mode: 'a', unknown: 1 } } });
    assert.equal(created.spec.size, 1, 'default applied');
    assert.equal(created.spec.unknown, undefined, 'unknown field pruned');
    const status = await rejectsWithStatus(
      custom.createNamespacedCustomObject({ ...widgets, body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 11 } } }),
      422, 'Invalid', 'Widget.example.com "w2" is invalid: spec.size',
    );
    assert.equal(status.details.causes[0].field, 'spec.size');
  });

  it('refuses unknown fields with fieldValidation=Strict (what kubectl sends) instead of dropping them', async () => {
    const body = JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'strict' }, spec: { size: 2, colour: 'red' } });
    const refused = await rawRequest(env, 'POST', '/apis/example.com/v1/namespaces/default/widgets?fieldValidation=Strict', { body, contentType: 'application/json' });
    assert.equal(refused.code, 400);
    assert.match(refused.body.message, /strict decoding error: unknown field "spec.colour"/);
    const ignored = await rawRequest(env, 'POST', '/apis/example.com/v1/namespaces/default/widgets?fieldValidation=Ignore', { body, contentType: 'application/json' });
    assert.equal(ignored.code, 201);
    assert.equal(ignored.body.spec.colour, undefined);
    await custom.deleteNamespacedCustomObject({ ...widgets, name: 'strict' });
  });

  it('bumps generation on spec changes only and keeps status behind the status subresource', async () => {
    const base: any = await custom.getNamespacedCustomObject({ ...widgets, name: 'w1' });
    const spec: any = await custom.patchNamespacedCustomObject({ ...widgets, name: 'w1', body: { spec: { size: 3 }, status: { ready: true } } }, MERGE);
    assert.equal(spec.metadata.generation, base.metadata.generation + 1);
    assert.equal(spec.status, undefined, 'main endpoint ignores status');
    const labelled: any = await custom.patchNamespacedCustomObject({ ...widgets, name: 'w1', body: { metadata: { labels: { x: 'y' } } } }, MERGE);
    assert.equal(labelled.metadata.generation, spec.metadata.generation);
    const withStatus: any = await custom.patchNamespacedCustomObjectStatus({ ...widgets, name: 'w1', body: { spec: { size: 9 }, status: { ready: true, observedGeneration: 2 } } }, MERGE);
    assert.equal(withStatus.status.ready, true);
    assert.equal(withStatus.spec.size, 3, '/status ignores spec');
    assert.equal(withStatus.metadata.generation, spec.metadata.generation);
  });

  it('refuses strategic merge patches for custom resources with 415', async () => {
    const response = await rawRequest(env, 'PATCH', '/apis/example.com/v1/namespaces/default/widgets/w1', { body: '{"spec":{"size":2}}', contentType: 'application/strategic-merge-patch+json' });
    assert.equal(response.code, 415);
    assert.equal(response.body.reason, 'UnsupportedMediaType');
  });

  it('serves every served version from one storage', async () => {
    const viaBeta = await rawRequest(env, 'GET', '/apis/example.com/v1beta1/namespaces/default/widgets/w1');
    assert.equal(viaBeta.code, 200);
    assert.equal(viaBeta.body.apiVersion, 'example.com/v1beta1');
    assert.equal(viaBeta.body.spec.size, 3);
  });

  it('works with KubernetesObjectApi (discovery-based generic client), including server-side apply', async () => {
    const objects = KubernetesObjectApi.makeApiClient(env.kubeConfig);
    const applied: any = await objects.patch(
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'applied', namespace: 'default' }, spec: { size: 4 } },
      undefined, undefined, 'my-controller', true, PatchStrategy.ServerSideApply,
    );
    assert.equal(applied.spec.size, 4);
    assert.equal(applied.metadata.managedFields[0].manager, 'my-controller');
    const read: any = await objects.read({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'applied', namespace: 'default' } });
    assert.equal(read.metadata.uid, applied.metadata.uid);
    const list = await objects.list('example.com/v1', 'Widget', 'default');
    assert.deepEqual(list.items.map((i) => i.metadata!.name).sort(), ['applied', 'w1']);
  });

  it('refuses a CRD whose schema does not compile, with 422', async () => {
    const bad = structuredClone(widgetCrd) as any;
    bad.metadata.name = 'gadgets.example.com';
    bad.spec.names = { kind: 'Gadget', plural: 'gadgets' };
    bad.spec.versions = [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.spec.size >' }] } } }];
    const refused = await rawRequest(env, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: JSON.stringify(bad), contentType: 'application/json' });
    assert.equal(refused.code, 422);
    assert.equal(refused.body.reason, 'Invalid');
    assert.match(refused.body.message, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Invalid value: .*does not compile/);
    const noStorage = structuredClone(widgetCrd) as any;
    noStorage.metadata.name = 'things.example.com';
    noStorage.spec.names = { kind: 'Thing', plural: 'things' };
    noStorage.spec.versions = noStorage.spec.versions.map((v: any) => ({ ...v, storage: false }));
    await rejectsWithStatus(crds.createCustomResourceDefinition({ body: noStorage }), 422, 'Invalid', 'exactly one version marked as storage');
  });

  it('stops serving the resource and deletes its objects when the CRD is deleted', async () => {
    await crds.deleteCustomResourceDefinition({ name: 'widgets.example.com' });
    await rejectsWithStatus(crds.readCustomResourceDefinition({ name: 'widgets.example.com' }), 404, 'NotFound');
    const after = await rawRequest(env, 'GET', '/apis/example.com/v1/namespaces/default/widgets');
    assert.equal(after.code, 404);
    // Re-creating the CRD starts empty.
    await rawRequest(env, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: JSON.stringify(widgetCrd), contentType: 'application/json' });
    const list: any = await custom.listNamespacedCustomObject(widgets);
    assert.deepEqual(list.items, []);
  });
});
