import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { SharedCache } from '../../../src/runtime/cache/shared-cache.js';
import { IndexFieldError, UnindexedFieldError } from '../../../src/runtime/cache/field-index-errors.js';
import { ConfigMap, Namespace, Secret } from '../../../src/runtime/builtin-resources.js';
import { resolveCacheOptions } from '../../../src/runtime/cache/cache-options.js';
import { ValidationError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import type { Logger, LogFields } from '../../../src/runtime/types.js';
import { FakeListerWatcher } from '../informer/fake-lister-watcher.js';

type Ref = KubernetesObject & { data?: { ref?: unknown; team?: string } };
const byRef = (o: Ref) => (typeof o.data?.ref === 'string' ? [o.data.ref] : []);
const names = (objs: KubernetesObject[]) => objs.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();

function recordingLogger(lines: Array<{ msg: string; fields?: LogFields }>): Logger {
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (msg, fields) => lines.push({ msg, fields }), child: () => logger };
  return logger;
}

async function withCache(
  setup: (cache: SharedCache, lw: FakeListerWatcher) => void,
  fn: (cache: SharedCache, lw: FakeListerWatcher) => Promise<void>,
  logger: Logger = silentLogger,
): Promise<void> {
  const lw = new FakeListerWatcher();
  const cache = new SharedCache({ listerWatcherFor: () => lw, clock: new FakeClock(), logger });
  setup(cache, lw);
  const ac = new AbortController();
  const running = cache.start(ac.signal);
  try {
    await cache.waitForSync(ac.signal);
    await fn(cache, lw);
  } finally {
    ac.abort();
    await running;
  }
}

test('a cached list by an indexed field answers per namespace and across namespaces, and follows updates and deletes', async () => {
  await withCache(
    (cache, lw) => {
      cache.indexField(ConfigMap, 'data.ref', byRef);
      lw.put('a', { data: { ref: 's1' } }, 'ns1', false);
      lw.put('b', { data: { ref: 's1' } }, 'ns2', false);
      lw.put('c', { data: { ref: 's2' } }, 'ns1', false);
    },
    async (cache, lw) => {
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1' } })), ['ns1/a', 'ns2/b']);
      assert.deepEqual(names(await cache.list(ConfigMap, { namespace: 'ns1', matchingFields: { 'data.ref': 's1' } })), ['ns1/a']);
      lw.put('a', { data: { ref: 's2' } }, 'ns1'); // a moves from s1 to s2
      await flushMicrotasks();
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1' } })), ['ns2/b']);
      assert.deepEqual(names(await cache.list(ConfigMap, { namespace: 'ns1', matchingFields: { 'data.ref': 's2' } })), ['ns1/a', 'ns1/c']);
      lw.remove('c', 'ns1');
      await flushMicrotasks();
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's2' } })), ['ns1/a']);
      // The answer is a copy: changing it does not change the cache.
      const [copy] = await cache.list<Ref>(ConfigMap, { matchingFields: { 'data.ref': 's2' } });
      copy!.data!.ref = 'changed';
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's2' } })), ['ns1/a']);
    },
  );
});

test('two fields and a label selector combine (all must match)', async () => {
  await withCache(
    (cache, lw) => {
      cache.indexField(ConfigMap, 'data.ref', byRef);
      cache.indexField(ConfigMap, 'data.team', (o: Ref) => (o.data?.team ? [o.data.team] : []));
      lw.put('a', { data: { ref: 's1', team: 'red' } }, 'ns', false);
      lw.put('b', { data: { ref: 's1', team: 'blue' } }, 'ns', false);
      const c = lw.put('c', { data: { ref: 's1', team: 'red' } }, 'ns', false);
      c.metadata!.labels = { tier: 'db' };
    },
    async (cache) => {
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1', 'data.team': 'red' } })), ['ns/a', 'ns/c']);
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1', 'data.team': 'red' }, labelSelector: 'tier=db' })), ['ns/c']);
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1' }, labelSelector: 'tier!=db' })), ['ns/a', 'ns/b']);
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 'none' } })), []);
    },
  );
});

test('a cluster-scoped kind is indexed under all namespaces only', async () => {
  const lw = new FakeListerWatcher();
  const cache = new SharedCache({ listerWatcherFor: () => lw, clock: new FakeClock(), logger: silentLogger });
  cache.indexField(Namespace, 'metadata.labels.team', (o) => (o.metadata?.labels?.team ? [o.metadata.labels.team] : []));
  lw.objects.set('x', { metadata: { name: 'x', labels: { team: 'red' }, resourceVersion: '1' } });
  const ac = new AbortController();
  const running = cache.start(ac.signal);
  try {
    assert.deepEqual((await cache.list(Namespace, { matchingFields: { 'metadata.labels.team': 'red' } })).map((n) => n.metadata?.name), ['x']);
    // A namespace given for a cluster-scoped kind is ignored, as for every list of one.
    assert.deepEqual((await cache.list(Namespace, { namespace: 'ns', matchingFields: { 'metadata.labels.team': 'red' } })).map((n) => n.metadata?.name), ['x']);
  } finally {
    ac.abort();
    await running;
  }
});

test('a namespace-scoped cache indexes each namespace and answers across them', async () => {
  const sources = new Map<string, FakeListerWatcher>([['ns1', new FakeListerWatcher()], ['ns2', new FakeListerWatcher()]]);
  sources.get('ns1')!.put('a', { data: { ref: 's1' } }, 'ns1', false);
  sources.get('ns2')!.put('b', { data: { ref: 's1' } }, 'ns2', false);
  const cache = new SharedCache({
    listerWatcherFor: (_rt, scope) => sources.get(scope.namespace!)!,
    clock: new FakeClock(),
    logger: silentLogger,
    scope: resolveCacheOptions({ namespaces: ['ns1', 'ns2'] }),
  });
  cache.indexField(ConfigMap, 'data.ref', byRef);
  const ac = new AbortController();
  const running = cache.start(ac.signal);
  try {
    assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1' } })), ['ns1/a', 'ns2/b']);
    assert.deepEqual(names(await cache.list(ConfigMap, { namespace: 'ns2', matchingFields: { 'data.ref': 's1' } })), ['ns2/b']);
  } finally {
    ac.abort();
    await running;
  }
});

test('indexField refuses bad input when it is called, naming the resource and field', () => {
  const cache = new SharedCache({ listerWatcherFor: () => new FakeListerWatcher(), clock: new FakeClock(), logger: silentLogger });
  const refused = (fn: () => void, pattern: RegExp) =>
    assert.throws(fn, (err: unknown) => err instanceof IndexFieldError && err.code === 'EINDEXFIELD' && pattern.test(err.message) && typeof err.hint === 'string' && err.hint.length > 0);
  refused(() => cache.indexField({ kind: 'Widget' } as never, 'spec.x', () => []), /\{"kind":"Widget"\} as the resource, which is not a resource type/);
  refused(() => cache.indexField(undefined as never, 'spec.x', () => []), /undefined as the resource/);
  refused(() => cache.indexField(Secret, '', () => []), /indexField\(Secret\) was given the field name '': it must be a non-empty string/);
  refused(() => cache.indexField(Secret, 42 as never, () => []), /field name 42/);
  refused(() => cache.indexField(Secret, 'spec.a=b', () => []), /'spec\.a=b', which holds whitespace or one of/);
  refused(() => cache.indexField(Secret, 'spec.ref', 'spec.ref' as never), /indexField\(Secret, 'spec\.ref'\) was given 'spec\.ref' as the index function: it must be a function/);
  cache.indexField(Secret, 'spec.ref', () => []);
  refused(() => cache.indexField(Secret, 'spec.ref', () => []), /field 'spec\.ref' of Secret is indexed already/);
  cache.indexField(ConfigMap, 'spec.ref', () => []); // the same field on another kind is another index
});

test('indexField after the kind\'s informer started fails with the fix; a kind not yet watched can still be indexed', async () => {
  await withCache(
    (cache) => void cache.informer(ConfigMap),
    async (cache) => {
      assert.throws(
        () => cache.indexField(ConfigMap, 'data.ref', byRef),
        (err: unknown) => err instanceof IndexFieldError && /ConfigMap: its informer has started already/.test(err.message) && /before manager\.start\(\)/.test(err.hint ?? ''),
      );
      cache.indexField(Secret, 'data.ref', byRef);
      assert.deepEqual(await cache.list(Secret, { matchingFields: { 'data.ref': 'x' } }), []);
    },
  );
});

test('a list by a field without an index fails with UnindexedFieldError naming the field, the resource and indexField', async () => {
  await withCache(
    (cache) => cache.indexField(ConfigMap, 'data.ref', byRef),
    async (cache) => {
      await assert.rejects(cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1', 'spec.other': 'x' } }), (err: unknown) => {
        assert.ok(err instanceof UnindexedFieldError);
        assert.equal(err.code, 'EUNINDEXEDFIELD');
        assert.match(err.message, /cannot list ConfigMap from the cache by field 'spec\.other': no index exists for that field; its indexed fields are 'data\.ref'/);
        assert.match(err.hint ?? '', /indexField\(ConfigMap, 'spec\.other'/);
        return true;
      });
      await assert.rejects(cache.list(Secret, { matchingFields: { 'data.ref': 's1' } }), /Secret .*it has no indexed fields/);
      await assert.rejects(cache.list(ConfigMap, { matchingFields: { 'data.ref': 7 as never } }), (err: unknown) => err instanceof ValidationError && /matchingFields\['data\.ref'\] for ConfigMap is 7: field values must be strings/.test(err.message));
      await assert.rejects(cache.list(ConfigMap, { matchingFields: 'data.ref=s1' as never }), (err: unknown) => err instanceof ValidationError && /must be an object of field → value/.test(err.message));
    },
  );
});

test('an index function that throws or returns non-strings is logged as IndexFunctionError; the object is left out, the rest served', async () => {
  const lines: Array<{ msg: string; fields?: LogFields }> = [];
  await withCache(
    (cache, lw) => {
      cache.indexField(ConfigMap, 'data.ref', (o: Ref) => {
        if (o.data?.ref === 'boom') throw new Error('cannot read spec');
        return (o.data?.ref === undefined ? [] : [o.data.ref]) as string[];
      });
      lw.put('good', { data: { ref: 's1' } }, 'ns', false);
      lw.put('bad', { data: { ref: 'boom' } }, 'ns', false);
      lw.put('number', { data: { ref: 42 } }, 'ns', false);
    },
    async (cache, lw) => {
      assert.equal(cache.hasSynced(), true, 'the cache synced despite the failing objects');
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1' } })), ['ns/good']);
      const messages = lines.map((l) => l.msg).sort();
      assert.equal(messages.length, 2);
      assert.match(messages[0]!, /^the index function of field 'data\.ref' on ConfigMap returned the value 42, which is not a string for ConfigMap ns\/number; the object is left out/);
      assert.match(messages[1]!, /^the index function of field 'data\.ref' on ConfigMap threw \(cannot read spec\) for ConfigMap ns\/bad/);
      assert.ok(lines.every((l) => l.fields?.code === 'EINDEXFUNCTION' && typeof l.fields?.hint === 'string'));
      // Fixed on its next change, the object is indexed.
      lw.put('bad', { data: { ref: 's1' } }, 'ns');
      await flushMicrotasks();
      assert.deepEqual(names(await cache.list(ConfigMap, { matchingFields: { 'data.ref': 's1' } })), ['ns/bad', 'ns/good']);
    },
    recordingLogger(lines),
  );
});
