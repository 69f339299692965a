import { celFunc, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';
import { opaque, opaqueText } from './cel-kubernetes-opaque.js';
import { scanQuantity } from './quantity-syntax.js';
import { compareAmounts as compare, MAX_INT64, MIN_INT64, parseQuantity, reduce, type Amount } from './quantity-amount.js';

/**
 * The Kubernetes CEL quantity library: `quantity("1.5Gi")`, `isQuantity(s)`, and on a quantity `sign()`,
 * `isInteger()`, `asInteger()`, `asApproximateFloat()`, `compareTo(q)`, `isGreaterThan(q)`,
 * `isLessThan(q)`, `add(q|int)`, `sub(q|int)`. Amounts are exact fractions, so 1Gi == 1024Mi.
 */
function quantityOf(amount: Amount) {
  return opaque('kubernetes.Quantity', `${amount.num}/${amount.den}`);
}

function amountOf(value: unknown, fn: string): Amount {
  const [num, den] = opaqueText(value, 'kubernetes.Quantity', fn).split('/');
  return { num: BigInt(num!), den: BigInt(den!) };
}

function plus(a: Amount, b: Amount, sign: 1n | -1n): Amount {
  return reduce(a.num * b.den + sign * b.num * a.den, a.den * b.den);
}

function asAmount(value: unknown, fn: string): Amount {
  return typeof value === 'bigint' ? { num: value, den: 1n } : amountOf(value, fn);
}

const Q = CelScalar.DYN;

export const kubernetesQuantityFunctions: CelFunc[] = [
  celFunc('quantity', [CelScalar.STRING], Q, (text) => {
    const parts = scanQuantity(text);
    if ('error' in parts) throw new Error(parts.error);
    return quantityOf(parseQuantity(text)!);
  }),
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (text) => parseQuantity(text) !== undefined),
  celMethod('sign', Q, [], CelScalar.INT, function () {
    return BigInt(compare(amountOf(this, 'sign'), { num: 0n, den: 1n }));
  }),
  celMethod('isInteger', Q, [], CelScalar.BOOL, function () {
    const amount = amountOf(this, 'isInteger');
    return amount.den === 1n && amount.num <= MAX_INT64 && amount.num >= MIN_INT64;
  }),
  celMethod('asInteger', Q, [], CelScalar.INT, function () {
    const amount = amountOf(this, 'asInteger');
    if (amount.den !== 1n || amount.num > MAX_INT64 || amount.num < MIN_INT64) throw new Error('cannot convert value to integer');
    return amount.num;
  }),
  celMethod('asApproximateFloat', Q, [], CelScalar.DOUBLE, function () {
    const amount = amountOf(this, 'asApproximateFloat');
    return Number(amount.num) / Number(amount.den);
  }),
  celMethod('compareTo', Q, [Q], CelScalar.INT, function (other) {
    return BigInt(compare(amountOf(this, 'compareTo'), amountOf(other, 'compareTo')));
  }),
  celMethod('isGreaterThan', Q, [Q], CelScalar.BOOL, function (other) {
    return compare(amountOf(this, 'isGreaterThan'), amountOf(other, 'isGreaterThan')) > 0;
  }),
  celMethod('isLessThan', Q, [Q], CelScalar.BOOL, function (other) {
    return compare(amountOf(this, 'isLessThan'), amountOf(other, 'isLessThan')) < 0;
  }),
  celMethod('add', Q, [Q], Q, function (other) {
    return quantityOf(plus(amountOf(this, 'add'), asAmount(other, 'add'), 1n));
  }),
  celMethod('sub', Q, [Q], Q, function (other) {
    return quantityOf(plus(amountOf(this, 'sub'), asAmount(other, 'sub'), -1n));
  }),
];
