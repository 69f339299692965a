import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, formatFieldError } from '../../../src/testing/validation/index.js';

const item = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string', maxLength: 3 } } };
const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      'x-kubernetes-validations': [{ rule: 'self.size <= 5', message: 'size at most 5' }, { rule: 'self.size >= oldSelf.size', message: 'size may not shrink' }],
      properties: {
        size: { type: 'integer' },
        name: { type: 'string', maxLength: 3 },
        other: { type: 'string' },
        keyed: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: item },
        atomic: { type: 'array', items: item },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      },
    },
  },
};
const compiled = compileCrdSchema(schema, { kind: 'Widget' });
const widget = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
const messages = (obj: object, old?: object) => compiled.validate(obj, old).map(formatFieldError);

describe('CRD validation ratcheting', () => {
  const stale = widget({ size: 1, name: 'toolong', other: 'a' });

  it('reports an invalid value on create', () => {
    assert.deepEqual(messages(stale), ['spec.name: Too long: may not be more than 3 bytes']);
  });

  it('keeps quiet about an unchanged invalid value when another field changes', () => {
    assert.deepEqual(messages(widget({ size: 1, name: 'toolong', other: 'b' }), stale), []);
  });

  it('reports an invalid value that changed to another invalid value', () => {
    assert.deepEqual(messages(widget({ size: 1, name: 'toolonger', other: 'a' }), stale), ['spec.name: Too long: may not be more than 3 bytes']);
  });

  it('correlates map-list items by key, wherever they moved', () => {
    const old = widget({ size: 1, keyed: [{ name: 'a', value: 'long' }, { name: 'b', value: 'ok' }] });
    assert.deepEqual(messages(widget({ size: 1, keyed: [{ name: 'b', value: 'new' }, { name: 'a', value: 'long' }] }), old), []);
    assert.deepEqual(messages(widget({ size: 1, keyed: [{ name: 'b', value: 'ok' }, { name: 'a', value: 'longer' }] }), old), ['spec.keyed[1].value: Too long: may not be more than 3 bytes']);
  });

  it('does not correlate atomic-list items: a changed list reports every invalid item', () => {
    const old = widget({ size: 1, atomic: [{ name: 'a', value: 'long' }] });
    assert.deepEqual(messages(widget({ size: 1, atomic: [{ name: 'a', value: 'long' }], other: 'x' }), old), []);
    assert.deepEqual(messages(widget({ size: 1, atomic: [{ name: 'a', value: 'long' }, { name: 'b' }] }), old), ['spec.atomic[0].value: Too long: may not be more than 3 bytes']);
  });

  it('reports a missing required field on a changed object', () => {
    const old = widget({ size: 1, atomic: [{ value: 'ab' }] });
    assert.deepEqual(messages(widget({ size: 1, atomic: [{ value: 'ab' }], other: 'x' }), old), []);
    assert.deepEqual(messages(widget({ size: 1, atomic: [{ value: 'abc' }] }), old), ['spec.atomic[0].name: Required value']);
  });

  it('ratchets rules without oldSelf on unchanged values, never transition rules', () => {
    const old = widget({ size: 9, other: 'a', keyed: [{ name: 'a' }] });
    assert.deepEqual(messages(widget({ size: 9, other: 'a', keyed: [{ name: 'a' }] }), old), []);
    // spec changed, so its rules run; the transition rule has no say here since size did not shrink.
    assert.deepEqual(messages(widget({ size: 9, other: 'b', keyed: [{ name: 'a' }] }), old), ['spec: Invalid value: "object": size at most 5']);
    assert.deepEqual(messages(widget({ size: 8, other: 'a', keyed: [{ name: 'a' }] }), widget({ size: 9 })), ['spec: Invalid value: "object": size at most 5', 'spec: Invalid value: "object": size may not shrink']);
  });

  it('lets an object keep duplicates it already had, and refuses new ones', () => {
    const old = widget({ size: 1, tags: ['a', 'a'] });
    assert.deepEqual(messages(widget({ size: 1, tags: ['a', 'a', 'b'] }), old), []);
    assert.deepEqual(messages(widget({ size: 1, tags: ['a', 'a'] }), widget({ size: 1, tags: ['a'] })), ['spec.tags[1]: Duplicate value: "a"']);
  });
});
