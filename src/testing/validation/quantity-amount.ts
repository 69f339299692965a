import { decimalValue, scanQuantity } from './quantity-syntax.js';

/**
 * Resource quantities as exact fractions, so 1Gi == 1024Mi: parsing and comparing. Free of the CEL library so the
 * built-in kinds' value rules can use it without loading CEL.
 */
export interface Amount {
  num: bigint;
  den: bigint;
}

export const MAX_INT64 = 2n ** 63n - 1n;
export const MIN_INT64 = -(2n ** 63n);

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function reduce(num: bigint, den: bigint): Amount {
  if (num === 0n) return { num: 0n, den: 1n };
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

/** Resource quantity syntax as the API server parses it; undefined when the text is not one. */
export function parseQuantity(text: string): Amount | undefined {
  const parts = scanQuantity(text);
  if ('error' in parts) return undefined;
  const { unscaled, scale } = decimalValue(parts);
  return reduce(unscaled, 10n ** BigInt(scale));
}

export function compareAmounts(a: Amount, b: Amount): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

