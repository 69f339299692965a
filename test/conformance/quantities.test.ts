import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace } from './helpers.js';
import { collection, send, served } from './builtin-fixtures.js';

/**
 * Resource quantities in built-in kinds are stored in canonical form (1024Mi → 1Gi), ResourceList values
 * rounded up to milli; a reconciler comparing what it sent with what it reads back must see the same
 * thing on both servers. Text that is not a quantity is refused while decoding (400); values that break
 * the server's value rules (negative, request over limit, ...) are refused with 422 and the server's causes.
 */
describe('resource quantities of built-in kinds', () => {
  let target: ConformanceTarget;
  let ns: string;
  // A namespace without LimitRanges: on a real server their defaults would fill in the Pods' cpu and memory.
  let bare: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'quantity');
    bare = await createNamespace(target.kubeConfig, 'quantity-bare');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await deleteNamespace(target.kubeConfig, bare);
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
      // A real server adds kubernetes.io/pvc-protection; where no controller removes it, it would keep the namespace Terminating.
      const freed = await send(target, 'PATCH', `${collection('', 'v1', ns, 'persistentvolumeclaims')}/data`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
      assert.equal(freed.status, 200, freed.text);
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

  /** The 422's causes as `field: message` lines, in a stable order (the server's order follows Go map iteration). */
  const causesOf = (body: any): string[] => {
    assertStatus(body, 422, 'Invalid');
    return (body.details.causes as Array<{ field: string; message: string }>).map((c) => `${c.field}: ${c.message}`).sort();
  };

  it('refuses negative container quantities and requests above their limits, with the server\'s causes', async () => {
    const c = 'spec.template.spec.containers[0].resources';
    const bad = deployment('negative', {
      requests: { cpu: '-1', memory: '2Gi', 'example.com/gpu': '2', 'ephemeral-storage': '-1' },
      limits: { cpu: '500m', memory: '1Gi', 'example.com/gpu': '1', 'hugepages-2Mi': '-2Mi' },
    }) as any;
    bad.spec.template.spec.initContainers = [{ name: 'init', image: 'nginx:1.27', resources: { requests: { memory: '-5Mi' } } }];
    const res = await send(target, 'POST', collection('apps', 'v1', ns, 'deployments'), bad);
    assert.deepEqual(causesOf(res.json), [
      `${c}.limits[hugepages-2Mi]: Invalid value: "-2Mi": must be greater than or equal to 0`,
      `${c}.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1`,
      `${c}.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi`,
      `${c}.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
      `${c}.requests[ephemeral-storage]: Invalid value: "-1": must be greater than or equal to 0`,
      'spec.template.spec.initContainers[0].resources.requests[memory]: Invalid value: "-5Mi": must be greater than or equal to 0',
    ]);

    // Equal requests and limits, and a request below its limit, are fine; so is an update that stays valid.
    const ok = await send(target, 'POST', collection('apps', 'v1', ns, 'deployments'), deployment('within', {
      requests: { cpu: '250m', memory: '1Gi', 'example.com/gpu': '1' }, limits: { cpu: '0.5', memory: '1024Mi', 'example.com/gpu': '1' },
    }));
    assert.equal(ok.status, 201, ok.text);
    const raised = await send(target, 'PATCH', `${collection('apps', 'v1', ns, 'deployments')}/within`,
      { spec: { template: { spec: { containers: [{ name: 'main', resources: { requests: { cpu: '1' } } }] } } } }, 'application/strategic-merge-patch+json');
    assert.deepEqual(causesOf(raised.json), [`${c}.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m`]);
  });

  it('refuses extended resources without a limit and hugepages that are not whole pages (Pods)', async () => {
    const res = await send(target, 'POST', collection('', 'v1', bare, 'pods'), {
      metadata: { name: 'pages' },
      spec: { containers: [{ name: 'main', image: 'nginx:1.27', resources: { limits: { 'hugepages-2Mi': '3Mi' }, requests: { 'example.com/fpga': '1' } } }] },
    });
    const c = 'spec.containers[0].resources';
    assert.deepEqual(causesOf(res.json), [
      `${c}.limits: Required value: Limit must be set for non overcommitable resources`,
      `${c}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
      `${c}.requests[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
      `${c}: Forbidden: HugePages require cpu or memory`,
    ].sort());
  });

  it('checks Job and CronJob templates but not StatefulSet templates, as the server does', async () => {
    const template = { metadata: { labels: { app: 'q' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] } };
    const job = await send(target, 'POST', collection('batch', 'v1', ns, 'jobs'), { metadata: { name: 'over' }, spec: { template } });
    assert.deepEqual(causesOf(job.json), ['spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
    const cron = await send(target, 'POST', collection('batch', 'v1', ns, 'cronjobs'), { metadata: { name: 'over' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } });
    assert.deepEqual(causesOf(cron.json), ['spec.jobTemplate.spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
    if (!(await served(target, 'apps', 'v1', 'statefulsets'))) return;
    const set = await send(target, 'POST', collection('apps', 'v1', ns, 'statefulsets'), {
      metadata: { name: 'over' },
      spec: { serviceName: 'over', selector: { matchLabels: { app: 'q' } }, template: { ...template, spec: { ...template.spec, restartPolicy: 'Always' } } },
    });
    assert.equal(set.status, 201, set.text);
  });

  it('refuses a claim for no storage and negative quota limits; LimitRanges take any value', async () => {
    for (const storage of ['-1Gi', '0']) {
      const claim = await send(target, 'POST', collection('', 'v1', ns, 'persistentvolumeclaims'), {
        metadata: { name: 'empty' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
      });
      assert.deepEqual(causesOf(claim.json), [`spec.resources[storage]: Invalid value: "${storage}": must be greater than zero`]);
    }
    const quota = await send(target, 'POST', collection('', 'v1', ns, 'resourcequotas'), {
      metadata: { name: 'negative' }, spec: { hard: { cpu: '-1', 'requests.example.com/gpu': '-1', memory: '1Gi' } },
    });
    assert.deepEqual(causesOf(quota.json), [
      'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.hard[requests.example.com/gpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
    const range = await send(target, 'POST', collection('', 'v1', bare, 'limitranges'), {
      metadata: { name: 'negative' }, spec: { limits: [{ type: 'Container', max: { cpu: '-1' }, default: { memory: '-1Mi' } }] },
    });
    assert.equal(range.status, 201, range.text);
  });
});
