import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, recordUpdateOwnership } from '../../../src/testing/patch/index.js';

const now = new Date('2026-01-01T00:00:00Z');
const fieldsOf = (object: any, manager: string) => object.metadata.managedFields.find((entry: any) => entry.manager === manager)?.fieldsV1;

describe('update ownership of containers that appear', () => {
  it('owns a created ConfigMap\'s data and labels maps with ".", but not metadata', () => {
    const created = recordUpdateOwnership({
      previous: undefined,
      next: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'x' } }, data: { a: '1' } },
      manager: 'creator',
      now,
    });
    const fields = fieldsOf(created, 'creator');
    assert.deepEqual(fields, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:data': { '.': {}, 'f:a': {} } });
    assert.deepEqual(Object.keys(fields['f:data']), ['.', 'f:a'], '"." comes first, as the server writes it');
  });

  it('owns a custom resource\'s spec map but not a Deployment\'s spec struct', () => {
    const cr = recordUpdateOwnership({ previous: undefined, next: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } }, manager: 'm', now });
    assert.deepEqual(fieldsOf(cr, 'm'), { 'f:spec': { '.': {}, 'f:size': {} } });
    const deployment = recordUpdateOwnership({
      previous: undefined,
      next: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } },
      manager: 'm',
      now,
    });
    assert.deepEqual(fieldsOf(deployment, 'm'), {
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:name': {}, 'f:image': {} } } } } },
    });
  });

  it('keeps a container it owns while the container stays, and drops it when it goes', () => {
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    const created = recordUpdateOwnership({ previous: undefined, next: { ...base, data: { a: '1', b: '2' } }, manager: 'creator', now });
    const updated = recordUpdateOwnership({ previous: created, next: { ...(created as any), data: { a: '1', b: '3' } }, manager: 'editor', now });
    assert.deepEqual(fieldsOf(updated, 'creator'), { 'f:data': { '.': {}, 'f:a': {} } });
    assert.deepEqual(fieldsOf(updated, 'editor'), { 'f:data': { 'f:b': {} } });
    const { data: _data, ...withoutData } = updated as any;
    const emptied = recordUpdateOwnership({ previous: updated, next: withoutData, manager: 'editor', now });
    assert.equal((emptied as any).metadata.managedFields, undefined);
  });

  it('records an applier of unchanged values as a co-owner next to the creator', () => {
    const created = recordUpdateOwnership({ previous: undefined, next: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } }, manager: 'creator', now });
    const applied = applyPatch({
      current: created,
      patch: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } },
      type: 'apply',
      fieldManager: 'applier',
      now,
    }) as any;
    assert.deepEqual(applied.data, { a: '1', b: '2' });
    // The server lists Apply entries before Update entries.
    assert.deepEqual(applied.metadata.managedFields.map((entry: any) => [entry.manager, entry.operation]), [['applier', 'Apply'], ['creator', 'Update']]);
    assert.deepEqual(fieldsOf(applied, 'creator'), { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } });
    assert.deepEqual(fieldsOf(applied, 'applier'), { 'f:data': { 'f:a': {} } });
  });
});
