import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './helpers.js';
import { removeCrd, widgetCrd } from './crd-fixture.js';
import { stringify } from 'yaml';

describe('kubectl end to end', () => {
  let target: ConformanceTarget;
  let ns: string;
  const w = widgetCrd();
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'kubectl');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, w.crd.metadata.name);
    await target.stop();
  });

  it('apply -f creates, re-apply updates, get -o json reads, delete removes', async () => {
    const manifest = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: ${ns}\ndata:\n  key: "${value}"\n`;
    assert.match(await kubectlOk(target, ['apply', '-f', '-'], manifest('one')), /configmap\/app-config created/);
    assert.match(await kubectlOk(target, ['apply', '-f', '-'], manifest('two')), /configmap\/app-config configured/);
    const read = JSON.parse(await kubectlOk(target, ['get', 'configmap', 'app-config', '-n', ns, '-o', 'json']));
    assert.equal(read.data.key, 'two');
    assert.match(await kubectlOk(target, ['get', 'configmaps', '-n', ns]), /app-config/);
    assert.match(await kubectlOk(target, ['delete', 'configmap', 'app-config', '-n', ns]), /deleted/);
    const missing = await kubectl(target, ['get', 'configmap', 'app-config', '-n', ns]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|not found/);
  });

  it('applies a CRD, waits for Established, then applies and lists custom objects', async () => {
    await kubectlOk(target, ['apply', '-f', '-'], stringify(w.crd));
    await kubectlOk(target, ['wait', '--for=condition=Established', `crd/${w.crd.metadata.name}`, '--timeout=30s']);
    const sample = { apiVersion: w.apiVersion, kind: 'Widget', metadata: { name: 'sample', namespace: ns, labels: { tier: 'a' } }, spec: { size: 2 } };
    // Discovery is cached per kubeconfig; a fresh CRD can take a moment to appear on a real cluster.
    let applied = await kubectl(target, ['apply', '-f', '-'], stringify(sample));
    for (let i = 0; applied.code !== 0 && i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      applied = await kubectl(target, ['apply', '-f', '-'], stringify(sample));
    }
    assert.equal(applied.code, 0, applied.stderr);
    const listed = JSON.parse(await kubectlOk(target, ['get', `widgets.${w.group}`, '-n', ns, '-l', 'tier=a', '-o', 'json']));
    assert.deepEqual(listed.items.map((i: any) => i.metadata.name), ['sample']);
    assert.equal(listed.items[0].spec.replicas, 1, 'defaults applied');
    const invalid = await kubectl(target, ['apply', '-f', '-'], stringify({ ...sample, metadata: { name: 'bad', namespace: ns }, spec: { size: 50 } }));
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /spec\.size/);
  });

  it('client-side apply of a Deployment twice merges containers (strategic merge with $setElementOrder)', async () => {
    const deployment = (image: string, sidecar: boolean) =>
      stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'app', image, env: [{ name: 'A', value: '1' }] }, ...(sidecar ? [{ name: 'side', image: 'side:1' }] : [])] },
          },
        },
      });
    assert.match(await kubectlOk(target, ['apply', '-f', '-'], deployment('app:1', true)), /created/);
    assert.match(await kubectlOk(target, ['apply', '-f', '-'], deployment('app:2', false)), /configured/);
    const read = JSON.parse(await kubectlOk(target, ['get', 'deployment', 'web', '-n', ns, '-o', 'json']));
    assert.deepEqual(read.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`), ['app=app:2'], 'the sidecar dropped from the manifest is removed');
    assert.deepEqual(read.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
    assert.equal(read.metadata.generation, 2);
    assert.ok(read.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
  });

  it('kubectl reports unknown resource types as an error', async () => {
    const res = await kubectl(target, ['get', 'nosuchresources']);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /doesn't have a resource type|the server doesn't have/);
  });
});
