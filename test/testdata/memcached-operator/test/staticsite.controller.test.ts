/**
 * Runs the StaticSite controller in a real manager against the embedded Kubernetes API server of
 * operator-ts/testing, with the CRD from config/crd/bases installed. Run `npm run manifests` after changing
 * the API types so the CRD here matches them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Manager, ConfigMap, Namespace, createLogger, findStatusCondition, type Client } from 'operator-ts/runtime';
import { eventually, startTestEnv, type TestEnv } from 'operator-ts/testing';
import * as v1 from '../src/api/v1/staticsite.types.js';
import { READY, configMapName, setupStaticSiteController } from '../src/controllers/staticsite.controller.js';

// Group, version, kind, plural and scope are stated once, in the API types file.
const { StaticSiteResource } = v1;

// An upper bound for the controller to catch up, not an expected duration: waits return as soon as it has.
const RECONCILE_TIMEOUT_MS = 30_000;

/** A new StaticSite with apiVersion and kind taken from StaticSiteResource. */
function newStaticSite(metadata: v1.StaticSite['metadata'], spec: v1.StaticSiteSpec): v1.StaticSite {
  // The interface spells apiVersion and kind as literal types (the manifests generator reads them there);
  // the resource holds the same values typed as strings.
  return { apiVersion: StaticSiteResource.apiVersion, kind: StaticSiteResource.kind, metadata, spec } as v1.StaticSite;
}

describe('StaticSite controller', () => {
  let env: TestEnv;
  let client: Client;
  const stopManager = new AbortController();
  // Aborted with the manager's error if it fails, so a wait fails at once with that error instead of timing out.
  const managerFailed = new AbortController();
  let managerStopped: Promise<void> | undefined;

  before(async () => {
    env = await startTestEnv({ crds: ['config/crd/bases'] });
    const manager = new Manager({
      kubeConfig: env.kubeConfig,
      healthProbeBindAddress: '0',
      metricsBindAddress: '0',
      logger: createLogger({ level: 'warn' }),
    });
    client = manager.client;
    setupStaticSiteController(manager);
    managerStopped = manager.start(stopManager.signal).catch((err: unknown) => managerFailed.abort(err));
  });

  after(async () => {
    stopManager.abort();
    await managerStopped;
    await env?.stop();
  });

  /** Waits until the StaticSite reports Ready for `generation`; on timeout the last failed assertion says what differed. */
  function readyAt(name: string, namespace: string, generation: number): Promise<v1.StaticSite> {
    return eventually(async () => {
      const obj = await client.read(StaticSiteResource, namespace, name);
      assert.ok(obj, `StaticSite ${name} exists`);
      assert.equal(obj.status?.observedGeneration, generation, 'status.observedGeneration');
      assert.equal(findStatusCondition(obj.status?.conditions, READY)?.status, 'True', `the ${READY} condition`);
      return obj;
    }, { timeoutMs: RECONCILE_TIMEOUT_MS, intervalMs: 100, signal: managerFailed.signal });
  }

  it('marks a new StaticSite Ready and follows spec changes', async () => {
    const name = `sample-${randomUUID().slice(0, 8)}`;
    const namespace = `test-${randomUUID().slice(0, 8)}`;
    await client.create(Namespace, { metadata: { name: namespace } });

    const created = await client.create(StaticSiteResource, newStaticSite({ name, namespace }, { size: 2 }));
    const generation = created.metadata.generation ?? 1;
    const reconciled = await readyAt(name, namespace, generation);
    const ready = findStatusCondition(reconciled.status?.conditions, READY);
    assert.equal(ready?.reason, 'Reconciled');
    assert.equal(ready?.observedGeneration, generation);

    // The owned ConfigMap follows the spec and is controlled by the StaticSite.
    const child = await client.read(ConfigMap, { namespace, name: configMapName(name) });
    assert.equal(child?.data?.size, '2');
    const owner = child?.metadata?.ownerReferences?.find((ref) => ref.controller);
    assert.equal(owner?.uid, reconciled.metadata.uid, 'the StaticSite controls its ConfigMap');

    // A spec change bumps metadata.generation; the controller must report the new one.
    const patched = await client.patch(StaticSiteResource, namespace, name, { spec: { size: 3 } });
    const newGeneration = patched.metadata.generation ?? generation + 1;
    assert.ok(newGeneration > generation, `a spec change must bump generation (was ${generation}, now ${newGeneration})`);
    const updated = await readyAt(name, namespace, newGeneration);
    assert.equal(updated.spec.size, 3);
    await eventually(async () => {
      const cm = await client.read(ConfigMap, { namespace, name: configMapName(name) });
      assert.equal(cm?.data?.size, '3', 'the ConfigMap follows the new size');
    }, { timeoutMs: RECONCILE_TIMEOUT_MS, intervalMs: 100, signal: managerFailed.signal });
  });
});
