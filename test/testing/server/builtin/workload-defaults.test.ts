import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultPersistentVolumeClaim, defaultStatefulSet,
} from '../../../../src/testing/server/builtin/workload-defaults.js';

const template = () => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'app:v1' }] } });

describe('workload defaults', () => {
  it('Deployment: replicas, RollingUpdate 25%/25%, history 10, deadline 600, and the template', () => {
    const d: any = { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: template() } };
    defaultDeployment(d);
    assert.deepEqual(
      { replicas: d.spec.replicas, strategy: d.spec.strategy, revisionHistoryLimit: d.spec.revisionHistoryLimit, progressDeadlineSeconds: d.spec.progressDeadlineSeconds },
      { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
    );
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    const recreate: any = { metadata: {}, spec: { strategy: { type: 'Recreate' } } };
    defaultDeployment(recreate);
    assert.deepEqual(recreate.spec.strategy, { type: 'Recreate' });
  });

  it('StatefulSet: policies, partition 0, PVC retention and claim templates', () => {
    const s: any = { metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { app: 'x' } }, template: template(), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] } };
    defaultStatefulSet(s);
    assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(s.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(s.spec.replicas, 1);
    assert.equal(s.spec.revisionHistoryLimit, 10);
    assert.equal(s.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  });

  it('DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0', () => {
    const ds: any = { metadata: {}, spec: { template: template() } };
    defaultDaemonSet(ds);
    assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.spec.revisionHistoryLimit, 10);
  });

  it('Job: counts, policies, and a generated selector and labels unless manualSelector', () => {
    const job: any = { metadata: { name: 'j', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'app:v1' }] } } } };
    defaultJob(job, true);
    assert.deepEqual(
      { p: job.spec.parallelism, c: job.spec.completions, b: job.spec.backoffLimit, m: job.spec.completionMode, s: job.spec.suspend, r: job.spec.podReplacementPolicy, ms: job.spec.manualSelector },
      { p: 1, c: 1, b: 6, m: 'NonIndexed', s: false, r: 'TerminatingOrFailed', ms: false },
    );
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    assert.deepEqual(job.spec.template.metadata.labels, { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'j', 'controller-uid': 'u-1', 'job-name': 'j' });
    assert.deepEqual(job.metadata.labels, job.spec.template.metadata.labels);
    const parallelOnly: any = { metadata: { name: 'p', uid: 'u-2' }, spec: { parallelism: 3, manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } } };
    defaultJob(parallelOnly, true);
    assert.equal(parallelOnly.spec.completions, undefined, 'completions stays unset when parallelism is given');
    assert.deepEqual(parallelOnly.spec.selector, { matchLabels: { a: 'b' } });
  });

  it('CronJob and PVC', () => {
    const cj: any = { metadata: {}, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } } } };
    defaultCronJob(cj);
    assert.deepEqual([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
    assert.equal(cj.spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy, 'Always');
    assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined, 'job defaults are not applied inside a jobTemplate');
    const pvc: any = { metadata: {}, spec: {} };
    defaultPersistentVolumeClaim(pvc, true);
    assert.equal(pvc.spec.volumeMode, 'Filesystem');
    assert.deepEqual(pvc.status, { phase: 'Pending' });
  });
});
