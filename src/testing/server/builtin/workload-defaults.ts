import type { Obj } from '../registry.js';
import { isObject } from './field-errors.js';
import { defaultClaimSpec, defaultPodTemplate, defaultTemplateMetadata } from './pod-defaults.js';

/** Defaults of the workload kinds (apps/v1 and batch/v1), each with its pod template's. */

function specOf(obj: Obj): Obj {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as Obj;
}

export function defaultDeployment(obj: Obj): void {
  const spec = specOf(obj);
  spec.replicas ??= 1;
  const strategy = (isObject(spec.strategy) ? spec.strategy : (spec.strategy = {})) as Obj;
  if (strategy.type === undefined || strategy.type === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : (strategy.rollingUpdate = {})) as Obj;
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(obj: Obj): void {
  const spec = specOf(obj);
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

export function defaultDaemonSet(obj: Obj): void {
  const spec = specOf(obj);
  const strategy = (isObject(spec.updateStrategy) ? spec.updateStrategy : (spec.updateStrategy = {})) as Obj;
  if (strategy.type === undefined || strategy.type === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : (strategy.rollingUpdate = {})) as Obj;
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}

export function defaultStatefulSet(obj: Obj): void {
  const spec = specOf(obj);
  if (spec.podManagementPolicy === undefined || spec.podManagementPolicy === '') spec.podManagementPolicy = 'OrderedReady';
  const strategy = (isObject(spec.updateStrategy) ? spec.updateStrategy : (spec.updateStrategy = {})) as Obj;
  if (strategy.type === undefined || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    if (!isObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
  }
  if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) strategy.rollingUpdate.partition ??= 0;
  const retention = (isObject(spec.persistentVolumeClaimRetentionPolicy) ? spec.persistentVolumeClaimRetentionPolicy : (spec.persistentVolumeClaimRetentionPolicy = {})) as Obj;
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (Array.isArray(spec.volumeClaimTemplates)) {
    for (const claim of spec.volumeClaimTemplates) {
      if (!isObject(claim)) continue;
      defaultTemplateMetadata(claim);
      defaultClaimSpec(claim.spec ??= {});
      claim.status = { phase: 'Pending', ...(isObject(claim.status) ? claim.status : {}) };
    }
  }
  defaultPodTemplate(spec.template);
}

/** Labels the real server puts on a Job's pod template and selects by, unless manualSelector is true. */
export function jobSelectorLabels(uid: string, name: string): Record<string, string> {
  return { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
}

export function defaultJob(obj: Obj, creating: boolean): void {
  const spec = specOf(obj);
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  if (isObject(spec.podFailurePolicy) && Array.isArray(spec.podFailurePolicy.rules)) {
    for (const rule of spec.podFailurePolicy.rules) {
      for (const pattern of isObject(rule) && Array.isArray(rule.onPodConditions) ? rule.onPodConditions : []) {
        if (isObject(pattern) && !pattern.status) pattern.status = 'True';
      }
    }
  }
  if (creating && spec.manualSelector !== true && typeof obj.metadata?.uid === 'string') {
    const generated = jobSelectorLabels(obj.metadata.uid, obj.metadata.name);
    const template = (isObject(spec.template) ? spec.template : (spec.template = {})) as Obj;
    const meta = (isObject(template.metadata) ? template.metadata : (template.metadata = {})) as Obj;
    // Labels the client already set are kept; validation then reports a mismatch, as on a real server.
    meta.labels = { ...generated, ...(isObject(meta.labels) ? meta.labels : {}) };
    const selector = (isObject(spec.selector) ? spec.selector : (spec.selector = {})) as Obj;
    const matchLabels = (isObject(selector.matchLabels) ? selector.matchLabels : (selector.matchLabels = {})) as Obj;
    matchLabels['batch.kubernetes.io/controller-uid'] ??= obj.metadata.uid;
  }
  // A Job without labels takes its template's (as read back from storage, generated labels included).
  const templateLabels = spec.template?.metadata?.labels;
  if (isObject(templateLabels) && (!isObject(obj.metadata.labels) || Object.keys(obj.metadata.labels).length === 0)) {
    obj.metadata.labels = { ...templateLabels };
  }
  defaultPodTemplate(spec.template);
}

export function defaultCronJob(obj: Obj): void {
  const spec = specOf(obj);
  if (spec.concurrencyPolicy === undefined || spec.concurrencyPolicy === '') spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  if (isObject(spec.jobTemplate)) {
    defaultTemplateMetadata(spec.jobTemplate);
    if (isObject(spec.jobTemplate.spec)) defaultPodTemplate(spec.jobTemplate.spec.template);
  }
}

/** PersistentVolumeClaim: volumeMode Filesystem; a new claim is Pending. */
export function defaultPersistentVolumeClaim(obj: Obj, creating: boolean): void {
  defaultClaimSpec(specOf(obj));
  if (creating) obj.status = { phase: 'Pending' };
}

/** The status a real server returns for a new workload before any controller has written one (zero counts kept). */
export const INITIAL_WORKLOAD_STATUS: Record<string, Obj> = {
  'apps/Deployment': {},
  'apps/StatefulSet': { availableReplicas: 0, replicas: 0 },
  'apps/DaemonSet': { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 },
  'apps/ReplicaSet': { replicas: 0 },
  'batch/Job': {},
  'batch/CronJob': {},
};
