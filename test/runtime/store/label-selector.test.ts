import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector } from '../../../src/runtime/store/label-selector.js';
import { ObjectStore } from '../../../src/runtime/store/object-store.js';

test('label selectors: equality, inequality, sets, existence', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  const yes = ['', 'app=web', 'app==web', 'app!=db', 'env in (prod, staging)', 'env notin (dev)', 'tier', '!legacy', 'app=web,tier=front', 'missing!=x'];
  const no = ['app=db', 'app!=web', 'env in (dev)', 'env notin (prod)', 'legacy', '!tier', 'app=web,tier=back', 'missing=x', 'missing in (x)'];
  for (const s of yes) assert.equal(parseLabelSelector(s).matches(labels), true, s);
  for (const s of no) assert.equal(parseLabelSelector(s).matches(labels), false, s);
  assert.equal(parseLabelSelector('!app').matches(undefined), true);
});

test('invalid label selectors name the selector and the bad part', () => {
  assert.throws(() => parseLabelSelector('app=web,=x'), /label selector "app=web,=x" is invalid: "=x"/);
  assert.throws(() => parseLabelSelector('env in (a b)'), /invalid/);
});

test('object store indexes by namespace and filters by labels', () => {
  const store = new ObjectStore();
  store.upsert({ metadata: { name: 'a', namespace: 'n1', labels: { app: 'x' } } });
  store.upsert({ metadata: { name: 'b', namespace: 'n1' } });
  store.upsert({ metadata: { name: 'a', namespace: 'n2', labels: { app: 'x' } } });
  store.upsert({ metadata: { name: 'cluster-thing' } });
  assert.equal(store.size, 4);
  assert.deepEqual(store.list({ namespace: 'n1' }).map((o) => o.metadata?.name).sort(), ['a', 'b']);
  assert.equal(store.list({ labelSelector: 'app=x' }).length, 2);
  assert.equal(store.get(undefined, 'cluster-thing')?.metadata?.name, 'cluster-thing');
  assert.equal(store.remove('n1/a')?.metadata?.namespace, 'n1');
  assert.equal(store.list({ namespace: 'n1' }).length, 1);
  assert.equal(store.remove('n1/a'), undefined);
});
