import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, listTypesFromSchema } from '../../../src/testing/patch/index.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        backends: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['host'],
          items: { type: 'object', properties: { host: { type: 'string' }, weight: { type: 'integer' } } },
        },
        zones: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        containers: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        routes: { type: 'object', additionalProperties: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } },
      },
    },
  },
};
const listTypes = listTypesFromSchema(schema);
const cr = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Proxy', metadata: { name: 'p' }, spec });
const apply = (current: object | undefined, intent: object, manager: string, force = false) =>
  applyPatch({ type: 'apply', current, patch: intent, fieldManager: manager, force, listTypes }) as any;

describe('listTypesFromSchema', () => {
  it('reads map, set and atomic lists, through additionalProperties, and falls back outside the schema', () => {
    assert.deepEqual(listTypes(['spec', 'backends']), { kind: 'map', keys: ['host'] });
    assert.deepEqual(listTypes(['spec', 'zones']), { kind: 'set' });
    assert.equal(listTypes(['spec', 'containers']), 'atomic');
    assert.deepEqual(listTypes(['spec', 'routes', 'anykey']), { kind: 'set' });
    assert.equal(listTypes(['spec', 'unknown']), undefined);
    assert.equal(listTypes(['spec']), undefined);
  });
});

describe('server-side apply with a CRD schema', () => {
  it('merges x-kubernetes-list-type map items by their keys across managers', () => {
    const first = apply(undefined, cr({ backends: [{ host: 'a', weight: 1 }] }), 'ctrl-a');
    const both = apply(first, cr({ backends: [{ host: 'b', weight: 2 }] }), 'ctrl-b');
    assert.deepEqual(both.spec.backends, [{ host: 'a', weight: 1 }, { host: 'b', weight: 2 }]);
    const entry = both.metadata.managedFields.find((e: any) => e.manager === 'ctrl-b');
    assert.deepEqual(entry.fieldsV1['f:spec']['f:backends'], { 'k:{"host":"b"}': { '.': {}, 'f:host': {}, 'f:weight': {} } });
  });
  it('treats a list without list-type as atomic even when its field name is a built-in merge key', () => {
    const first = apply(undefined, cr({ containers: [{ name: 'x' }] }), 'ctrl-a');
    const conflict = () => apply(first, cr({ containers: [{ name: 'y' }] }), 'ctrl-b');
    assert.throws(conflict, /conflict with "ctrl-a": \.spec\.containers/);
    const forced = apply(first, cr({ containers: [{ name: 'y' }] }), 'ctrl-b', true);
    assert.deepEqual(forced.spec.containers, [{ name: 'y' }]);
  });
  it('unions set lists and removes only the values a manager stops applying', () => {
    const first = apply(undefined, cr({ zones: ['a', 'b'] }), 'ctrl-a');
    const both = apply(first, cr({ zones: ['c'] }), 'ctrl-b');
    assert.deepEqual(both.spec.zones, ['a', 'b', 'c']);
    const dropped = apply(both, cr({ zones: ['a'] }), 'ctrl-a');
    assert.deepEqual(dropped.spec.zones, ['a', 'c']);
  });
});
