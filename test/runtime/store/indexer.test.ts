import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectStore } from '../../../src/runtime/store/object-store.js';

type Obj = KubernetesObject & { refs?: string[]; team?: string };

const obj = (name: string, refs: string[], team = 'a', namespace = 'ns'): Obj => ({ metadata: { name, namespace }, refs, team });
const names = (objs: KubernetesObject[]) => objs.map((o) => o.metadata?.name).sort();

test('an index follows adds, updates (old keys removed) and deletes', () => {
  const store = new ObjectStore<Obj>();
  store.addIndex('refs', (o) => o.refs ?? []);
  store.upsert(obj('x', ['s1', 's2']));
  store.upsert(obj('y', ['s2']));
  assert.deepEqual(names(store.byIndexes([['refs', 's2']])), ['x', 'y']);
  store.upsert(obj('x', ['s3'])); // x no longer refers to s1 or s2
  assert.deepEqual(names(store.byIndexes([['refs', 's1']])), []);
  assert.deepEqual(names(store.byIndexes([['refs', 's2']])), ['y']);
  assert.deepEqual(names(store.byIndexes([['refs', 's3']])), ['x']);
  store.remove('ns/y');
  assert.deepEqual(names(store.byIndexes([['refs', 's2']])), []);
});

test('an index added to a filled store indexes what is there; a name given twice throws', () => {
  const store = new ObjectStore<Obj>();
  store.upsert(obj('x', ['s1']));
  store.addIndex('refs', (o) => o.refs ?? []);
  assert.deepEqual(names(store.byIndexes([['refs', 's1']])), ['x']);
  assert.throws(() => store.addIndex('refs', () => []), /exists already/);
});

test('several requirements intersect; an unknown index throws', () => {
  const store = new ObjectStore<Obj>();
  store.addIndex('refs', (o) => o.refs ?? []);
  store.addIndex('team', (o) => (o.team ? [o.team] : []));
  store.upsert(obj('x', ['s1'], 'a'));
  store.upsert(obj('y', ['s1'], 'b'));
  store.upsert(obj('z', ['s2'], 'a'));
  assert.deepEqual(names(store.byIndexes([['refs', 's1'], ['team', 'a']])), ['x']);
  assert.deepEqual(names(store.byIndexes([['team', 'b'], ['refs', 's2']])), []);
  assert.throws(() => store.byIndexes([['nope', 'v']]), /index nope does not exist/);
});

test('an index function that throws reports the object and leaves it out of that index, dropping its old keys', () => {
  const reported: string[] = [];
  const store = new ObjectStore<Obj>({ onIndexError: (err, o, index) => reported.push(`${index}:${o.metadata?.name}:${(err as Error).message}`) });
  store.addIndex('refs', (o) => {
    if (o.refs === undefined) throw new Error('no refs');
    return o.refs;
  });
  store.upsert(obj('x', ['s1']));
  store.upsert({ metadata: { name: 'x', namespace: 'ns' } }); // now throws
  assert.deepEqual(reported, ['refs:x:no refs']);
  assert.deepEqual(names(store.byIndexes([['refs', 's1']])), [], 'the stale key s1 was removed');
  assert.equal(store.size, 1, 'the object itself stays in the store');
  store.upsert(obj('x', ['s1'])); // fixed: indexed again
  assert.deepEqual(names(store.byIndexes([['refs', 's1']])), ['x']);
});
