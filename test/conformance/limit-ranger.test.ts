import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, rawRequest } from './helpers.js';

/**
 * LimitRanges and the LimitRanger admission plugin: a LimitRange's own defaults, defaults filled into new
 * Pods (with the `kubernetes.io/limit-ranger` annotation), min/max/ratio checks of new Pods and of
 * PersistentVolumeClaims refused with 403 and the plugin's words; Pod updates and workload pod templates
 * are not touched. Expectations were taken from a v1.32 server.
 */
describe('LimitRanger', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = `server-ns-limits-${randomBytes(3).toString('hex')}`;
    assert.equal((await json('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    // A real cluster's serviceaccount controller makes it too; either way a Pod needs it.
    const sa = await json('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'default' } });
    assert.ok(sa.status === 201 || sa.status === 409, sa.text);
    const limits = await json('POST', `/api/v1/namespaces/${ns}/limitranges`, {
      metadata: { name: 'limits' },
      spec: {
        limits: [
          { type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' }, min: { cpu: '50m' }, max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '10' } },
          { type: 'Pod', max: { memory: '2Gi' } },
          { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } },
        ],
      },
    });
    assert.equal(limits.status, 201, limits.text);
  });
  after(async () => {
    // A real server's admission puts kubernetes.io/pvc-protection on claims; without its controller running
    // the claim, and so the namespace, would stay.
    await json('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/fits`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await json('DELETE', `/api/v1/namespaces/${ns}`);
    await target.stop();
  });

  const json = (method: string, path: string, body?: object, contentType = 'application/json') =>
    rawRequest(target, { method, path, ...(body ? { contentType, body: JSON.stringify(body) } : {}) });
  const pod = (metadata: object, containers: object[], extra: object = {}) =>
    json('POST', `/api/v1/namespaces/${ns}/pods`, { metadata, spec: { containers, ...extra } });
  const app = (resources?: object, name = 'app') => ({ name, image: 'nginx', ...(resources ? { resources } : {}) });

  it('defaults a LimitRange: default from max, defaultRequest from default', async () => {
    const res = await json('GET', `/api/v1/namespaces/${ns}/limitranges/limits`);
    assert.deepEqual(res.json.spec.limits[0], {
      type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' },
      min: { cpu: '50m' }, max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '10' },
    });
    assert.deepEqual(res.json.spec.limits[1], { type: 'Pod', max: { memory: '2Gi' } });
  });

  it('fills unset requests and limits of a new Pod, after its own requests-from-limits, and says so', async () => {
    const res = await pod({ name: 'filled' }, [app(), app({ limits: { cpu: '200m' } }, 'side')], { initContainers: [{ name: 'init', image: 'busybox' }] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.annotations['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; memory request for container side; memory limit for container side; cpu, memory request for init container init; cpu, memory limit for init container init');
    assert.deepEqual(res.json.spec.containers.map((c: any) => c.resources), [
      { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
      { limits: { cpu: '200m', memory: '256Mi' }, requests: { cpu: '200m', memory: '256Mi' } },
    ]);
    assert.deepEqual(res.json.spec.initContainers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    assert.equal(res.json.status.qosClass, 'Burstable');

    const complete = await pod({ name: 'complete' }, [app({ requests: { cpu: '100m', memory: '10Mi' }, limits: { cpu: '100m', memory: '10Mi' } })]);
    assert.equal(complete.status, 201, complete.text);
    assert.equal(complete.json.metadata.annotations?.['kubernetes.io/limit-ranger'], undefined);
    assert.equal(complete.json.status.qosClass, 'Guaranteed');
  });

  it('refuses new Pods outside min, max and maxLimitRequestRatio with 403 and the plugin message', async () => {
    const cases: Array<[string, object[], string]> = [
      ['over-max', [app({ limits: { cpu: '2' } })], 'maximum cpu usage per Container is 1, but limit is 2'],
      ['under-min', [app({ requests: { cpu: '10m' } })],
        '[minimum cpu usage per Container is 50m, but request is 10m, cpu max limit to request ratio per Container is 10, but provided ratio is 50.000000]'],
      ['ratio', [app({ requests: { cpu: '60m' }, limits: { cpu: '1' } })], 'cpu max limit to request ratio per Container is 10, but provided ratio is 16.666667'],
      ['pod-total', [app({ limits: { memory: '1Gi' } }, 'a'), app({ limits: { memory: '1Gi' } }, 'b'), app({ limits: { memory: '1Gi' } }, 'c')],
        'maximum memory usage per Pod is 2Gi, but limit is 3Gi'],
      // The same problem in two containers is reported once.
      ['twice', [app({ limits: { cpu: '3' } }, 'a'), app({ limits: { cpu: '3' } }, 'b')], 'maximum cpu usage per Container is 1, but limit is 3'],
    ];
    for (const [name, containers, why] of cases) {
      const res = await pod({ name }, containers);
      assertStatus(res.json, 403, 'Forbidden');
      assert.equal(res.json.message, `pods "${name}" is forbidden: ${why}`, name);
      assert.deepEqual(res.json.details, { name, kind: 'pods' });
      assert.equal((await json('GET', `/api/v1/namespaces/${ns}/pods/${name}`)).status, 404, `${name} was not stored`);
    }
  });

  it('validates the Pod after defaulting: a request above the default limit is 422', async () => {
    const res = await pod({ name: 'above-default' }, [app({ requests: { cpu: '600m' } })]);
    assertStatus(res.json, 422, 'Invalid');
    assert.equal(res.json.message, 'Pod "above-default" is invalid: spec.containers[0].resources.requests: Invalid value: "600m": must be less than or equal to cpu limit of 500m');
  });

  it('leaves Pod updates and the pod templates of workloads alone', async () => {
    const created = await pod({ name: 'kept' }, [app({ requests: { cpu: '200m' } })]);
    assert.equal(created.status, 201, created.text);
    // A Pod item brings no defaults, so the answer does not depend on the order the LimitRanges are applied in.
    const tighter = await json('POST', `/api/v1/namespaces/${ns}/limitranges`, { metadata: { name: 'tighter' }, spec: { limits: [{ type: 'Pod', max: { memory: '100Mi' } }] } });
    assert.equal(tighter.status, 201, tighter.text);
    try {
      const labelled = await json('PATCH', `/api/v1/namespaces/${ns}/pods/kept`, { metadata: { labels: { touched: 'yes' } } }, 'application/merge-patch+json');
      assert.equal(labelled.status, 200, labelled.text);
      assert.equal(labelled.json.spec.containers[0].resources.limits.memory, '256Mi');
      const refused = await pod({ name: 'new' }, [app({ requests: { cpu: '200m' } })]);
      assertStatus(refused.json, 403, 'Forbidden', /^pods "new" is forbidden: maximum memory usage per Pod is 100Mi, but limit is 256Mi$/);
    } finally {
      await json('DELETE', `/api/v1/namespaces/${ns}/limitranges/tighter`);
    }

    const deployment = await json('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [app({ limits: { cpu: '5' } })] } } },
    });
    assert.equal(deployment.status, 201, deployment.text);
    assert.deepEqual(deployment.json.spec.template.spec.containers[0].resources, { limits: { cpu: '5' } });
    assert.equal(deployment.json.metadata.annotations?.['kubernetes.io/limit-ranger'], undefined);
  });

  it('refuses LimitRanges whose spec has the wrong JSON types with 400', async () => {
    const cases: Array<[unknown, string]> = [
      ['x', 'string into Go struct field LimitRange.spec of type v1.LimitRangeSpec'],
      [{ limits: 'bad' }, 'string into Go struct field LimitRangeSpec.spec.limits of type []v1.LimitRangeItem'],
      [{ limits: ['x'] }, 'string into Go struct field LimitRangeSpec.spec.limits of type v1.LimitRangeItem'],
      [{ limits: [{ type: 'Container', max: 'x' }] }, 'string into Go struct field LimitRangeItem.spec.limits.max of type v1.ResourceList'],
      [{ limits: [{ type: 'Container', max: ['x'] }] }, 'array into Go struct field LimitRangeItem.spec.limits.max of type v1.ResourceList'],
    ];
    for (const [spec, detail] of cases) {
      const res = await json('POST', `/api/v1/namespaces/${ns}/limitranges?dryRun=All`, { metadata: { name: 'bad' }, spec });
      assertStatus(res.json, 400, 'BadRequest');
      assert.equal(res.json.message, `LimitRange in version "v1" cannot be handled as a LimitRange: json: cannot unmarshal ${detail}`);
    }
  });

  it('refuses PersistentVolumeClaims outside min and max, on create and update', async () => {
    const claim = (name: string, storage: string) =>
      json('POST', `/api/v1/namespaces/${ns}/persistentvolumeclaims`, { metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    const small = await claim('small', '100Mi');
    assertStatus(small.json, 403, 'Forbidden');
    assert.equal(small.json.message, 'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi');
    const large = await claim('large', '20Gi');
    assert.equal(large.json.message, 'persistentvolumeclaims "large" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi');
    const fits = await claim('fits', '5Gi');
    assert.equal(fits.status, 201, fits.text);

    // Updates are checked too (unlike Pods'), but not writes of /status.
    const tighter = await json('POST', `/api/v1/namespaces/${ns}/limitranges`, { metadata: { name: 'claims' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' } }] } });
    assert.equal(tighter.status, 201, tighter.text);
    try {
      const labelled = await json('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/fits`, { metadata: { labels: { touched: 'yes' } } }, 'application/merge-patch+json');
      assertStatus(labelled.json, 403, 'Forbidden');
      assert.equal(labelled.json.message, 'persistentvolumeclaims "fits" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
      const status = await json('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/fits/status`, { status: { phase: 'Bound' } }, 'application/merge-patch+json');
      assert.equal(status.status, 200, status.text);
    } finally {
      await json('DELETE', `/api/v1/namespaces/${ns}/limitranges/claims`);
    }
  });
});
