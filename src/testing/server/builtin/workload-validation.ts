import type { StatusCause } from '../status.js';
import type { Obj } from '../registry.js';
import { invalid, isObject, notSupported, required } from './field-errors.js';
import { labelAndAnnotationProblems } from './metadata-validation.js';

/** Required fields and basic rules of pod specs and the workload kinds, worded like the real server. */

function containerProblems(list: unknown, path: string, requireOne: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    if (requireOne) causes.push(required(path));
    return causes;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(c)) return;
    if (typeof c.name !== 'string' || c.name === '') causes.push(required(`${at}.name`));
    else if (seen.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(c.name)}` });
    else seen.add(c.name);
    if (typeof c.image !== 'string' || c.image === '') causes.push(required(`${at}.image`));
    const policy = c.imagePullPolicy;
    if (policy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(policy)) causes.push(notSupported(`${at}.imagePullPolicy`, policy, ['Always', 'IfNotPresent', 'Never']));
    if (Array.isArray(c.ports)) {
      c.ports.forEach((p: unknown, j: number) => {
        if (!isObject(p)) return;
        const port = p.containerPort;
        if (typeof port !== 'number' || port < 1 || port > 65535) {
          causes.push(invalid(`${at}.ports[${j}].containerPort`, port ?? 0, 'must be between 1 and 65535, inclusive'));
        }
      });
    }
  });
  return causes;
}

/** Problems of a PodSpec at `path` (`spec` in a Pod, `spec.template.spec` in a workload). */
export function podSpecProblems(spec: unknown, path: string): StatusCause[] {
  const allowedRestartPolicies = ['Always', 'OnFailure', 'Never'];
  if (!isObject(spec)) return [required(`${path}.containers`)];
  const causes = [...containerProblems(spec.containers, `${path}.containers`, true), ...containerProblems(spec.initContainers, `${path}.initContainers`, false)];
  if (spec.restartPolicy !== undefined && !allowedRestartPolicies.includes(spec.restartPolicy)) {
    causes.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, allowedRestartPolicies));
  }
  if (spec.dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(spec.dnsPolicy)) {
    causes.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  return causes;
}

/** True when a label selector's matchLabels and matchExpressions accept these labels. */
export function selectorMatches(selector: Obj, labels: Obj | undefined): boolean {
  const have = labels ?? {};
  const wanted = isObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(wanted).every(([k, v]) => have[k] === v)) return false;
  const expressions: Obj[] = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return expressions.every((e) => {
    const values: unknown[] = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': return e.key in have && values.includes(have[e.key]);
      case 'NotIn': return !(e.key in have) || !values.includes(have[e.key]);
      case 'Exists': return e.key in have;
      case 'DoesNotExist': return !(e.key in have);
      default: return false;
    }
  });
}

function isEmptySelector(selector: Obj): boolean {
  return (!isObject(selector.matchLabels) || Object.keys(selector.matchLabels).length === 0)
    && (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0);
}

function nonNegative(causes: StatusCause[], value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'number' || value < 0)) causes.push(invalid(field, value, 'must be greater than or equal to 0'));
}

/** Selector + template rules shared by Deployments, ReplicaSets, StatefulSets and DaemonSets. */
function selectorAndTemplateProblems(spec: Obj, kindWord: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const selector = spec.selector;
  if (!isObject(selector)) causes.push(required('spec.selector'));
  else if (isEmptySelector(selector)) causes.push(invalid('spec.selector', selector, `empty selector is invalid for ${kindWord}`));
  const template = spec.template;
  if (!isObject(template)) {
    causes.push(required('spec.template'));
    return causes;
  }
  const labels = isObject(template.metadata) ? template.metadata.labels : undefined;
  if (isObject(selector) && !isEmptySelector(selector) && !selectorMatches(selector, labels)) {
    causes.push(invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (isObject(template.metadata)) causes.push(...labelAndAnnotationProblems(template.metadata, 'spec.template.metadata'));
  causes.push(...podSpecProblems(template.spec, 'spec.template.spec'));
  // Controllers that keep pods running only take Always.
  const restart = isObject(template.spec) ? template.spec.restartPolicy : undefined;
  if (restart !== undefined && restart !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  return causes;
}

export function deploymentProblems(obj: Obj): StatusCause[] {
  const spec = (obj.spec ?? {}) as Obj;
  const causes: StatusCause[] = [];
  nonNegative(causes, spec.replicas, 'spec.replicas');
  causes.push(...selectorAndTemplateProblems(spec, 'deployment'));
  nonNegative(causes, spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
  const strategy = spec.strategy;
  if (isObject(strategy) && !['Recreate', 'RollingUpdate'].includes(strategy.type)) causes.push(notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
  if (isObject(strategy) && strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    causes.push({ reason: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
  }
  if (typeof spec.progressDeadlineSeconds === 'number' && typeof spec.minReadySeconds === 'number' && spec.progressDeadlineSeconds <= spec.minReadySeconds) {
    causes.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return causes;
}

export function replicaSetProblems(obj: Obj): StatusCause[] {
  const spec = (obj.spec ?? {}) as Obj;
  const causes: StatusCause[] = [];
  nonNegative(causes, spec.replicas, 'spec.replicas');
  return [...causes, ...selectorAndTemplateProblems(spec, 'deployment')];
}

export function daemonSetProblems(obj: Obj): StatusCause[] {
  return selectorAndTemplateProblems((obj.spec ?? {}) as Obj, 'daemonset');
}

export function statefulSetProblems(obj: Obj): StatusCause[] {
  const spec = (obj.spec ?? {}) as Obj;
  const causes: StatusCause[] = [];
  nonNegative(causes, spec.replicas, 'spec.replicas');
  if (spec.podManagementPolicy !== undefined && !['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy)) {
    causes.push(notSupported('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']));
  }
  return [...causes, ...selectorAndTemplateProblems(spec, 'statefulset')];
}

export function jobProblems(obj: Obj): StatusCause[] {
  const spec = (obj.spec ?? {}) as Obj;
  const causes: StatusCause[] = [];
  nonNegative(causes, spec.parallelism, 'spec.parallelism');
  nonNegative(causes, spec.completions, 'spec.completions');
  nonNegative(causes, spec.backoffLimit, 'spec.backoffLimit');
  if (!isObject(spec.selector)) {
    if (spec.manualSelector === true) causes.push(required('spec.selector'));
  } else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
    causes.push(invalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (!isObject(spec.template)) causes.push(required('spec.template'));
  else {
    const restart = spec.template.spec?.restartPolicy;
    if (restart === 'Always' || restart === undefined || restart === '') {
      causes.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
    } else if (restart !== 'OnFailure' && restart !== 'Never') {
      causes.push(notSupported('spec.template.spec.restartPolicy', restart, ['OnFailure', 'Never']));
    }
    causes.push(...podSpecProblems(spec.template.spec, 'spec.template.spec'));
  }
  return causes;
}

export function cronJobProblems(obj: Obj): StatusCause[] {
  const spec = (obj.spec ?? {}) as Obj;
  const causes: StatusCause[] = [];
  if (typeof spec.schedule !== 'string' || spec.schedule === '') causes.push(required('spec.schedule'));
  if (typeof obj.metadata?.name === 'string' && obj.metadata.name.length > 52) {
    causes.push(invalid('metadata.name', obj.metadata.name, 'must be no more than 52 characters'));
  }
  const template = spec.jobTemplate?.spec?.template;
  if (!isObject(template)) causes.push(required('spec.jobTemplate.spec.template.spec.containers'));
  else causes.push(...podSpecProblems(template.spec, 'spec.jobTemplate.spec.template.spec'));
  return causes;
}

export function podProblems(obj: Obj): StatusCause[] {
  return podSpecProblems(obj.spec, 'spec');
}
