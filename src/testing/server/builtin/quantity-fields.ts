import type { KindHooks, Obj } from '../registry.js';
import { errors } from '../status.js';
import { isObject } from './field-errors.js';
import { QUANTITY_FORMAT_MESSAGE } from '../../validation/quantity-syntax.js';
import { canonicalQuantity, QuantityError } from './quantity.js';

/**
 * Where the served built-in kinds hold resource quantities, and the hook that stores them in canonical
 * form. A path is dot-separated: `[]` steps into every list item, `*` into every map value. Paths ending
 * in `.*` are ResourceLists (requests, limits, hard, capacity), whose values the server also rounds up to
 * milli; the others are single quantities (emptyDir sizeLimit, autoscaling targets).
 */
const RESOURCE_LISTS = (prefix: string, ...fields: string[]) => fields.map((field) => `${prefix}.${field}.*`);

function podSpecPaths(spec: string): string[] {
  return [
    ...['containers', 'initContainers', 'ephemeralContainers'].flatMap((list) => RESOURCE_LISTS(`${spec}.${list}[].resources`, 'requests', 'limits')),
    `${spec}.overhead.*`,
    `${spec}.volumes[].emptyDir.sizeLimit`,
    ...RESOURCE_LISTS(`${spec}.volumes[].ephemeral.volumeClaimTemplate.spec.resources`, 'requests', 'limits'),
  ];
}

const POD_STATUS = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'].flatMap((list) => [
  `status.${list}[].allocatedResources.*`,
  ...RESOURCE_LISTS(`status.${list}[].resources`, 'requests', 'limits'),
]);

const METRIC_SOURCES = ['object', 'pods', 'resource', 'containerResource', 'external'];

export const QUANTITY_PATHS: Record<string, string[]> = {
  'core/Pod': [...podSpecPaths('spec'), ...POD_STATUS],
  'apps/Deployment': podSpecPaths('spec.template.spec'),
  'apps/ReplicaSet': podSpecPaths('spec.template.spec'),
  'apps/DaemonSet': podSpecPaths('spec.template.spec'),
  'apps/StatefulSet': [...podSpecPaths('spec.template.spec'), ...RESOURCE_LISTS('spec.volumeClaimTemplates[].spec.resources', 'requests', 'limits')],
  'batch/Job': podSpecPaths('spec.template.spec'),
  'batch/CronJob': podSpecPaths('spec.jobTemplate.spec.template.spec'),
  'core/PersistentVolumeClaim': [...RESOURCE_LISTS('spec.resources', 'requests', 'limits'), 'status.capacity.*', 'status.allocatedResources.*'],
  'core/PersistentVolume': ['spec.capacity.*'],
  'core/Node': ['status.capacity.*', 'status.allocatable.*'],
  'core/ResourceQuota': ['spec.hard.*', 'status.hard.*', 'status.used.*'],
  'core/LimitRange': RESOURCE_LISTS('spec.limits[]', 'max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'),
  'autoscaling/HorizontalPodAutoscaler': METRIC_SOURCES.flatMap((source) => [
    `spec.metrics[].${source}.target.value`, `spec.metrics[].${source}.target.averageValue`,
    `status.currentMetrics[].${source}.current.value`, `status.currentMetrics[].${source}.current.averageValue`,
  ]),
};

/** Hooks that store every quantity of a kind in canonical form, refusing (400) one that does not parse. */
export function quantityHooks(kind: string, paths: string[]): KindHooks {
  return {
    prepare(obj, _old, version) {
      for (const path of paths) {
        const roundToMilli = path.endsWith('.*');
        visit(obj, path.split('.'), path, (value, at) => {
          try {
            // JSON null in a ResourceList decodes as a zero quantity.
            if (value === null) return roundToMilli ? '0' : null;
            if (typeof value !== 'string' && typeof value !== 'number') throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
            return canonicalQuantity(String(value), { roundToMilli });
          } catch (err) {
            if (!(err instanceof QuantityError)) throw err;
            throw errors.badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${err.message}`,
              `${at} must be a quantity such as "500m", "1Gi" or "2"; got ${JSON.stringify(value)}.`);
          }
        });
      }
    },
  };
}

/** Calls `fix` on every value at `segments` below `node`, storing what it returns; `at` names the field. */
function visit(node: unknown, segments: string[], at: string, fix: (value: unknown, at: string) => unknown): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (key === '*') {
    if (!isObject(node)) return;
    for (const name of Object.keys(node)) {
      if (rest.length === 0) node[name] = fix(node[name], at.replace('.*', `[${name}]`));
      else visit(node[name], rest, at, fix);
    }
    return;
  }
  if (!isObject(node) || !(key in node)) return;
  const child = (node as Obj)[key];
  if (list) {
    if (Array.isArray(child)) for (const item of child) visit(item, rest, at, fix);
    return;
  }
  if (rest.length === 0) {
    if (child !== undefined) (node as Obj)[key] = fix(child, at);
    return;
  }
  visit(child, rest, at, fix);
}
