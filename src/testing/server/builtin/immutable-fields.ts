import { jsonEqual } from '../object-meta.js';
import type { StatusCause } from '../status.js';
import type { Obj } from '../registry.js';
import { forbidden, IMMUTABLE, invalid, isObject } from './field-errors.js';

/** Fields a real server refuses to change on update, with its wording. Each takes the new and the stored object. */

function immutable(field: string, now: unknown, before: unknown): StatusCause[] {
  return jsonEqual(now, before) ? [] : [invalid(field, now ?? null, IMMUTABLE)];
}

/** Deployments, ReplicaSets and DaemonSets: spec.selector. */
export function selectorImmutable(obj: Obj, old: Obj): StatusCause[] {
  return immutable('spec.selector', obj.spec?.selector, old.spec?.selector);
}

const STATEFULSET_UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function statefulSetImmutable(obj: Obj, old: Obj): StatusCause[] {
  const strip = (spec: unknown): Obj => {
    const copy: Obj = { ...(isObject(spec) ? spec : {}) };
    for (const key of STATEFULSET_UPDATABLE) delete copy[key];
    return copy;
  };
  if (jsonEqual(strip(obj.spec), strip(old.spec))) return [];
  return [forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")];
}

export function jobImmutable(obj: Obj, old: Obj): StatusCause[] {
  const spec = (obj.spec ?? {}) as Obj;
  const before = (old.spec ?? {}) as Obj;
  return [
    ...immutable('spec.selector', spec.selector, before.selector),
    ...immutable('spec.template', spec.template, before.template),
    ...immutable('spec.completionMode', spec.completionMode, before.completionMode),
    ...(spec.completionMode === 'Indexed' ? [] : immutable('spec.completions', spec.completions, before.completions)),
  ];
}

/** Service: the allocated cluster IPs (the primary may not change), and ipFamilies' primary. */
export function serviceImmutable(obj: Obj, old: Obj): StatusCause[] {
  const now: unknown[] = Array.isArray(obj.spec?.clusterIPs) ? obj.spec.clusterIPs : [];
  const before: unknown[] = Array.isArray(old.spec?.clusterIPs) ? old.spec.clusterIPs : [];
  if (obj.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  if (now[0] === 'None' && before[0] === 'None') return [];
  const causes: StatusCause[] = [];
  if (now.length === before.length) {
    before.forEach((ip, i) => {
      if (ip !== now[i]) causes.push(invalid(`spec.clusterIPs[${i}]`, now, 'may not change once set'));
    });
  } else if (now.length === 0) {
    causes.push(invalid('spec.clusterIPs[0]', now, 'primary clusterIP can not be unset'));
  } else if (before.length > 0 && now[0] !== before[0]) {
    causes.push(invalid('spec.clusterIPs[0]', now, 'may not change once set'));
  }
  return causes;
}

/** ConfigMaps and Secrets marked immutable: data, binaryData and the flag itself stay as they are. */
export function immutableDataProblems(obj: Obj, old: Obj): StatusCause[] {
  if (old.immutable !== true) return [];
  const causes: StatusCause[] = [];
  const detail = 'field is immutable when `immutable` is set';
  if (obj.immutable !== true) causes.push(forbidden('immutable', detail));
  if (!jsonEqual(obj.data ?? {}, old.data ?? {})) causes.push(forbidden('data', detail));
  if (old.kind === 'ConfigMap' && !jsonEqual(obj.binaryData ?? {}, old.binaryData ?? {})) causes.push(forbidden('binaryData', detail));
  return causes;
}

export function secretTypeImmutable(obj: Obj, old: Obj): StatusCause[] {
  return immutable('type', obj.type, old.type);
}

const POD_MUTABLE_MESSAGE = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pods: only images, activeDeadlineSeconds, added tolerations and terminationGracePeriodSeconds may change. */
export function podImmutable(obj: Obj, old: Obj): StatusCause[] {
  const strip = (spec: unknown): Obj => {
    const copy: Obj = structuredClone(isObject(spec) ? spec : {});
    for (const list of ['containers', 'initContainers']) if (Array.isArray(copy[list])) for (const c of copy[list]) if (isObject(c)) delete c.image;
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    delete copy.terminationGracePeriodSeconds;
    return copy;
  };
  if (jsonEqual(strip(obj.spec), strip(old.spec))) return [];
  return [forbidden('spec', POD_MUTABLE_MESSAGE)];
}
