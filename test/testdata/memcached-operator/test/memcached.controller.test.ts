/**
 * Runs the Memcached controller in a real manager against the embedded Kubernetes API server of
 * operator-ts/testing, with the CRD from config/crd/bases installed. Run `npm run manifests` after changing
 * the API types so the CRD here matches them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { Manager, createLogger, findStatusCondition } from 'operator-ts/runtime';
import { startTestEnv, type TestEnv } from 'operator-ts/testing';
import * as v1alpha1 from '../src/api/v1alpha1/memcached.types.js';
import { READY, setupMemcachedController } from '../src/controllers/memcached.controller.js';

// An upper bound for the controller to catch up, not an expected duration: waits return as soon as it has.
const RECONCILE_DEADLINE_MS = 30_000;

describe('Memcached controller', () => {
  let env: TestEnv;
  let api: KubernetesObjectApi;
  const stopManager = new AbortController();
  let managerStopped: Promise<void> | undefined;
  let managerError: unknown;

  before(async () => {
    env = await startTestEnv({ crds: ['config/crd/bases'] });
    api = KubernetesObjectApi.makeApiClient(env.kubeConfig);
    const manager = new Manager({
      kubeConfig: env.kubeConfig,
      healthProbeBindAddress: '0',
      metricsBindAddress: '0',
      logger: createLogger({ level: 'warn' }),
    });
    setupMemcachedController(manager);
    managerStopped = manager.start(stopManager.signal).catch((err: unknown) => {
      managerError = err;
    });
  });

  after(async () => {
    stopManager.abort();
    await managerStopped;
    await env?.stop();
  });

  /** Reads the Memcached until `done` holds for it, failing with the last state seen after the deadline. */
  async function waitForMemcached(name: string, namespace: string | undefined, done: (obj: v1alpha1.Memcached) => boolean): Promise<v1alpha1.Memcached> {
    const deadline = Date.now() + RECONCILE_DEADLINE_MS;
    let last: v1alpha1.Memcached | undefined;
    while (Date.now() < deadline) {
      if (managerError !== undefined) throw managerError;
      last = await api.read<v1alpha1.Memcached>({ apiVersion: 'cache.example.com/v1alpha1', kind: 'Memcached', metadata: { name, namespace } });
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`Memcached ${name} was not reconciled within ${RECONCILE_DEADLINE_MS} ms; last seen: ${JSON.stringify(last?.status)}`);
  }

  const isReadyAt = (generation: number) => (obj: v1alpha1.Memcached) =>
    obj.status?.observedGeneration === generation && findStatusCondition(obj.status?.conditions, READY)?.status === 'True';

  it('marks a new Memcached Ready and follows spec changes', async () => {
    const name = `sample-${randomUUID().slice(0, 8)}`;
    const namespace = `test-${randomUUID().slice(0, 8)}`;
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });

    const created = await api.create<v1alpha1.Memcached>({
      apiVersion: 'cache.example.com/v1alpha1',
      kind: 'Memcached',
      metadata: { name, namespace },
      spec: { size: 2 },
    });
    const generation = created.metadata.generation ?? 1;
    const reconciled = await waitForMemcached(name, namespace, isReadyAt(generation));
    const ready = findStatusCondition(reconciled.status?.conditions, READY);
    assert.equal(ready?.reason, 'Reconciled');
    assert.equal(ready?.observedGeneration, generation);

    // A spec change bumps metadata.generation; the controller must report the new one.
    const patched = await api.patch<v1alpha1.Memcached>(
      { apiVersion: 'cache.example.com/v1alpha1', kind: 'Memcached', metadata: { name, namespace }, spec: { size: 3 } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    const newGeneration = patched.metadata.generation ?? generation + 1;
    assert.ok(newGeneration > generation, `a spec change must bump generation (was ${generation}, now ${newGeneration})`);
    const updated = await waitForMemcached(name, namespace, isReadyAt(newGeneration));
    assert.equal(updated.spec.size, 3);
  });
});
