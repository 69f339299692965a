import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, eventually, expectApiError, kubectlOk, rawRequest, uniqueSuffix } from './helpers.js';
import { installCrd, postCrd, removeCrd, widgetCrd, type WidgetCrd } from './crd-fixture.js';

describe('CustomResourceDefinitions', () => {
  let target: ConformanceTarget;
  let custom: CustomObjectsApi;
  let ns: string;
  let w: WidgetCrd;
  before(async () => {
    target = await startTarget();
    custom = target.kubeConfig.makeApiClient(CustomObjectsApi);
    ns = await createNamespace(target.kubeConfig, 'crd');
    w = widgetCrd();
    await installCrd(target, w.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, w.crd.metadata.name);
    await target.stop();
  });

  const ref = () => ({ group: w.group, version: w.version, namespace: ns, plural: w.plural });
  const widget = (name: string, spec: object) => ({ apiVersion: w.apiVersion, kind: w.kind, metadata: { name }, spec });

  it('sets Established and NamesAccepted and serves the resource in discovery', async () => {
    const crd = await target.kubeConfig.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: w.crd.metadata.name });
    const conditions = new Map(crd.status!.conditions!.map((c) => [c.type, c.status]));
    assert.equal(conditions.get('Established'), 'True');
    assert.equal(conditions.get('NamesAccepted'), 'True');
    assert.equal(crd.status!.acceptedNames!.kind, 'Widget');
    const discovery = await rawRequest(target, { method: 'GET', path: `/apis/${w.group}/v1` });
    const names = discovery.json.resources.map((r: any) => r.name);
    assert.ok(names.includes('widgets'));
    assert.ok(names.includes('widgets/status'));
  });

  it('applies schema defaults and prunes unknown fields on create', async () => {
    const created: any = await custom.createNamespacedCustomObject({ ...ref(), body: { ...widget('defaults', { size: 2, unknownField: 'x' }), topLevelJunk: 1 } });
    assert.deepEqual(created.spec, { size: 2, replicas: 1, maxReplicas: 3, mode: 'safe' });
    assert.equal(created.topLevelJunk, undefined);
    assert.equal(created.metadata.generation, 1);
  });

  it('answers 422 Invalid with the field path for schema violations', async () => {
    const status = await expectApiError(
      custom.createNamespacedCustomObject({ ...ref(), body: widget('too-big', { size: 11 }) }),
      422,
      'Invalid',
      /Widget\.conf[0-9a-f]+\.example\.com "too-big" is invalid: spec\.size: Invalid value: 11: spec\.size in body should be less than or equal to 10/,
    );
    assert.equal(status.details.name, 'too-big');
    assert.equal(status.details.kind, 'Widget');
    assert.ok(status.details.causes.some((c: any) => c.field === 'spec.size' && c.reason === 'FieldValueInvalid'));
    await expectApiError(custom.createNamespacedCustomObject({ ...ref(), body: widget('no-size', {}) }), 422, 'Invalid', /spec\.size: Required value/);
    await expectApiError(
      custom.createNamespacedCustomObject({ ...ref(), body: widget('bad-mode', { size: 1, mode: 'turbo' }) }),
      422,
      'Invalid',
      /spec\.mode: Unsupported value: "turbo": supported values: "fast", "safe"/,
    );
    await expectApiError(custom.createNamespacedCustomObject({ ...ref(), body: widget('bad-type', { size: 'big' }) }), 422, 'Invalid', /spec\.size: Invalid value: "string": spec\.size in body must be of type integer/);
  });

  it('enforces x-kubernetes-validations rules, transition rules only on update', async () => {
    await expectApiError(
      custom.createNamespacedCustomObject({ ...ref(), body: widget('cel', { size: 1, replicas: 5, maxReplicas: 3 }) }),
      422,
      'Invalid',
      /spec: Invalid value: "object": replicas must not exceed maxReplicas/,
    );
    const created: any = await custom.createNamespacedCustomObject({ ...ref(), body: widget('cel', { size: 1, mode: 'fast' }) });
    await expectApiError(
      custom.replaceNamespacedCustomObject({ ...ref(), name: 'cel', body: { ...created, spec: { ...created.spec, mode: 'safe' } } }),
      422,
      'Invalid',
      /spec: Invalid value: "object": mode is immutable/,
    );
    const updated: any = await custom.replaceNamespacedCustomObject({ ...ref(), name: 'cel', body: { ...created, spec: { ...created.spec, size: 4 } } });
    assert.equal(updated.spec.size, 4);
    assert.equal(updated.metadata.generation, 2);
  });

  it('status subresource: the main endpoint ignores status, /status ignores everything else', async () => {
    const created: any = await custom.createNamespacedCustomObject({ ...ref(), body: { ...widget('st', { size: 1 }), status: { phase: 'Ignored' } } });
    assert.equal(created.status, undefined);
    const withStatus: any = await custom.replaceNamespacedCustomObjectStatus({
      ...ref(),
      name: 'st',
      body: { ...created, spec: { ...created.spec, size: 9 }, status: { phase: 'Ready' } },
    });
    assert.equal(withStatus.status.phase, 'Ready');
    assert.equal(withStatus.spec.size, 1, '/status must not change spec');
    assert.equal(withStatus.metadata.generation, 1, 'a status write does not bump generation');
    const mainWrite: any = await custom.replaceNamespacedCustomObject({ ...ref(), name: 'st', body: { ...withStatus, status: { phase: 'Hacked' } } });
    assert.equal(mainWrite.status.phase, 'Ready', 'the main endpoint must not change status');
  });

  it('kubectl reads custom objects and waits on CRD conditions', async () => {
    await custom.createNamespacedCustomObject({ ...ref(), body: widget('kctl', { size: 3 }) });
    const out = JSON.parse(await kubectlOk(target, ['get', `widgets.${w.group}`, 'kctl', '-n', ns, '-o', 'json']));
    assert.equal(out.spec.size, 3);
    await kubectlOk(target, ['wait', '--for=condition=Established', `crd/${w.crd.metadata.name}`, '--timeout=20s']);
  });

  it('refuses a CRD whose CEL rule does not compile, with a message naming the rule', async () => {
    const broken = widgetCrd(uniqueSuffix());
    (broken.crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec as any)['x-kubernetes-validations'] = [{ rule: 'self.size >' }];
    const res = await postCrd(target, broken.crd);
    assert.equal(res.status, 422, res.text);
    assertStatus(res.json, 422, 'Invalid', /x-kubernetes-validations\[0\]/);
    const status = res.json;
    assert.match(status.message, /compil/);
  });

  it('deleting the CRD stops serving its resource', async () => {
    const other = widgetCrd(uniqueSuffix());
    await installCrd(target, other.crd);
    await custom.createNamespacedCustomObject({ group: other.group, version: 'v1', namespace: ns, plural: 'widgets', body: { apiVersion: other.apiVersion, kind: 'Widget', metadata: { name: 'x' }, spec: { size: 1 } } });
    await removeCrd(target.kubeConfig, other.crd.metadata.name);
    await eventually('the resource to disappear', async () => {
      const res = await rawRequest(target, { method: 'GET', path: `/apis/${other.group}/v1/namespaces/${ns}/widgets` });
      return res.status === 404 ? res : undefined;
    }, 400);
  });
});
