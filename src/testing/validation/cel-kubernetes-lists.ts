import { celMethod, CelScalar, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';

/**
 * The Kubernetes CEL list library (isSorted, sum, min, max, indexOf, lastIndexOf), which CRD rules use
 * and @bufbuild/cel does not ship. Items must be comparable scalars (ints, doubles, strings, bools); mixing
 * kinds is an evaluation error, as on the real server.
 */
type Scalar = bigint | number | string | boolean;

function scalars(list: CelList, fn: string): Scalar[] {
  const items = [...list] as CelValue[];
  const kinds = new Set(items.map((item) => typeof item));
  if (items.some((item) => !['bigint', 'number', 'string', 'boolean'].includes(typeof item)) || kinds.size > 1) {
    throw new Error(`${fn}() needs a list of one comparable scalar type`);
  }
  return items as Scalar[];
}

function compare(a: Scalar, b: Scalar): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function equals(a: CelValue, b: CelValue): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  return a === b;
}

const LIST = listType(CelScalar.DYN);

export const kubernetesListFunctions: CelFunc[] = [
  celMethod('isSorted', LIST, [], CelScalar.BOOL, function () {
    const items = scalars(this, 'isSorted');
    return items.every((item, i) => i === 0 || compare(items[i - 1]!, item) <= 0);
  }),
  celMethod('sum', LIST, [], CelScalar.DYN, function () {
    const items = scalars(this, 'sum');
    if (items.length === 0) return 0n;
    if (typeof items[0] === 'bigint') return (items as bigint[]).reduce((a, b) => a + b, 0n);
    if (typeof items[0] === 'number') return (items as number[]).reduce((a, b) => a + b, 0);
    throw new Error('sum() needs a list of numbers');
  }),
  celMethod('min', LIST, [], CelScalar.DYN, function () {
    const items = scalars(this, 'min');
    if (items.length === 0) throw new Error('min() of an empty list');
    return items.reduce((a, b) => (compare(b, a) < 0 ? b : a));
  }),
  celMethod('max', LIST, [], CelScalar.DYN, function () {
    const items = scalars(this, 'max');
    if (items.length === 0) throw new Error('max() of an empty list');
    return items.reduce((a, b) => (compare(b, a) > 0 ? b : a));
  }),
  celMethod('indexOf', LIST, [CelScalar.DYN], CelScalar.INT, function (wanted) {
    const items = [...this] as CelValue[];
    return BigInt(items.findIndex((item) => equals(item, wanted)));
  }),
  celMethod('lastIndexOf', LIST, [CelScalar.DYN], CelScalar.INT, function (wanted) {
    const items = [...this] as CelValue[];
    for (let i = items.length - 1; i >= 0; i--) if (equals(items[i]!, wanted)) return BigInt(i);
    return -1n;
  }),
];
