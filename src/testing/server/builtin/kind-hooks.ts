import type { KindHooks, Obj } from '../registry.js';
import type { StatusCause } from '../status.js';
import { immutableDataProblems, jobImmutable, podImmutable, secretTypeImmutable, selectorImmutable, serviceImmutable, statefulSetImmutable } from './immutable-fields.js';
import { coreEventProblems, eventsV1Problems, leaseProblems } from './lease-event-validation.js';
import { prepareMicroTimes } from './micro-time.js';
import { applyLimitRangeDefaults, claimLimitViolation, defaultLimitRange, podLimitViolation } from './limit-ranger.js';
import { defaultPod, qosClass } from './pod-defaults.js';
import { QUANTITY_PATHS, quantityHooks } from './quantity-fields.js';
import { QUANTITY_VALUE_HOOKS } from './quantity-values.js';
import { defaultServiceSpec, prepareService, ServiceAllocator } from './service-defaults.js';
import { serviceProblems } from './service-validation.js';
import { required, isObject } from './field-errors.js';
import { webhookConfigurationHooks } from './webhook-configuration.js';
import {
  defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultPersistentVolumeClaim, defaultReplicaSet, defaultStatefulSet,
  INITIAL_WORKLOAD_STATUS,
} from './workload-defaults.js';
import {
  cronJobProblems, daemonSetProblems, deploymentProblems, jobProblems, podProblems, replicaSetProblems, statefulSetProblems,
} from './workload-validation.js';

/** Key of a built-in kind in the hooks table: `apps/Deployment`, `core/Pod` for the core group. */
export function kindKey(group: string, kind: string): string {
  return `${group === '' ? 'core' : group}/${kind}`;
}

/** Hooks that run `first`'s steps, then `second`'s; validation causes of both are reported. */
export function combineHooks(first: KindHooks | undefined, second: KindHooks | undefined): KindHooks | undefined {
  if (!first) return second;
  if (!second) return first;
  return {
    ...first,
    ...second,
    ...(first.decode || second.decode ? {
      decode(obj: Obj, version: string, creating: boolean) {
        first.decode?.(obj, version, creating);
        second.decode?.(obj, version, creating);
      },
    } : {}),
    prepare(obj, old, version) {
      first.prepare?.(obj, old, version);
      second.prepare?.(obj, old, version);
    },
    validate(obj, old, version) {
      return [...(first.validate?.(obj, old, version) ?? []), ...(second.validate?.(obj, old, version) ?? [])];
    },
    ...(first.admit || second.admit ? { admit: (obj: Obj, old: Obj | undefined, version: string) => first.admit?.(obj, old, version) ?? second.admit?.(obj, old, version) } : {}),
  };
}

/**
 * Hooks of a kind: defaulting, validation on every write, and the immutable-field checks of an update.
 * `decode`: the kind's field defaults (no allocation, no status), which the real server applies while it decodes
 * the request, so mutating webhooks see them; `prepare` applies them again after the webhooks.
 */
function kindHooks(
  prepare: (obj: Obj, old: Obj | undefined) => void, validate: (obj: Obj, old: Obj | undefined) => StatusCause[],
  immutable?: (obj: Obj, old: Obj) => StatusCause[], decode?: (obj: Obj, creating: boolean) => void,
): KindHooks {
  return {
    ...(decode ? { decode: (obj: Obj, _version: string, creating: boolean) => decode(obj, creating) } : {}),
    prepare: (obj, old) => prepare(obj, old),
    validate: (obj, old) => [...validate(obj, old), ...(old && immutable ? immutable(obj, old) : [])],
  };
}

const none = (): StatusCause[] => [];

/** What the hooks may look up in the server's state, as admission plugins do. */
export interface BuiltinHookContext {
  /** The LimitRanges stored in a namespace. */
  limitRanges?(namespace: string): Obj[];
}

function claimProblems(obj: Obj): StatusCause[] {
  const spec = (isObject(obj.spec) ? obj.spec : {}) as Obj;
  const causes: StatusCause[] = [];
  if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0) causes.push(required('spec.accessModes', 'at least 1 access mode is required'));
  if (!spec.dataSource && !spec.dataSourceRef && spec.resources?.requests?.storage === undefined) causes.push(required('spec.resources[storage]'));
  return causes;
}

/**
 * Built-in defaulting and validation of every built-in kind the embedded server can serve, keyed by
 * `kindKey(group, kind)`. Each call makes a fresh table with its own cluster IP / node port allocator,
 * so one server's allocations never leak into another's.
 */
export function createBuiltinKindHooks(context: BuiltinHookContext = {}): Record<string, KindHooks> {
  const allocator = new ServiceAllocator();
  const limitRanges = (obj: Obj): Obj[] => (typeof obj.metadata?.namespace === 'string' ? context.limitRanges?.(obj.metadata.namespace) ?? [] : []);
  const table: Record<string, KindHooks> = {
    'core/Pod': {
      ...kindHooks((obj, old) => {
        defaultPod(obj, !old);
        if (old) return;
        // LimitRanger's defaults come after the Pod's own (requests from limits) and before its QoS class is set.
        const ranges = limitRanges(obj);
        if (ranges.length === 0) return;
        applyLimitRangeDefaults(obj, ranges);
        obj.status = { ...obj.status, qosClass: qosClass(obj.spec) };
      }, podProblems, podImmutable, (obj, creating) => {
        // The status is the strategy's, set after the webhooks; LimitRanger's defaults come before them.
        defaultPod(obj, creating, false);
        const ranges = creating ? limitRanges(obj) : [];
        if (ranges.length > 0) applyLimitRangeDefaults(obj, ranges);
      }),
      admit: (obj, old) => (old ? undefined : podLimitViolation(obj, limitRanges(obj))),
    },
    'core/LimitRange': kindHooks(defaultLimitRange, none),
    'core/Service': kindHooks((obj, old) => prepareService(obj, old, allocator), serviceProblems, serviceImmutable, (obj) => {
      if (isObject(obj.spec)) defaultServiceSpec(obj.spec);
    }),
    'core/ConfigMap': kindHooks(() => undefined, none, immutableDataProblems),
    'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookConfigurationHooks(true),
    'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookConfigurationHooks(false),
    'core/Secret': kindHooks(() => undefined, none, (obj, old) => [...immutableDataProblems(obj, old), ...secretTypeImmutable(obj, old)]),
    'core/PersistentVolumeClaim': {
      ...kindHooks((obj, old) => defaultPersistentVolumeClaim(obj, !old), claimProblems, undefined, (obj) => defaultPersistentVolumeClaim(obj, false)),
      // The plugin skips objects already being deleted.
      admit: (obj, old) => (old && typeof old.metadata?.deletionTimestamp === 'string' ? undefined : claimLimitViolation(obj, limitRanges(obj))),
    },
    'core/Event': {
      prepare: (obj, _old, version) => prepareMicroTimes(obj, ['eventTime', 'series.lastObservedTime'], 'Event', version),
      validate: (obj) => coreEventProblems(obj),
    },
    'events.k8s.io/Event': {
      prepare: (obj, _old, version) => prepareMicroTimes(obj, ['eventTime', 'series.lastObservedTime'], 'Event', version),
      validate: (obj) => eventsV1Problems(obj),
    },
    'coordination.k8s.io/Lease': {
      prepare: (obj, _old, version) => prepareMicroTimes(obj, ['spec.acquireTime', 'spec.renewTime'], 'Lease', version),
      validate: (obj) => leaseProblems(obj),
    },
    'apps/Deployment': kindHooks(defaultDeployment, deploymentProblems, selectorImmutable, defaultDeployment),
    'apps/ReplicaSet': kindHooks(defaultReplicaSet, replicaSetProblems, selectorImmutable, defaultReplicaSet),
    'apps/DaemonSet': kindHooks(defaultDaemonSet, daemonSetProblems, selectorImmutable, defaultDaemonSet),
    'apps/StatefulSet': kindHooks(defaultStatefulSet, statefulSetProblems, statefulSetImmutable, defaultStatefulSet),
    // The generated selector needs the uid, which the server sets after the webhooks.
    'batch/Job': kindHooks((obj, old) => defaultJob(obj, !old), jobProblems, jobImmutable, (obj) => defaultJob(obj, false)),
    'batch/CronJob': kindHooks(defaultCronJob, cronJobProblems, undefined, defaultCronJob),
  };
  for (const [key, status] of Object.entries(INITIAL_WORKLOAD_STATUS)) {
    table[key] = combineHooks(table[key], { prepare: (obj, old) => { if (!old) obj.status = structuredClone(status); } })!;
  }
  for (const [key, paths] of Object.entries(QUANTITY_PATHS)) table[key] = combineHooks(quantityHooks(key.split('/')[1]!, paths), table[key])!;
  for (const [key, hooks] of Object.entries(QUANTITY_VALUE_HOOKS)) table[key] = combineHooks(table[key], hooks)!;
  return table;
}
