import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, patchTypeFromContentType, PatchError, supportsStrategicMerge } from '../../../src/testing/patch/index.js';

const cm = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', labels: { app: 'x' } }, data: { a: '1', b: '2' } });

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PatchError, `expected PatchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a PatchError');
}

describe('patchTypeFromContentType', () => {
  it('maps the four media types and ignores parameters and case', () => {
    assert.equal(patchTypeFromContentType('application/merge-patch+json'), 'merge');
    assert.equal(patchTypeFromContentType('application/json-patch+json; charset=utf-8'), 'json');
    assert.equal(patchTypeFromContentType('Application/Strategic-Merge-Patch+JSON'), 'strategic');
    assert.equal(patchTypeFromContentType('application/apply-patch+yaml'), 'apply');
  });
  it('refuses everything else', () => {
    assert.equal(patchTypeFromContentType('application/json'), undefined);
    assert.equal(patchTypeFromContentType('application/apply-patch+cbor'), undefined);
    assert.equal(patchTypeFromContentType(''), undefined);
  });
});

describe('merge patch (RFC 7386)', () => {
  it('merges objects, replaces scalars and lists, deletes with null', () => {
    const out = applyPatch({ type: 'merge', current: { ...cm(), list: [1, 2] }, patch: { data: { a: '9', b: null, c: '3' }, list: [3] } }) as any;
    assert.deepEqual(out.data, { a: '9', c: '3' });
    assert.deepEqual(out.list, [3]);
    assert.deepEqual(out.metadata.labels, { app: 'x' });
  });
  it('accepts a raw JSON string or bytes and does not modify the input', () => {
    const current = cm();
    const out = applyPatch({ type: 'merge', current, patch: Buffer.from('{"data":{"a":"2"}}') }) as any;
    assert.equal(out.data.a, '2');
    assert.equal(current.data.a, '1');
  });
  it('creates nested objects that are missing', () => {
    const out = applyPatch({ type: 'merge', current: cm(), patch: '{"spec":{"x":{"y":1}}}' }) as any;
    assert.deepEqual(out.spec, { x: { y: 1 } });
  });
  it('answers 400 for malformed JSON and for a non-object patch', () => {
    assert.equal(patchError(() => applyPatch({ type: 'merge', current: cm(), patch: '{"data":' })).status, 400);
    assert.equal(patchError(() => applyPatch({ type: 'merge', current: cm(), patch: '[1]' })).status, 400);
    assert.equal(patchError(() => applyPatch({ type: 'merge', current: cm(), patch: '   ' })).status, 400);
  });
  it('answers 404 when there is nothing to patch', () => {
    const err = patchError(() => applyPatch({ type: 'merge', current: undefined, patch: {} }));
    assert.equal(err.status, 404);
    assert.equal(err.reason, 'NotFound');
  });
  it('refuses an unknown patch type with 415', () => {
    assert.equal(patchError(() => applyPatch({ type: 'xml' as never, current: cm(), patch: {} })).status, 415);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('runs add, remove, replace, move, copy and test in order', () => {
    const out = applyPatch({
      type: 'json',
      current: { ...cm(), list: ['a', 'c'] },
      patch: [
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'add', path: '/list/1', value: 'b' },
        { op: 'add', path: '/list/-', value: 'd' },
        { op: 'replace', path: '/data/a', value: 'one' },
        { op: 'remove', path: '/data/b' },
        { op: 'copy', from: '/data/a', path: '/data/copied' },
        { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/moved' },
      ],
    }) as any;
    assert.deepEqual(out.list, ['a', 'b', 'c', 'd']);
    assert.deepEqual(out.data, { a: 'one', copied: 'one' });
    assert.deepEqual(out.metadata.labels, { moved: 'x' });
  });
  it('unescapes ~1 and ~0 in pointers', () => {
    const current = { ...cm(), metadata: { name: 'a', annotations: { 'example.com/a~b': 'old' } } };
    const out = applyPatch({ type: 'json', current, patch: [{ op: 'replace', path: '/metadata/annotations/example.com~1a~0b', value: 'new' }] }) as any;
    assert.deepEqual(out.metadata.annotations, { 'example.com/a~b': 'new' });
  });
  it('answers 422 when a test fails and applies nothing', () => {
    const current = cm();
    const err = patchError(() => applyPatch({ type: 'json', current, patch: [{ op: 'remove', path: '/data/a' }, { op: 'test', path: '/data/b', value: 'nope' }] }));
    assert.equal(err.status, 422);
    assert.match(err.message, /expected "nope"/);
    assert.equal(current.data.a, '1');
  });
  it('answers 422 for paths that do not exist and indexes out of range', () => {
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'remove', path: '/spec/x' }] })).status, 422);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'replace', path: '/data/zz', value: 1 }] })).status, 422);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: { ...cm(), l: [1] }, patch: [{ op: 'add', path: '/l/5', value: 1 }] })).status, 422);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'move', from: '/data', path: '/data/x' }] })).status, 422);
  });
  it('answers 400 for malformed operations', () => {
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: { op: 'add' } })).status, 400);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'frobnicate', path: '/a' }] })).status, 400);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'add', path: 'data/a', value: 1 }] })).status, 400);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'add', path: '/data/a' }] })).status, 400);
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'copy', path: '/data/a' }] })).status, 400);
  });
  it('refuses to turn the object into a non-object', () => {
    assert.equal(patchError(() => applyPatch({ type: 'json', current: cm(), patch: [{ op: 'replace', path: '', value: 3 }] })).status, 422);
  });
});

describe('supportsStrategicMerge', () => {
  it('accepts built-in groups and refuses custom resources', () => {
    assert.equal(supportsStrategicMerge({ group: '' }), true);
    assert.equal(supportsStrategicMerge({ group: 'apps' }), true);
    assert.equal(supportsStrategicMerge({ group: 'coordination.k8s.io' }), true);
    assert.equal(supportsStrategicMerge({ group: 'cache.example.com' }), false);
    assert.equal(supportsStrategicMerge({ group: 'apps', isCustomResource: true }), false);
  });
});
