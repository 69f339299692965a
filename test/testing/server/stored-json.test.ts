import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactStored, jsonText } from '../../../src/testing/server/stored-json.js';

describe('compactStored', () => {
  it('stores a new object equal to the wire form of the candidate', () => {
    const candidate = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: 'y' }, gone: undefined }, data: { k: 'v' } };
    const stored = compactStored(candidate);
    assert.notEqual(stored, candidate);
    assert.notEqual(stored.metadata, candidate.metadata);
    assert.deepEqual(stored, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: 'y' } }, data: { k: 'v' } });
    assert.ok(!('gone' in stored.metadata));
  });

  it('later changes to the candidate do not reach the stored object', () => {
    const candidate = { metadata: { name: 'a' }, data: { k: 'v' } };
    const stored = compactStored(candidate);
    candidate.data.k = 'changed';
    assert.equal(stored.data.k, 'v');
  });
});

describe('jsonText', () => {
  it('gives the text of the object stored last, and serialises anything else', () => {
    const first = compactStored({ metadata: { name: 'first' } });
    const last = compactStored({ metadata: { name: 'last' }, data: { k: 'v' } });
    assert.equal(jsonText(last), '{"metadata":{"name":"last"},"data":{"k":"v"}}');
    assert.equal(jsonText(first), '{"metadata":{"name":"first"}}');
    assert.equal(jsonText({ ...last }), JSON.stringify(last));
  });
});
