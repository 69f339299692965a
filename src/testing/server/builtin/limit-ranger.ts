import { decimalValue, scanQuantity, type QuantityFormat } from '../../validation/quantity-syntax.js';
import type { Obj } from '../registry.js';
import { errors } from '../status.js';
import { isObject } from './field-errors.js';
import { jsonType } from './namespace-finalize.js';
import { canonicalQuantity } from './quantity.js';

/**
 * The LimitRanger admission plugin of a v1.32 server, over the LimitRanges of the object's namespace:
 * - new Pods get the `default` limits and `defaultRequest` requests of `type: Container` items for the
 *   resources a container (or init container) leaves unset, and the `kubernetes.io/limit-ranger` annotation
 *   saying what was set; Pod updates and the pod templates of workloads are left alone, as on the server;
 * - new Pods are then checked against `min`, `max` and `maxLimitRequestRatio` of `Container` and `Pod` items,
 *   and PersistentVolumeClaims (create and update) against `min`/`max` of `PersistentVolumeClaim` items;
 *   a violation is refused with the plugin's words (403 Forbidden).
 * Quantities arrive in canonical form (the kinds' quantity hooks run first), which is how the plugin prints them.
 */

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string>;

function resourceList(value: unknown): ResourceList {
  if (!isObject(value)) return {};
  const out: ResourceList = {};
  for (const [key, quantity] of Object.entries(value)) if (typeof quantity === 'string') out[key] = quantity;
  return out;
}

function items(limitRange: Obj): Obj[] {
  return Array.isArray(limitRange.spec?.limits) ? limitRange.spec.limits.filter(isObject) : [];
}

const RESOURCE_LIST_FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'];

/** The real server fails to decode a LimitRange whose spec has the wrong JSON types: 400, worded as Go's decoder. */
function checkLimitRangeTypes(limitRange: Obj): void {
  const fail = (value: unknown, field: string, type: string) => {
    throw errors.badRequest(`LimitRange in version "v1" cannot be handled as a LimitRange: json: cannot unmarshal ${jsonType(value)} into Go struct field ${field} of type ${type}`,
      'spec.limits is a list of {type, max, min, default, defaultRequest, maxLimitRequestRatio}, each of those a map of resource name to quantity.');
  };
  const spec = limitRange.spec;
  if (spec === undefined || spec === null) return;
  if (!isObject(spec)) fail(spec, 'LimitRange.spec', 'v1.LimitRangeSpec');
  const limits = spec.limits;
  if (limits === undefined || limits === null) return;
  if (!Array.isArray(limits)) fail(limits, 'LimitRangeSpec.spec.limits', '[]v1.LimitRangeItem');
  for (const item of limits as unknown[]) {
    if (item === null) continue;
    if (!isObject(item)) fail(item, 'LimitRangeSpec.spec.limits', 'v1.LimitRangeItem');
    const typed = item as Obj;
    if (typed.type !== undefined && typed.type !== null && typeof typed.type !== 'string') fail(typed.type, 'LimitRangeItem.spec.limits.type', 'v1.LimitType');
    for (const field of RESOURCE_LIST_FIELDS) {
      const list = typed[field];
      if (list !== undefined && list !== null && !isObject(list)) fail(list, `LimitRangeItem.spec.limits.${field}`, 'v1.ResourceList');
    }
  }
}

/** A LimitRange's own defaults: a Container item's `default` falls back to `max`, `defaultRequest` to `default`, then `min`. */
export function defaultLimitRange(limitRange: Obj): void {
  checkLimitRangeTypes(limitRange);
  for (const item of items(limitRange)) {
    if (item.type !== 'Container') continue;
    const defaults: ResourceList = { ...resourceList(item.default) };
    for (const [key, value] of Object.entries(resourceList(item.max))) if (!(key in defaults)) defaults[key] = value;
    const requests: ResourceList = { ...resourceList(item.defaultRequest) };
    for (const [key, value] of Object.entries(defaults)) if (!(key in requests)) requests[key] = value;
    for (const [key, value] of Object.entries(resourceList(item.min))) if (!(key in requests)) requests[key] = value;
    if (Object.keys(defaults).length > 0) item.default = defaults;
    if (Object.keys(requests).length > 0) item.defaultRequest = requests;
  }
}

/** Fills unset container requests and limits of a new Pod from the Container items; records them in the annotation. */
export function applyLimitRangeDefaults(pod: Obj, limitRanges: Obj[]): void {
  for (const limitRange of limitRanges) {
    const defaults: ResourceList = {};
    const requests: ResourceList = {};
    for (const item of items(limitRange)) {
      if (item.type !== 'Container') continue;
      Object.assign(requests, resourceList(item.defaultRequest));
      Object.assign(defaults, resourceList(item.default));
    }
    const notes: string[] = [];
    const spec = isObject(pod.spec) ? pod.spec : {};
    for (const [list, label] of [['containers', 'container'], ['initContainers', 'init container']] as const) {
      for (const container of Array.isArray(spec[list]) ? spec[list] : []) {
        // A malformed container is left as sent, for validation to refuse.
        if (!isObject(container) || (container.resources !== undefined && !isObject(container.resources))) continue;
        const resources = (container.resources ??= {}) as Obj;
        const setLimits = fillMissing(resources, 'limits', defaults);
        const setRequests = fillMissing(resources, 'requests', requests);
        if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${label} ${String(container.name)}`);
        if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${label} ${String(container.name)}`);
      }
    }
    if (notes.length > 0) {
      pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
    }
  }
}

function fillMissing(resources: Obj, field: 'limits' | 'requests', defaults: ResourceList): string[] {
  const keys = Object.keys(defaults);
  if (keys.length === 0 || (resources[field] !== undefined && resources[field] !== null && !isObject(resources[field]))) return [];
  const current: Obj = isObject(resources[field]) ? { ...resources[field] } : {};
  const set = keys.filter((key) => !(key in current));
  for (const key of set) current[key] = defaults[key];
  if (set.length > 0) resources[field] = current;
  return set;
}

/** The plugin's answer for a new Pod, or undefined when every Container and Pod item allows it. */
export function podLimitViolation(pod: Obj, limitRanges: Obj[]): string | undefined {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const containers: Obj[] = (Array.isArray(spec.containers) ? spec.containers : []).filter(isObject);
  const initContainers: Obj[] = (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(isObject);
  for (const limitRange of limitRanges) {
    const problems: string[] = [];
    for (const item of items(limitRange)) {
      if (item.type === 'Container') {
        for (const container of [...containers, ...initContainers]) {
          problems.push(...constraintProblems('Container', item, resourceList(container.resources?.requests), resourceList(container.resources?.limits)));
        }
      } else if (item.type === 'Pod') {
        problems.push(...constraintProblems('Pod', item, podTotal(containers, initContainers, 'requests'), podTotal(containers, initContainers, 'limits')));
      }
    }
    const message = aggregate(problems);
    if (message) return message;
  }
  return undefined;
}

/** The plugin's answer for a PersistentVolumeClaim, or undefined when every PersistentVolumeClaim item allows it. */
export function claimLimitViolation(claim: Obj, limitRanges: Obj[]): string | undefined {
  const requests = resourceList(claim.spec?.resources?.requests);
  for (const limitRange of limitRanges) {
    const problems: string[] = [];
    for (const item of items(limitRange)) {
      if (item.type !== 'PersistentVolumeClaim') continue;
      for (const [key, enforced] of Object.entries(resourceList(item.min))) problems.push(...minProblem('PersistentVolumeClaim', key, enforced, requests, {}));
      for (const [key, enforced] of Object.entries(resourceList(item.max))) problems.push(...maxRequestProblem('PersistentVolumeClaim', key, enforced, requests));
    }
    const message = aggregate(problems);
    if (message) return message;
  }
  return undefined;
}

/** apimachinery's error aggregate: one message as is, several in brackets, duplicates once. */
function aggregate(problems: string[]): string | undefined {
  const unique = [...new Set(problems)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

function constraintProblems(limitType: string, item: Obj, requests: ResourceList, limits: ResourceList): string[] {
  const problems: string[] = [];
  for (const [key, enforced] of Object.entries(resourceList(item.min))) problems.push(...minProblem(limitType, key, enforced, requests, limits));
  for (const [key, enforced] of Object.entries(resourceList(item.max))) problems.push(...maxProblem(limitType, key, enforced, requests, limits));
  for (const [key, enforced] of Object.entries(resourceList(item.maxLimitRequestRatio))) problems.push(...ratioProblem(limitType, key, enforced, requests, limits));
  return problems;
}

// ---- quantities as the plugin compares them ----

/** int64 bound below which the plugin compares milli-values instead of values. */
const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;

interface Amount {
  /** The value in thousandths, rounded up (ResourceList values are at milli precision already). */
  milli: bigint;
  format: QuantityFormat;
}

function amountOf(text: string | undefined): Amount {
  if (text === undefined) return { milli: 0n, format: 'DecimalSI' };
  const parts = scanQuantity(text.trim());
  if ('error' in parts) return { milli: 0n, format: 'DecimalSI' };
  const { unscaled, scale } = decimalValue(parts);
  return { milli: ceilDiv(unscaled * 1000n, 10n ** BigInt(scale)), format: parts.format };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a > 0n) === (b > 0n) ? q + 1n : q;
}

const valueOf = (amount: Amount): bigint => ceilDiv(amount.milli, 1000n);

/** Quantity.Value() of each, or MilliValue() when all three fit: what the plugin compares. */
function compared(request: string | undefined, limit: string | undefined, enforced: string): [bigint, bigint, bigint] {
  const all = [amountOf(request), amountOf(limit), amountOf(enforced)];
  const values = all.map(valueOf);
  if (values.every((v) => v <= MAX_MILLI_VALUE)) return all.map((a) => a.milli) as [bigint, bigint, bigint];
  return values as [bigint, bigint, bigint];
}

/** How Quantity.String() prints a sum: canonical, in the format of the first addend. */
function printed(amount: Amount): string {
  if (amount.format === 'BinarySI' && amount.milli % 1000n === 0n) {
    const bytes = amount.milli / 1000n;
    return canonicalQuantity(bytes % 1024n === 0n && bytes !== 0n ? `${bytes / 1024n}Ki` : `${bytes}`);
  }
  return canonicalQuantity(`${amount.milli}m`);
}

function minProblem(limitType: string, key: string, enforced: string, requests: ResourceList, limits: ResourceList): string[] {
  const [req, lim, min] = compared(requests[key], limits[key], enforced);
  if (!(key in requests)) return [`minimum ${key} usage per ${limitType} is ${enforced}.  No request is specified`];
  if (req < min) return [`minimum ${key} usage per ${limitType} is ${enforced}, but request is ${requests[key]}`];
  if (key in limits && lim < min) return [`minimum ${key} usage per ${limitType} is ${enforced}, but limit is ${limits[key]}`];
  return [];
}

function maxRequestProblem(limitType: string, key: string, enforced: string, requests: ResourceList): string[] {
  const [req, , max] = compared(requests[key], undefined, enforced);
  if (!(key in requests)) return [`maximum ${key} usage per ${limitType} is ${enforced}.  No request is specified`];
  if (req > max) return [`maximum ${key} usage per ${limitType} is ${enforced}, but request is ${requests[key]}`];
  return [];
}

function maxProblem(limitType: string, key: string, enforced: string, requests: ResourceList, limits: ResourceList): string[] {
  const [req, lim, max] = compared(requests[key], limits[key], enforced);
  if (!(key in limits)) return [`maximum ${key} usage per ${limitType} is ${enforced}.  No limit is specified`];
  if (lim > max) return [`maximum ${key} usage per ${limitType} is ${enforced}, but limit is ${limits[key]}`];
  if (key in requests && req > max) return [`maximum ${key} usage per ${limitType} is ${enforced}, but request is ${requests[key]}`];
  return [];
}

function ratioProblem(limitType: string, key: string, enforced: string, requests: ResourceList, limits: ResourceList): string[] {
  const [req, lim] = compared(requests[key], limits[key], enforced);
  if (!(key in requests) || req === 0n) return [`${key} max limit to request ratio per ${limitType} is ${enforced}, but no request is specified or request is 0`];
  if (!(key in limits) || lim === 0n) return [`${key} max limit to request ratio per ${limitType} is ${enforced}, but no limit is specified or limit is 0`];
  const observed = Number(lim) / Number(req);
  const enforcedAmount = amountOf(enforced);
  const small = valueOf(enforcedAmount) <= MAX_MILLI_VALUE;
  const ratio = small ? observed * 1000 : observed;
  const allowed = Number(small ? enforcedAmount.milli : valueOf(enforcedAmount));
  if (ratio > allowed) return [`${key} max limit to request ratio per ${limitType} is ${enforced}, but provided ratio is ${observed.toFixed(6)}`];
  return [];
}

/**
 * A Pod's total requests or limits as the plugin sums them: containers and restartable (sidecar) init
 * containers add up; a plain init container counts with the sidecars started before it, and the pod
 * needs the larger of that and the sum. Printed like apimachinery's Add (the first addend's format).
 */
function podTotal(containers: Obj[], initContainers: Obj[], field: 'requests' | 'limits'): ResourceList {
  const total = new Map<string, Amount>();
  const add = (into: Map<string, Amount>, list: Map<string, Amount>) => {
    for (const [key, amount] of list) {
      const existing = into.get(key);
      into.set(key, existing ? { milli: existing.milli + amount.milli, format: existing.format } : { ...amount });
    }
  };
  const amounts = (container: Obj) => new Map(Object.entries(resourceList(container.resources?.[field])).map(([k, v]) => [k, amountOf(v)]));
  for (const container of containers) add(total, amounts(container));
  const sidecars = new Map<string, Amount>();
  const initNeeds = new Map<string, Amount>();
  for (const container of initContainers) {
    let needs: Map<string, Amount>;
    if (container.restartPolicy === 'Always') {
      add(total, amounts(container));
      add(sidecars, amounts(container));
      needs = sidecars;
    } else {
      needs = new Map();
      add(needs, amounts(container));
      add(needs, sidecars);
    }
    keepLarger(initNeeds, needs);
  }
  keepLarger(total, initNeeds);
  return Object.fromEntries([...total].map(([key, amount]) => [key, printed(amount)]));
}

function keepLarger(into: Map<string, Amount>, list: Map<string, Amount>): void {
  for (const [key, amount] of list) {
    const existing = into.get(key);
    if (!existing || amount.milli > existing.milli) into.set(key, { ...amount });
  }
}
