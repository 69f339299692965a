import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { CrdInstallError, startTestEnv } from '../../src/testing/index.js';
import { ExistingClusterError } from '../../src/testing/existing-cluster.js';
import { removeCrd, widgetCrd } from './crd-fixture.js';
import { createNamespace, deleteNamespace, uniqueSuffix } from './helpers.js';
import { startTarget, usingRealCluster, type ConformanceTarget } from './target.js';

/**
 * startTestEnv({ useExistingCluster: true }) against the cluster the suite targets. Only on a real cluster:
 * test/testing/existing-cluster.test.ts covers the same code with an embedded server as the "existing cluster".
 */
const skip = usingRealCluster() && process.env.KUBECONFIG ? false : 'needs OPERATOR_TS_CONFORMANCE_REAL=1 and KUBECONFIG';

describe('startTestEnv on an existing cluster', { skip }, () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'existing');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const gone = async (name: string): Promise<boolean> => {
    try {
      await target.kubeConfig.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name });
      return false;
    } catch (err) {
      return (err as { code?: number }).code === 404;
    }
  };

  it('installs a CRD, waits until it is Established, serves it, and stop() deletes it and waits until it is gone', async () => {
    const w = widgetCrd();
    const env = await startTestEnv({ useExistingCluster: true, crds: [w.crd] });
    try {
      assert.equal(env.url, target.kubeConfig.getCurrentCluster()!.server);
      const crd = await target.kubeConfig.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: w.crd.metadata.name });
      assert.ok(crd.status!.conditions!.some((c) => c.type === 'Established' && c.status === 'True'));
      const custom = env.kubeConfig.makeApiClient(CustomObjectsApi);
      await custom.createNamespacedCustomObject({ group: w.group, version: w.version, namespace: ns, plural: w.plural, body: { apiVersion: w.apiVersion, kind: w.kind, metadata: { name: 'one' }, spec: { size: 1 } } });
    } finally {
      await env.stop();
    }
    assert.equal(await gone(w.crd.metadata.name), true);
  });

  it('reports a CRD the server refuses with the server\'s message, and leaves nothing behind', async () => {
    const w = widgetCrd();
    const broken = { ...w.crd, metadata: { name: `broken.${w.group}` } };
    await assert.rejects(startTestEnv({ useExistingCluster: true, crds: [w.crd, broken] }), (err: unknown) => {
      assert.ok(err instanceof CrdInstallError);
      assert.match(err.message, /must be spec\.names\.plural\+"\."\+spec\.group/);
      return true;
    });
    assert.equal(await gone(w.crd.metadata.name), true, 'the CRD created before the refused one is removed again');
  });

  it('gives up on a CRD whose names conflict, naming it and its NamesAccepted/Established conditions', async () => {
    const suffix = uniqueSuffix();
    const first = widgetCrd(suffix);
    // Same group and kind, other plural and list kind: the naming controller refuses the second CRD's kind (KindConflict).
    const second = structuredClone(first.crd);
    second.metadata.name = `gizmos.${first.group}`;
    second.spec.names = { ...second.spec.names, plural: 'gizmos', singular: 'gizmo', listKind: 'GizmoList', shortNames: [] };
    try {
      await assert.rejects(startTestEnv({ useExistingCluster: true, crds: [first.crd, second], existingCluster: { establishTimeoutMs: 3000 } }), (err: unknown) => {
        assert.ok(err instanceof ExistingClusterError);
        const name = `gizmos.${first.group}`.replace(/\./g, '\\.');
        assert.match(err.message, new RegExp(`^CRDs not Established within 3000 ms: ${name} \\(`));
        assert.match(err.message, /NamesAccepted=False \(KindConflict: /);
        assert.match(err.message, /Established=False \(NotAccepted: not all names are accepted\)/);
        assert.doesNotMatch(err.message, new RegExp(`widgets\\.${first.group.replace(/\./g, '\\.')}`), 'the accepted CRD is not named');
        return true;
      });
      assert.equal(await gone(first.crd.metadata.name), true);
      assert.equal(await gone(second.metadata.name), true);
    } finally {
      await removeCrd(target.kubeConfig, first.crd.metadata.name).catch(() => undefined);
      await removeCrd(target.kubeConfig, second.metadata.name).catch(() => undefined);
    }
  });
});
