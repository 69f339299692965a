import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeContinueToken, encodeContinueToken, readPage, type PageRequest } from '../../../src/testing/server/list-page.js';
import { ObjectStore } from '../../../src/testing/server/object-store.js';
import type { Obj } from '../../../src/testing/server/registry.js';
import { StatusError } from '../../../src/testing/server/status.js';

const GR = 'configmaps';
const namespaces = ['a', 'a-b', 'b'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function write(store: ObjectStore, namespace: string, name: string, color: string): void {
  const previous = store.get(GR, namespace, name);
  const rv = store.nextRevision();
  store.put(GR, { metadata: { namespace, name, uid: `${namespace}-${name}-${rv}`, labels: { color }, resourceVersion: String(rv) } }, previous);
}

function remove(store: ObjectStore, namespace: string, name: string): void {
  const previous = store.get(GR, namespace, name);
  if (!previous) return;
  store.remove(GR, { ...previous, metadata: { ...previous.metadata, resourceVersion: String(store.nextRevision()) } }, previous);
}

function randomWrite(store: ObjectStore, next: () => number): void {
  const namespace = namespaces[Math.floor(next() * namespaces.length)]!;
  const name = `cm-${Math.floor(next() * 60)}`;
  if (next() < 0.3) remove(store, namespace, name);
  else write(store, namespace, name, next() < 0.5 ? 'red' : 'blue');
}

const keyOf = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;

describe('readPage', () => {
  for (const [label, namespace, red] of [['all namespaces', undefined, false], ['one namespace', 'a', false], ['all namespaces, selector', undefined, true], ['one namespace, selector', 'a-b', true]] as const) {
    it(`pages through a consistent snapshot while objects are created, changed and deleted between pages (${label})`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const next = random(seed);
        const store = new ObjectStore(100_000);
        for (let i = 0; i < 120; i++) randomWrite(store, next);
        const matches = (o: Obj) => !red || o.metadata.labels.color === 'red';
        const rv = store.currentRevision();
        const expected = store.list(GR, namespace).filter(matches).map((o) => ({ key: keyOf(o), rv: o.metadata.resourceVersion }));
        const inScope = store.list(GR, namespace).map(keyOf);
        const limit = 1 + Math.floor(next() * 7);
        const seen: Array<{ key: string; rv: string }> = [];
        let after = '';
        for (let pages = 0; ; pages++) {
          assert.ok(pages < 500, 'pagination does not end');
          const request: PageRequest = { groupResource: GR, namespace, rv, after, limit, matches, countRemaining: !red, expiredMessage: 'expired' };
          const page = readPage(store, request);
          assert.ok(page.items.length <= limit);
          seen.push(...page.items.map((o) => ({ key: keyOf(o), rv: o.metadata.resourceVersion })));
          for (let i = 0; i < 1 + Math.floor(next() * 6); i++) randomWrite(store, next);
          if (page.continueAfter === undefined) {
            // No token: the page was short, or nothing at all follows its last item in the snapshot.
            assert.ok(page.items.length < limit || inScope.indexOf(keyOf(page.items[page.items.length - 1]!)) === inScope.length - 1, `seed ${seed}: continue missing`);
            assert.equal(page.remainingItemCount, undefined);
            break;
          }
          assert.equal(page.items.length, limit, `seed ${seed}: a page with a continue token is full`);
          assert.equal(page.continueAfter, keyOf(page.items[page.items.length - 1]!));
          const remaining = inScope.length - inScope.indexOf(page.continueAfter) - 1;
          assert.ok(remaining > 0, `seed ${seed}: continue set though nothing follows`);
          if (red) assert.equal(page.remainingItemCount, undefined, 'a filtered list does not count what remains');
          else assert.equal(page.remainingItemCount, remaining, `seed ${seed}: remainingItemCount`);
          after = page.continueAfter;
        }
        assert.deepEqual(seen, expected, `seed ${seed}, limit ${limit}: the pages join up to the list at rv ${rv}`);
      }
    });
  }

  it('returns everything in one page when the limit is larger than the count', () => {
    const store = new ObjectStore(100);
    for (const name of ['c', 'a', 'b']) write(store, 'ns', name, 'red');
    const page = readPage(store, { groupResource: GR, namespace: 'ns', rv: store.currentRevision(), after: '', limit: 10, matches: () => true, countRemaining: true, expiredMessage: '' });
    assert.deepEqual(page.items.map(keyOf), ['ns/a', 'ns/b', 'ns/c']);
    assert.equal(page.continueAfter, undefined);
    assert.equal(page.remainingItemCount, undefined);
  });

  it('answers 410 Expired when the snapshot is older than the history', () => {
    const store = new ObjectStore(3);
    write(store, 'ns', 'a', 'red');
    const rv = store.currentRevision();
    for (let i = 0; i < 5; i++) write(store, 'ns', `b${i}`, 'red');
    assert.throws(() => readPage(store, { groupResource: GR, rv, after: 'ns/a', limit: 1, matches: () => true, countRemaining: true, expiredMessage: 'too old' }),
      (err: unknown) => err instanceof StatusError && err.httpCode === 410 && err.reason === 'Expired' && /too old/.test(err.message));
  });

  it('round-trips continue tokens and refuses malformed ones with 400', () => {
    assert.deepEqual(decodeContinueToken(encodeContinueToken({ rv: 12, after: 'ns/x' })), { rv: 12, after: 'ns/x' });
    for (const bad of ['garbage', encodeContinueToken({ rv: -1, after: 'x' }), Buffer.from('{"rv":1.5,"after":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      assert.throws(() => decodeContinueToken(bad), (err: unknown) => err instanceof StatusError && err.httpCode === 400, bad);
    }
  });
});
