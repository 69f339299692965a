import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema } from '../../../src/testing/validation/index.js';

const compiled = compileCrdSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'fast' },
        note: { type: 'string', nullable: true, default: 'n' },
        resources: { type: 'object', properties: { cpu: { type: 'string', default: '100m' } } },
        defaulted: { type: 'object', default: {}, properties: { inner: { type: 'string', default: 'deep' } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 10 } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        labels: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
      },
    },
  },
});

describe('applyDefaults', () => {
  it('fills absent fields of present objects, recursing into defaults it sets', () => {
    const obj: any = { metadata: { name: 'x', labels: { keep: 'me' } }, spec: { items: [{ name: 'a' }, { name: 'b', weight: 3 }] } };
    compiled.applyDefaults(obj);
    assert.equal(obj.spec.replicas, 1);
    assert.equal(obj.spec.mode, 'fast');
    assert.equal(obj.spec.note, 'n');
    assert.equal(obj.spec.resources, undefined, 'an absent object without a default stays absent');
    assert.deepEqual(obj.spec.defaulted, { inner: 'deep' });
    assert.deepEqual(obj.spec.items, [{ name: 'a', weight: 10 }, { name: 'b', weight: 3 }]);
    assert.deepEqual(obj.metadata, { name: 'x', labels: { keep: 'me' } });
  });
  it('does not touch set values, defaults present objects, and does not default absent spec', () => {
    const obj: any = { spec: { replicas: 0, mode: '', resources: {} } };
    compiled.applyDefaults(obj);
    assert.equal(obj.spec.replicas, 0);
    assert.equal(obj.spec.mode, '');
    assert.deepEqual(obj.spec.resources, { cpu: '100m' });
    const empty: any = { apiVersion: 'v', kind: 'K' };
    compiled.applyDefaults(empty);
    assert.deepEqual(empty, { apiVersion: 'v', kind: 'K' });
  });
  it('replaces null of a non-nullable field with its default and keeps null where nullable', () => {
    const obj: any = { spec: { replicas: null, note: null } };
    compiled.applyDefaults(obj);
    assert.equal(obj.spec.replicas, 1);
    assert.equal(obj.spec.note, null);
  });
});

describe('pruning', () => {
  it('drops unknown fields everywhere except where preserved and in root or embedded metadata', () => {
    const obj: any = {
      apiVersion: 'example.com/v1',
      kind: 'K',
      metadata: { name: 'x', anything: 1 },
      unknownTop: 1,
      status: { phase: 'gone' },
      spec: {
        junk: true,
        items: [{ name: 'a', extra: 1 }],
        free: { whatever: { deep: 1 }, known: { a: 'x', b: 'pruned' } },
        labels: { k: { v: 'x', w: 'pruned' } },
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { x: 'y', z: 'pruned' }, other: 1 },
      },
    };
    const removed = compiled.prune(obj);
    assert.deepEqual(Object.keys(obj).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(obj.metadata, { name: 'x', anything: 1 });
    assert.equal(obj.spec.junk, undefined);
    assert.deepEqual(obj.spec.items, [{ name: 'a' }]);
    assert.deepEqual(obj.spec.free, { whatever: { deep: 1 }, known: { a: 'x' } });
    assert.deepEqual(obj.spec.labels, { k: { v: 'x' } });
    assert.deepEqual(obj.spec.template, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { x: 'y' } });
    assert.ok(removed.includes('unknownTop') && removed.includes('spec.junk') && removed.includes('spec.items[0].extra'), removed.join());
  });
});
