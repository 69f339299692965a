import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { createHash } from 'node:crypto';
import { kubectlOk, rawRequest, uniqueSuffix } from './helpers.js';
import { installCrd, removeCrd, specOnlyCrd } from './crd-fixture.js';

/** apiserver's StorageVersionHash: base64 of the first 8 bytes of SHA-256 over "group/version/kind" of the storage version. */
function expectedHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

async function resourcesAt(target: ConformanceTarget, path: string): Promise<Map<string, any>> {
  const res = await rawRequest(target, { method: 'GET', path });
  assert.equal(res.status, 200, path);
  return new Map<string, any>(res.json.resources.map((r: any) => [r.name, r]));
}

describe('discovery', () => {
  let target: ConformanceTarget;
  before(async () => {
    target = await startTarget();
  });
  after(() => target.stop());

  it('answers /version with gitVersion and major/minor', async () => {
    const res = await rawRequest(target, { method: 'GET', path: '/version' });
    assert.equal(res.status, 200);
    assert.equal(typeof res.json.gitVersion, 'string');
    assert.equal(typeof res.json.major, 'string');
    assert.equal(typeof res.json.minor, 'string');
  });

  it('answers /healthz and /readyz with ok', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await rawRequest(target, { method: 'GET', path });
      assert.equal(res.status, 200, path);
      assert.equal(res.text, 'ok');
    }
  });

  it('lists the core version and core resources', async () => {
    const api = await rawRequest(target, { method: 'GET', path: '/api' });
    assert.equal(api.json.kind, 'APIVersions');
    assert.ok(api.json.versions.includes('v1'));
    const v1 = await rawRequest(target, { method: 'GET', path: '/api/v1' });
    assert.equal(v1.json.kind, 'APIResourceList');
    assert.equal(v1.json.groupVersion, 'v1');
    const byName = new Map<string, any>(v1.json.resources.map((r: any) => [r.name, r]));
    for (const name of ['namespaces', 'configmaps', 'secrets', 'services', 'serviceaccounts', 'events']) {
      assert.ok(byName.has(name), `missing ${name}`);
    }
    assert.equal(byName.get('configmaps').namespaced, true);
    assert.equal(byName.get('configmaps').kind, 'ConfigMap');
    assert.ok(byName.get('configmaps').verbs.includes('watch'));
    assert.equal(byName.get('namespaces').namespaced, false);
    assert.ok(byName.has('namespaces/status'));
  });

  it('lists the groups and their resources', async () => {
    const apis = await rawRequest(target, { method: 'GET', path: '/apis' });
    assert.equal(apis.json.kind, 'APIGroupList');
    const groups = new Map<string, any>(apis.json.groups.map((g: any) => [g.name, g]));
    for (const group of ['apps', 'coordination.k8s.io', 'events.k8s.io', 'apiextensions.k8s.io']) assert.ok(groups.has(group), `missing group ${group}`);
    assert.equal(groups.get('apps').preferredVersion.groupVersion, 'apps/v1');
    const group = await rawRequest(target, { method: 'GET', path: '/apis/coordination.k8s.io' });
    assert.equal(group.json.kind, 'APIGroup');
    const leases = await rawRequest(target, { method: 'GET', path: '/apis/coordination.k8s.io/v1' });
    const lease = leases.json.resources.find((r: any) => r.name === 'leases');
    assert.equal(lease.kind, 'Lease');
    assert.equal(lease.namespaced, true);
    const apps = await rawRequest(target, { method: 'GET', path: '/apis/apps/v1' });
    assert.ok(apps.json.resources.some((r: any) => r.name === 'deployments' && r.kind === 'Deployment'));
  });

  it('lists namespaces/finalize with the update verb only', async () => {
    const core = await resourcesAt(target, '/api/v1');
    const finalize = core.get('namespaces/finalize');
    assert.deepEqual({ ...finalize, verbs: finalize?.verbs }, { name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
  });

  it('gives each resource the storageVersionHash of its storage group/version/kind, and subresources none', async () => {
    const core = await resourcesAt(target, '/api/v1');
    for (const [name, kind] of [['configmaps', 'ConfigMap'], ['namespaces', 'Namespace'], ['pods', 'Pod'], ['events', 'Event']]) {
      assert.equal(core.get(name)?.storageVersionHash, expectedHash('', 'v1', kind), name);
    }
    assert.equal(core.get('configmaps').storageVersionHash, 'qFsyl6wFWjQ=');
    for (const sub of ['namespaces/status', 'namespaces/finalize', 'pods/status']) assert.equal(core.get(sub)?.storageVersionHash, undefined, sub);
    const apps = await resourcesAt(target, '/apis/apps/v1');
    assert.equal(apps.get('deployments').storageVersionHash, expectedHash('apps', 'v1', 'Deployment'));
    assert.equal(apps.get('deployments/scale').storageVersionHash, undefined);
    // Stored as another group/version: events.k8s.io Events are core Events, CRDs are still stored as v1beta1.
    const events = await resourcesAt(target, '/apis/events.k8s.io/v1');
    assert.equal(events.get('events').storageVersionHash, expectedHash('', 'v1', 'Event'));
    const extensions = await resourcesAt(target, '/apis/apiextensions.k8s.io/v1');
    assert.equal(extensions.get('customresourcedefinitions').storageVersionHash, expectedHash('apiextensions.k8s.io', 'v1beta1', 'CustomResourceDefinition'));
    const hpa = await resourcesAt(target, '/apis/autoscaling/v2');
    assert.equal(hpa.get('horizontalpodautoscalers').storageVersionHash, expectedHash('autoscaling', 'v2', 'HorizontalPodAutoscaler'));
  });

  it('gives custom resources the hash of their CRD\'s storage version', async () => {
    const probe = specOnlyCrd({ group: `svh${uniqueSuffix()}.example.com`, kind: 'Probe', plural: 'probes', spec: { type: 'object' } });
    const crd = probe.crd as any;
    crd.spec.versions = [
      { ...crd.spec.versions[0], name: 'v1', storage: false },
      { ...crd.spec.versions[0], name: 'v2', storage: true },
    ];
    await installCrd(target, crd);
    try {
      for (const version of ['v1', 'v2']) {
        const resources = await resourcesAt(target, `/apis/${probe.group}/${version}`);
        assert.equal(resources.get('probes')?.storageVersionHash, expectedHash(probe.group, 'v2', 'Probe'), version);
      }
    } finally {
      await removeCrd(target.kubeConfig, crd.metadata.name);
    }
  });

  it('answers 404 with a Status for an unknown group version', async () => {
    const res = await rawRequest(target, { method: 'GET', path: '/apis/nope.example.com/v1' });
    assert.equal(res.status, 404);
  });

  it('works with kubectl api-resources and version', async () => {
    const out = await kubectlOk(target, ['api-resources', '-o', 'name']);
    for (const name of ['configmaps', 'namespaces', 'deployments.apps', 'leases.coordination.k8s.io', 'customresourcedefinitions.apiextensions.k8s.io']) {
      assert.ok(out.split('\n').includes(name), `kubectl api-resources lacks ${name}:\n${out}`);
    }
    const version = JSON.parse(await kubectlOk(target, ['version', '-o', 'json']));
    assert.equal(typeof version.serverVersion.gitVersion, 'string');
  });

  it('has the default and kube-system namespaces', async () => {
    const out = await kubectlOk(target, ['get', 'namespaces', '-o', 'name']);
    assert.ok(out.includes('namespace/default'));
    assert.ok(out.includes('namespace/kube-system'));
  });
});
