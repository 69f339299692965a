import type { KindHooks, Obj } from '../registry.js';
import type { StatusCause } from '../status.js';
import { compareAmounts as compare, parseQuantity, type Amount as Fraction } from '../../validation/quantity-amount.js';
import { forbidden, invalid, isObject, required } from './field-errors.js';

/**
 * The value rules a v1.32 server applies to resource quantities of the served built-in kinds (core
 * validation's validateResourceRequirements, ValidateResourceQuantityValue and the claim and quota rules):
 * - container `resources` in Pods and in the pod templates of Deployments, ReplicaSets, DaemonSets, Jobs and
 *   CronJobs (not StatefulSets, whose template the server does not check this way): no negative value; a
 *   request at most its limit, and equal to it for resources that cannot be overcommitted (extended
 *   resources such as `example.com/gpu`, hugepages), which then need a limit; hugepages in whole pages and
 *   only next to cpu or memory;
 * - PersistentVolumeClaims: `spec.resources.requests.storage` above zero;
 * - ResourceQuotas: no negative `spec.hard` value.
 * LimitRanges get no value checks (the server accepts negative ones). Values arrive in canonical form (the
 * quantity hooks run first), which is the form the server prints in its messages.
 */

function amount(value: unknown): Fraction | undefined {
  return typeof value === 'string' ? parseQuantity(value) : undefined;
}

const ZERO: Fraction = { num: 0n, den: 1n };
const NEGATIVE = 'must be greater than or equal to 0';

function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

function overcommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePages(name);
}

/** "3Mi is not positive integer multiple of hugepages-2Mi", or nothing when the value is whole pages. */
function hugePageProblem(name: string, value: string, quantity: Fraction): string | undefined {
  const page = parseQuantity(name.slice('hugepages-'.length));
  const whole = page !== undefined && page.num > 0n && (quantity.num * page.den) % (page.num * quantity.den) === 0n;
  return whole ? undefined : `${value} is not positive integer multiple of ${name}`;
}

const sortedEntries = (list: unknown): Array<[string, unknown]> => (isObject(list) ? Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : []);

/** validateResourceRequirements for one container's `resources` at `path`. */
export function resourceRequirementProblems(resources: unknown, path: string): StatusCause[] {
  if (!isObject(resources)) return [];
  const causes: StatusCause[] = [];
  const limits = isObject(resources.limits) ? resources.limits : {};
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, value] of sortedEntries(resources.limits)) {
    const quantity = amount(value);
    if (quantity === undefined) continue;
    if (compare(quantity, ZERO) < 0) causes.push(invalid(`${limPath}[${name}]`, value, NEGATIVE));
    if (isHugePages(name)) {
      hugePages = true;
      const problem = hugePageProblem(name, String(value), quantity);
      if (problem) causes.push(invalid(`${limPath}[${name}]`, value, problem));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, value] of sortedEntries(resources.requests)) {
    const quantity = amount(value);
    if (quantity === undefined) continue;
    if (compare(quantity, ZERO) < 0) causes.push(invalid(`${reqPath}[${name}]`, value, NEGATIVE));
    const limit = limits[name];
    const limitQuantity = amount(limit);
    if (limitQuantity !== undefined) {
      const order = compare(quantity, limitQuantity);
      if (order !== 0 && !overcommitAllowed(name)) causes.push(invalid(reqPath, value, `must be equal to ${name} limit of ${String(limit)}`));
      else if (order > 0) causes.push(invalid(reqPath, value, `must be less than or equal to ${name} limit of ${String(limit)}`));
    } else if (!overcommitAllowed(name)) {
      causes.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) {
      hugePages = true;
      const problem = hugePageProblem(name, String(value), quantity);
      if (problem) causes.push(invalid(`${reqPath}[${name}]`, value, problem));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) causes.push(forbidden(path, 'HugePages require cpu or memory'));
  return causes;
}

/** The container resource rules for the pod spec at the dotted `specPath` of `obj`. */
function podSpecQuantityProblems(obj: Obj, specPath: string): StatusCause[] {
  let spec: unknown = obj;
  for (const step of specPath.split('.')) spec = isObject(spec) ? spec[step] : undefined;
  if (!isObject(spec)) return [];
  const causes: StatusCause[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      if (isObject(container)) causes.push(...resourceRequirementProblems(container.resources, `${specPath}.${list}[${index}].resources`));
    });
  }
  return causes;
}

function claimStorageProblems(obj: Obj): StatusCause[] {
  const storage = obj.spec?.resources?.requests?.storage;
  const quantity = amount(storage);
  return quantity !== undefined && compare(quantity, ZERO) <= 0 ? [invalid('spec.resources[storage]', storage, 'must be greater than zero')] : [];
}

function quotaProblems(obj: Obj): StatusCause[] {
  return sortedEntries(obj.spec?.hard).flatMap(([name, value]) => {
    const quantity = amount(value);
    return quantity !== undefined && compare(quantity, ZERO) < 0 ? [invalid(`spec.hard[${name}]`, value, NEGATIVE)] : [];
  });
}

const podSpecAt = (specPath: string): KindHooks => ({ validate: (obj) => podSpecQuantityProblems(obj, specPath) });

/** Validation hooks per built-in kind (`kindKey`), run after the quantities are stored in canonical form. */
export const QUANTITY_VALUE_HOOKS: Record<string, KindHooks> = {
  'core/Pod': podSpecAt('spec'),
  'apps/Deployment': podSpecAt('spec.template.spec'),
  'apps/ReplicaSet': podSpecAt('spec.template.spec'),
  'apps/DaemonSet': podSpecAt('spec.template.spec'),
  'batch/Job': podSpecAt('spec.template.spec'),
  'batch/CronJob': podSpecAt('spec.jobTemplate.spec.template.spec'),
  'core/PersistentVolumeClaim': { validate: claimStorageProblems },
  'core/ResourceQuota': { validate: quotaProblems },
};
