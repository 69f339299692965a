import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setDeploymentCondition } from '../../../src/testing/simulation/conditions.js';
import { deploymentStatus } from '../../../src/testing/simulation/deployment-status.js';
import { completedJobStatus, indexRange } from '../../../src/testing/simulation/job-status.js';
import { daemonSetStatus, replicaSetStatus, statefulSetStatus } from '../../../src/testing/simulation/replica-status.js';
import { resolveSimulateOptions } from '../../../src/testing/simulation/options.js';
import { templateHash } from '../../../src/testing/simulation/template-hash.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
const meta = (name: string, generation = 1) => ({ name, namespace: 'default', generation });

describe('deploymentStatus', () => {
  it('reports every replica and Available/Progressing as the deployment controller does', () => {
    const status = deploymentStatus({ metadata: meta('d', 4), spec: { replicas: 2, progressDeadlineSeconds: 600, template } }, T0);
    assert.deepEqual(status, {
      observedGeneration: 4, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: T0, lastTransitionTime: T0, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: T0, lastTransitionTime: T0, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "d-${templateHash(template)}" has successfully progressed.` },
      ],
    });
  });

  it('keeps no Progressing condition without a progress deadline, and defaults replicas to 1', () => {
    const status = deploymentStatus({ metadata: meta('d'), spec: { progressDeadlineSeconds: 2147483647, template } }, T0);
    assert.equal(status.replicas, 1);
    assert.deepEqual(status.conditions.map((c: any) => c.type), ['Available']);
  });

  it('keeps the times of unchanged conditions and the transition time of a condition whose reason changes', () => {
    const first = deploymentStatus({ metadata: meta('d'), spec: { replicas: 1, progressDeadlineSeconds: 600, paused: true, template } }, T0);
    const resumed = deploymentStatus({ metadata: meta('d', 2), spec: { replicas: 1, progressDeadlineSeconds: 600, template }, status: first }, T1);
    const [available, progressing] = resumed.conditions;
    assert.deepEqual([available.lastUpdateTime, available.lastTransitionTime], [T0, T0]);
    assert.deepEqual([progressing.status, progressing.reason, progressing.lastUpdateTime, progressing.lastTransitionTime], ['True', 'NewReplicaSetAvailable', T1, T1]);
    const again = deploymentStatus({ metadata: meta('d', 2), spec: { replicas: 1, progressDeadlineSeconds: 600, template }, status: resumed }, '2026-01-01T00:02:00Z');
    assert.deepEqual(again, resumed, 'recomputing a finished status changes nothing');
  });
});

describe('setDeploymentCondition', () => {
  it('keeps lastTransitionTime when only the reason changes and moves the condition to the end', () => {
    const out = setDeploymentCondition([
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: T0, lastTransitionTime: T0 },
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', lastUpdateTime: T0, lastTransitionTime: T0 },
    ], { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }, T1);
    assert.deepEqual(out.map((c) => [c.type, c.lastUpdateTime, c.lastTransitionTime]), [['Available', T0, T0], ['Progressing', T1, T0]]);
  });
});

describe('replicaSetStatus, statefulSetStatus, daemonSetStatus', () => {
  it('ReplicaSet: replicas always present, the other counts omitted at zero', () => {
    assert.deepEqual(replicaSetStatus({ metadata: meta('rs', 3), spec: { replicas: 2 } }), { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3 });
    assert.deepEqual(replicaSetStatus({ metadata: meta('rs'), spec: { replicas: 0 } }), { replicas: 0, observedGeneration: 1 });
  });

  it('StatefulSet: one revision for current and update, collisionCount 0, availableReplicas always present', () => {
    const revision = `db-${templateHash(template)}`;
    assert.deepEqual(statefulSetStatus({ metadata: meta('db', 2), spec: { replicas: 3, template } }), {
      observedGeneration: 2, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3,
      currentRevision: revision, updateRevision: revision, collisionCount: 0, availableReplicas: 3,
    });
    const empty = statefulSetStatus({ metadata: meta('db'), spec: { replicas: 0, template } });
    assert.equal(empty.replicas, 0);
    assert.equal(empty.availableReplicas, 0);
    assert.equal('readyReplicas' in empty, false);
  });

  it('DaemonSet: scheduled and ready on the one simulated node', () => {
    assert.deepEqual(daemonSetStatus({ metadata: meta('agent', 5), spec: { template } }), {
      currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 5, updatedNumberScheduled: 1, numberAvailable: 1,
    });
  });

  it('keep conditions someone else wrote', () => {
    const conditions = [{ type: 'ReplicaFailure', status: 'True' }];
    assert.deepEqual(replicaSetStatus({ metadata: meta('rs'), spec: { replicas: 1 }, status: { conditions } }).conditions, conditions);
  });
});

describe('completedJobStatus', () => {
  it('completes a Job with SuccessCriteriaMet then Complete, as v1.32 does', () => {
    assert.deepEqual(completedJobStatus({ metadata: meta('j'), spec: { completions: 3, template } }, T0), {
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: T0, lastTransitionTime: T0, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        { type: 'Complete', status: 'True', lastProbeTime: T0, lastTransitionTime: T0, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      ],
      startTime: T0, completionTime: T0, succeeded: 3, terminating: 0, uncountedTerminatedPods: {}, ready: 0,
    });
  });

  it('counts one success without completions, lists completed indexes of an Indexed Job, keeps startTime', () => {
    assert.equal(completedJobStatus({ metadata: meta('j'), spec: { template } }, T0)!.succeeded, 1);
    const indexed = completedJobStatus({ metadata: meta('j'), spec: { completions: 5, completionMode: 'Indexed', template }, status: { startTime: T0 } }, T1)!;
    assert.equal(indexed.completedIndexes, '0-4');
    assert.equal(indexed.startTime, T0);
    assert.equal(indexed.completionTime, T1);
  });

  it('leaves suspended and finished Jobs alone', () => {
    assert.equal(completedJobStatus({ metadata: meta('j'), spec: { suspend: true, template } }, T0), undefined);
    const done = completedJobStatus({ metadata: meta('j'), spec: { template } }, T0)!;
    assert.equal(completedJobStatus({ metadata: meta('j'), spec: { template }, status: done }, T1), undefined);
    assert.equal(completedJobStatus({ metadata: meta('j'), spec: { template }, status: { conditions: [{ type: 'Failed', status: 'True' }] } }, T1), undefined);
  });

  it('writes index ranges as the Job controller does', () => {
    assert.deepEqual([1, 2, 3, 10].map(indexRange), ['0', '0,1', '0-2', '0-9']);
  });
});

describe('templateHash', () => {
  it('is stable across key order and differs between templates', () => {
    assert.equal(templateHash({ a: 1, b: { c: 2, d: 3 } }), templateHash({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(templateHash(template), templateHash({ ...template, spec: { containers: [{ name: 'c', image: 'j' }] } }));
    assert.match(templateHash(template), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

describe('resolveSimulateOptions', () => {
  it('defaults to nothing simulated and accepts workloads: true', () => {
    assert.deepEqual(resolveSimulateOptions(undefined), { workloads: false });
    assert.deepEqual(resolveSimulateOptions({ workloads: true }), { workloads: true });
    assert.throws(() => resolveSimulateOptions(true as unknown as object), /simulate must be an object such as \{ workloads: true \}, got true/);
  });
});
