import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { kubectlOk, rawRequest } from './helpers.js';

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
