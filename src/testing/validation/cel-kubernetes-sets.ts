import { celFunc, CelScalar, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';

/**
 * The CEL sets extension as Kubernetes enables it: `sets.contains(a, b)` (every element of b is in a),
 * `sets.equivalent(a, b)` (each contains the other, duplicates ignored), `sets.intersects(a, b)`.
 * Elements compare with CEL equality, where 1 == 1.0 == 1u.
 */
function same(a: CelValue, b: CelValue): boolean {
  if (['bigint', 'number'].includes(typeof a) && ['bigint', 'number'].includes(typeof b)) return Number(a) === Number(b);
  if (a instanceof Object && b instanceof Object) return JSON.stringify(a, replacer) === JSON.stringify(b, replacer);
  return a === b;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].sort(([x], [y]) => (String(x) < String(y) ? -1 : 1)));
  if (value !== null && typeof value === 'object' && Symbol.iterator in value && !Array.isArray(value)) return [...(value as Iterable<unknown>)];
  return value;
}

function contains(list: CelList, sub: CelList): boolean {
  const items = [...list] as CelValue[];
  return ([...sub] as CelValue[]).every((wanted) => items.some((item) => same(item, wanted)));
}

const LIST = listType(CelScalar.DYN);

export const kubernetesSetsFunctions: CelFunc[] = [
  celFunc('sets.contains', [LIST, LIST], CelScalar.BOOL, (a, b) => contains(a, b)),
  celFunc('sets.equivalent', [LIST, LIST], CelScalar.BOOL, (a, b) => contains(a, b) && contains(b, a)),
  celFunc('sets.intersects', [LIST, LIST], CelScalar.BOOL, (a, b) => {
    const items = [...a] as CelValue[];
    return ([...b] as CelValue[]).some((wanted) => items.some((item) => same(item, wanted)));
  }),
];
