import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResourceBucket } from '../../../src/testing/server/resource-bucket.js';

/** A small deterministic PRNG so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const namespaces = ['a', 'a-b', 'b', 'kube-system', 'z'];

describe('ResourceBucket', () => {
  it('scans and counts in key order per namespace and overall, matching a sorted copy after random writes', () => {
    const bucket = new ResourceBucket();
    const model = new Map<string, { n: number }>();
    const next = random(7);
    for (let step = 0; step < 3000; step++) {
      const key = `${namespaces[Math.floor(next() * namespaces.length)]}/cm-${Math.floor(next() * 400)}`;
      if (next() < 0.3) {
        bucket.delete(key);
        model.delete(key);
      } else {
        const object = { n: step };
        bucket.set(key, object);
        model.set(key, object);
      }
    }
    assert.equal(bucket.size, model.size);
    const sorted = [...model.keys()].sort();
    for (const namespace of [undefined, ...namespaces, 'missing']) {
      const inScope = sorted.filter((k) => namespace === undefined || k.startsWith(`${namespace}/`));
      for (const after of ['', 'a/cm-1', 'a-b/cm-350', 'b/', 'kube-system/cm-2', 'zz', ...inScope.slice(0, 5)]) {
        const expected = inScope.filter((k) => k > after);
        const scanned = [...bucket.scan(namespace, after)];
        assert.deepEqual(scanned.map(([k]) => k), expected, `scan(${namespace}, ${after})`);
        for (const [k, o] of scanned) assert.equal(o, model.get(k));
        assert.equal(bucket.countAfter(namespace, after), expected.length, `countAfter(${namespace}, ${after})`);
      }
    }
  });

  it('orders namespaces the way etcd orders keys: "a-b/x" before "a/x"', () => {
    const bucket = new ResourceBucket();
    for (const key of ['a/x', 'a-b/x', 'b/x', '/cluster']) bucket.set(key, {});
    assert.deepEqual([...bucket.scan(undefined)].map(([k]) => k), ['/cluster', 'a-b/x', 'a/x', 'b/x']);
    assert.deepEqual([...bucket.scan('a')].map(([k]) => k), ['a/x']);
    assert.equal(bucket.countAfter('a', ''), 1);
  });

  it('replacing an object keeps one key; deleting an absent key is a no-op', () => {
    const bucket = new ResourceBucket();
    bucket.set('ns/a', { v: 1 });
    bucket.set('ns/a', { v: 2 });
    bucket.delete('ns/missing');
    assert.equal(bucket.size, 1);
    assert.deepEqual([...bucket.scan('ns')], [['ns/a', { v: 2 }]]);
    assert.equal(bucket.countAfter(undefined, ''), 1);
  });
});
