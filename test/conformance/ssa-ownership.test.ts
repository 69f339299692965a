import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PatchStrategy } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { createNamespace, deleteNamespace, rawRequest } from './helpers.js';
import { installCrd, removeCrd, widgetCrd, type WidgetCrd } from './crd-fixture.js';

/**
 * Who owns what after create, update and apply, as metadata.managedFields records it: containers a write
 * makes appear carry `".": {}`, an applier of unchanged values becomes a co-owner, an update takes over
 * only the fields it changes.
 */
describe('server-side apply ownership', () => {
  let target: ConformanceTarget;
  let ns: string;
  let w: WidgetCrd;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'ssaown');
    w = widgetCrd();
    await installCrd(target, w.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, w.crd.metadata.name);
    await target.stop();
  });

  const send = (method: string, path: string, contentType: string, body: object) =>
    rawRequest(target, { method, path, contentType, body: JSON.stringify(body) });
  const entries = (object: any) => (object.metadata.managedFields ?? []).map((e: any) => ({ manager: e.manager, operation: e.operation, fieldsV1: e.fieldsV1 }));

  it('records the creator with "." on the maps it created, then an applier of unchanged values as co-owner', async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const created = await send('POST', `${path}?fieldManager=creator`, 'application/json', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owned', labels: { app: 'x' } },
      data: { a: '1', b: '2' },
    });
    assert.equal(created.status, 201, created.text);
    const creatorFields = { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } };
    assert.deepEqual(entries(created.json), [{ manager: 'creator', operation: 'Update', fieldsV1: creatorFields }]);

    const applied = await send('PATCH', `${path}/owned?fieldManager=applier`, PatchStrategy.ServerSideApply, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owned', labels: { app: 'x' } },
      data: { a: '1' },
    });
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(applied.json.data, { a: '1', b: '2' });
    // managedFields are ordered by operation (Apply first), then time, then manager.
    assert.deepEqual(entries(applied.json), [
      { manager: 'applier', operation: 'Apply', fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } } },
      { manager: 'creator', operation: 'Update', fieldsV1: creatorFields },
    ]);
  });

  it('gives a custom resource\'s creator its spec map, and an update only the fields it changed', async () => {
    const path = `/apis/${w.group}/v1/namespaces/${ns}/widgets`;
    const spec = { size: 1, replicas: 1, maxReplicas: 3, mode: 'safe' };
    const created = await send('POST', `${path}?fieldManager=creator`, 'application/json', { apiVersion: w.apiVersion, kind: w.kind, metadata: { name: 'w1' }, spec });
    assert.equal(created.status, 201, created.text);
    const specFields = { 'f:size': {}, 'f:replicas': {}, 'f:maxReplicas': {}, 'f:mode': {} };
    assert.deepEqual(entries(created.json), [{ manager: 'creator', operation: 'Update', fieldsV1: { 'f:spec': { '.': {}, ...specFields } } }]);

    const edited = await send('PATCH', `${path}/w1?fieldManager=editor`, PatchStrategy.MergePatch, { spec: { size: 2 } });
    assert.equal(edited.status, 200, edited.text);
    const { 'f:size': _size, ...restOfSpec } = specFields;
    assert.deepEqual(entries(edited.json), [
      { manager: 'creator', operation: 'Update', fieldsV1: { 'f:spec': { '.': {}, ...restOfSpec } } },
      { manager: 'editor', operation: 'Update', fieldsV1: { 'f:spec': { 'f:size': {} } } },
    ]);

    const applied = await send('PATCH', `${path}/w1?fieldManager=applier`, PatchStrategy.ServerSideApply, {
      apiVersion: w.apiVersion,
      kind: w.kind,
      metadata: { name: 'w1' },
      spec: { size: 2, mode: 'safe' },
    });
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(entries(applied.json).map((e: any) => e.manager), ['applier', 'creator', 'editor']);
    assert.deepEqual(entries(applied.json)[0].fieldsV1, { 'f:spec': { 'f:size': {}, 'f:mode': {} } });
    assert.deepEqual(entries(applied.json)[1].fieldsV1, { 'f:spec': { '.': {}, ...restOfSpec } }, 'co-owning leaves the creator its fields');
    assert.deepEqual(entries(applied.json)[2].fieldsV1, { 'f:spec': { 'f:size': {} } }, 'co-owning leaves the editor its field');
  });
});
