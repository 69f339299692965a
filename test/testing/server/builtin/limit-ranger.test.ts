import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyLimitRangeDefaults, defaultLimitRange, podLimitViolation } from '../../../../src/testing/server/builtin/limit-ranger.js';

/** Pod totals and quantity printing of the LimitRanger plugin; expected messages are a v1.32 server's answers. */
describe('LimitRanger pod totals', () => {
  const range = (max: Record<string, string>) => [{ spec: { limits: [{ type: 'Pod', max }] } }];
  const container = (name: string, limits: Record<string, string>, extra: object = {}) => ({ name, image: 'x', resources: { limits }, ...extra });

  it('counts a sidecar with the containers and a plain init container with the sidecars started before it', () => {
    const pod = {
      metadata: { name: 's1' },
      spec: {
        initContainers: [container('side', { memory: '600Mi', cpu: '500m' }, { restartPolicy: 'Always' }), container('plain', { memory: '1500Mi', cpu: '1' })],
        containers: [container('app', { memory: '1Gi', cpu: '1200m' })],
      },
    };
    assert.equal(podLimitViolation(pod, range({ memory: '2Gi', cpu: '2' })), 'maximum memory usage per Pod is 2Gi, but limit is 2100Mi');
    assert.equal(podLimitViolation(pod, range({ memory: '3Gi', cpu: '2' })), undefined);
  });

  it('prints a sum in the format of its first addend', () => {
    const pod = { metadata: { name: 's2' }, spec: { containers: [container('app', { memory: '1500M' }), container('b', { memory: '1Gi' })] } };
    assert.equal(podLimitViolation(pod, range({ memory: '2Gi' })), 'maximum memory usage per Pod is 2Gi, but limit is 2573741824');
    assert.equal(podLimitViolation(pod, range({ cpu: '2' })), 'maximum cpu usage per Pod is 2.  No limit is specified');
  });

  it('defaults only what a container leaves unset and leaves the annotation off when nothing was set', () => {
    const limitRange = { spec: { limits: [{ type: 'Container', max: { cpu: '2' } }] } };
    defaultLimitRange(limitRange);
    assert.deepEqual(limitRange.spec.limits[0], { type: 'Container', max: { cpu: '2' }, default: { cpu: '2' }, defaultRequest: { cpu: '2' } });
    const pod: any = { metadata: { name: 'p' }, spec: { containers: [container('app', { cpu: '1' }, { resources: { limits: { cpu: '1' }, requests: { cpu: '1' } } })] } };
    applyLimitRangeDefaults(pod, [limitRange]);
    assert.equal(pod.metadata.annotations, undefined);
    assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '1' }, requests: { cpu: '1' } });
  });
});
