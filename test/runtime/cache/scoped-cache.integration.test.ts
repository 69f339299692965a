import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { ConfigMap, Namespace } from '../../../src/runtime/builtin-resources.js';
import { NamespaceNotCachedError } from '../../../src/runtime/cache/cache-scope-error.js';
import type { ManagerOptions } from '../../../src/runtime/manager/options.js';
import { eventually } from '../controller/fixtures.js';

async function withEnv(fn: (env: Awaited<ReturnType<typeof startTestEnv>>, options: (extra: Partial<ManagerOptions>) => ManagerOptions) => Promise<void>): Promise<void> {
  const env = await startTestEnv();
  try {
    for (const name of ['team-a', 'team-b', 'team-c']) env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await fn(env, (extra) => ({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger, ...extra }));
  } finally {
    await env.stop();
  }
}

test('a manager scoped to one namespace reconciles objects there and never sees the others', async () => {
  await withEnv(async (env, options) => {
    for (const ns of ['team-a', 'team-b']) env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: ns } });
    const manager = new Manager(options({ cache: { namespaces: ['team-a'] } }));
    const reconciled: string[] = [];
    controllerManagedBy(manager).for(ConfigMap).complete({
      async reconcile(req) {
        reconciled.push(`${req.namespace}/${req.name}`);
      },
    });
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    try {
      await manager.client.create(ConfigMap, { metadata: { name: 'after', namespace: 'team-b' } });
      await manager.client.create(ConfigMap, { metadata: { name: 'after', namespace: 'team-a' } });
      await eventually(() => (reconciled.includes('team-a/after') ? true : undefined), 'team-a/after reconciled');
      assert.deepEqual([...new Set(reconciled)].sort(), ['team-a/after', 'team-a/before']);
      // Events arrive in order on one watch per namespace; b's were never watched.
      const cached = await manager.client.list(ConfigMap);
      assert.deepEqual(cached.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`).sort(), ['team-a/after', 'team-a/before']);
      // Cluster-scoped kinds are not narrowed by the namespaces.
      const namespaces = await manager.client.list(Namespace);
      assert.ok(namespaces.some((n) => n.metadata?.name === 'team-b'), 'team-b (a Namespace, cluster-scoped) is cached');
    } finally {
      ac.abort();
      await running;
    }
  });
});

test('a cached read outside the cached namespaces fails with NamespaceNotCachedError; an uncached read still works', async () => {
  await withEnv(async (env, options) => {
    env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'team-c' } });
    const manager = new Manager(options({ cache: { namespaces: ['team-a', 'team-b'] } }));
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    try {
      await manager.client.create(ConfigMap, { metadata: { name: 'x', namespace: 'team-b' } });
      await assert.rejects(manager.client.get(ConfigMap, 'team-c', 'x'), (err: unknown) => {
        assert.ok(err instanceof NamespaceNotCachedError);
        assert.equal(err.code, 'ENAMESPACENOTCACHED');
        assert.match(err.message, /ConfigMap team-c\/x .*only in 'team-a', 'team-b'/);
        assert.match(err.hint ?? '', /client\.read\(\)/);
        return true;
      });
      await assert.rejects(manager.client.list(ConfigMap, { namespace: 'team-c' }), NamespaceNotCachedError);
      // As controller-runtime: a list without a namespace returns every cached namespace's objects.
      await eventually(async () => ((await manager.client.list(ConfigMap)).length === 1 ? true : undefined), 'team-b/x cached');
      assert.deepEqual((await manager.client.list(ConfigMap)).map((c) => c.metadata?.namespace), ['team-b']);
      assert.equal((await manager.client.read(ConfigMap, 'team-c', 'x'))?.metadata?.name, 'x');
    } finally {
      ac.abort();
      await running;
    }
  });
});

test('a byObject label selector caches only matching objects, and a transform applies before caching', async () => {
  await withEnv(async (env, options) => {
    env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine', namespace: 'team-a', labels: { app: 'web' } }, data: { big: 'x'.repeat(1000) } });
    env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'team-a', labels: { app: 'db' } } });
    const manager = new Manager(options({
      cache: { byObject: new Map([[ConfigMap, { labelSelector: 'app=web', transform: (cm: { data?: unknown }) => ({ ...cm, data: undefined }) }]]) },
    }));
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    try {
      await manager.client.create(ConfigMap, { metadata: { name: 'later', namespace: 'team-b', labels: { app: 'web' } } });
      await manager.client.create(ConfigMap, { metadata: { name: 'later-db', namespace: 'team-b', labels: { app: 'db' } } });
      await eventually(async () => ((await manager.client.list(ConfigMap)).length === 2 ? true : undefined), 'two matching configmaps cached');
      const cached = await manager.client.list(ConfigMap);
      assert.deepEqual(cached.map((c) => c.metadata?.name).sort(), ['later', 'mine']);
      assert.equal(cached.find((c) => c.metadata?.name === 'mine')?.data, undefined, 'transformed before caching');
      assert.equal(await manager.client.get(ConfigMap, 'team-a', 'other'), undefined, 'a non-matching object is not in the cache');
    } finally {
      ac.abort();
      await running;
    }
  });
});
