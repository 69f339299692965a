import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace } from './helpers.js';
import { collection, send, served } from './builtin-fixtures.js';

/**
 * Resource quantities in built-in kinds are stored in canonical form (1024Mi → 1Gi), ResourceList values
 * rounded up to milli; a reconciler comparing what it sent with what it reads back must see the same
 * thing on both servers. Text that is not a quantity is refused while decoding (400).
 */
describe('resource quantities of built-in kinds', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'quantity');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const deployment = (name: string, resources: object, volumes: object[] = []) => ({
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', resources }], volumes } },
    },
  });

  it('Deployment: container requests and limits, emptyDir sizeLimit', async () => {
    const res = await send(target, 'POST', collection('apps', 'v1', ns, 'deployments'), deployment('web', {
      requests: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '0.5Gi' },
      limits: { cpu: '2000m', memory: '1.5Gi', 'ephemeral-storage': '1e12' },
    }, [{ name: 'a', emptyDir: { sizeLimit: '1024Mi' } }, { name: 'b', emptyDir: { sizeLimit: '1500u' } }]));
    assert.equal(res.status, 201, res.text);
    const spec = res.json.spec.template.spec;
    assert.deepEqual(spec.containers[0].resources, {
      requests: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '512Mi' },
      limits: { cpu: '2', memory: '1536Mi', 'ephemeral-storage': '1e12' },
    });
    assert.deepEqual(spec.volumes.map((v: { emptyDir: unknown }) => v.emptyDir), [{ sizeLimit: '1Gi' }, { sizeLimit: '1500u' }]);

    // Sending the stored form back changes nothing; a merge patch is canonicalised too.
    const read = await send(target, 'GET', `${collection('apps', 'v1', ns, 'deployments')}/web`);
    assert.deepEqual(read.json.spec.template.spec.containers[0].resources, spec.containers[0].resources);
    const patched = await send(target, 'PATCH', `${collection('apps', 'v1', ns, 'deployments')}/web`,
      { spec: { template: { spec: { containers: [{ name: 'main', resources: { requests: { cpu: '0.5' } } }] } } } }, 'application/strategic-merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.spec.template.spec.containers[0].resources.requests.cpu, '500m');
    assert.equal(patched.json.metadata.generation, 2);
  });

  it('ResourceQuota spec.hard: suffix families, kept canonical text, rounding up to milli', async () => {
    const sent = {
      cpu: '0.0001', memory: '1024Mi', 'requests.cpu': '1500u', 'limits.memory': '+1Gi', 'requests.storage': '2000000k',
      'limits.cpu': '1e3', 'requests.memory': '0.5Gi', 'limits.ephemeral-storage': '1.50', 'requests.ephemeral-storage': '01',
    };
    const res = await send(target, 'POST', collection('', 'v1', ns, 'resourcequotas'), { metadata: { name: 'q' }, spec: { hard: sent } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.spec.hard, {
      cpu: '1m', memory: '1Gi', 'requests.cpu': '2m', 'limits.memory': '+1Gi', 'requests.storage': '2G',
      'limits.cpu': '1e3', 'requests.memory': '512Mi', 'limits.ephemeral-storage': '1500m', 'requests.ephemeral-storage': '01',
    });
  });

  it('PersistentVolumeClaim requests and LimitRange limits', async () => {
    if (await served(target, '', 'v1', 'persistentvolumeclaims')) {
      const pvc = await send(target, 'POST', collection('', 'v1', ns, 'persistentvolumeclaims'), {
        metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } },
      });
      assert.equal(pvc.status, 201, pvc.text);
      assert.deepEqual(pvc.json.spec.resources.requests, { storage: '1Gi' });
    }
    const limits = await send(target, 'POST', collection('', 'v1', ns, 'limitranges'), {
      metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '2000m' }, min: { memory: '1024Ki' } }] },
    });
    assert.equal(limits.status, 201, limits.text);
    assert.deepEqual(limits.json.spec.limits[0].max, { cpu: '2' });
    assert.deepEqual(limits.json.spec.limits[0].min, { memory: '1Mi' });
  });

  it('refuses text that is not a quantity with 400 BadRequest', async () => {
    const bad = await send(target, 'POST', collection('apps', 'v1', ns, 'deployments'), deployment('bad', { requests: { cpu: 'abc' } }));
    assertStatus(bad.json, 400, 'BadRequest', /^Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression '\^\(\[\+-\]\?\[0-9\.\]\+\)\(\[eEinumkKMGTP\]\*\[-\+\]\?\[0-9\]\*\)\$'$/);
    const suffix = await send(target, 'POST', collection('', 'v1', ns, 'resourcequotas'), { metadata: { name: 'bad' }, spec: { hard: { cpu: '1kk' } } });
    assertStatus(suffix.json, 400, 'BadRequest', /^ResourceQuota in version "v1" cannot be handled as a ResourceQuota: unable to parse quantity's suffix$/);
  });
});
