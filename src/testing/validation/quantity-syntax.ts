/**
 * The resource quantity syntax exactly as apimachinery scans it: an optional sign, digits with at most one
 * dot (leading zeros dropped; an empty number is 0), then a suffix — decimal SI (`m`, `k`, `M`, ...), binary
 * SI (`Ki`, `Mi`, ...) or a decimal exponent (`e3`, `E-2`).
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface QuantityParts {
  negative: boolean;
  /** Digits before the dot, leading zeros removed ('0' when none are left). */
  num: string;
  /** Digits after the dot, as written. */
  denom: string;
  base: 2 | 10;
  /** Power of `base` the suffix stands for. */
  exponent: number;
  format: QuantityFormat;
}

export const QUANTITY_FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_MESSAGE = "unable to parse quantity's suffix";

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_EXPONENT = 10_000;
const SHAPE = /^([+-]?)0*(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[-+]?\d*)$/;

/** The parts of a quantity, or the server's reason for refusing the text. */
export function scanQuantity(text: string): QuantityParts | { error: string } {
  const match = text === '' ? null : SHAPE.exec(text);
  if (!match) return { error: QUANTITY_FORMAT_MESSAGE };
  const [, sign, digits, denom = '', suffix] = match as unknown as [string, string, string, string | undefined, string];
  const parts = { negative: sign === '-', num: digits === '' ? '0' : digits, denom };
  if (suffix in DECIMAL) return { ...parts, base: 10, exponent: DECIMAL[suffix]!, format: 'DecimalSI' };
  if (suffix in BINARY) return { ...parts, base: 2, exponent: BINARY[suffix]!, format: 'BinarySI' };
  if (/^[eE][+-]?\d+$/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    // The server takes any int32 exponent; beyond ±10000 the exact value would be a needlessly huge number here.
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return { error: QUANTITY_SUFFIX_MESSAGE };
    return { ...parts, base: 10, exponent, format: 'DecimalExponent' };
  }
  return { error: QUANTITY_SUFFIX_MESSAGE };
}

/** The exact value as a decimal: `unscaled × 10^-scale`. */
export function decimalValue(parts: QuantityParts): { unscaled: bigint; scale: number } {
  let unscaled = BigInt(`${parts.num}${parts.denom}`) * (parts.negative ? -1n : 1n);
  let scale = parts.denom.length;
  if (parts.base === 2) unscaled *= 2n ** BigInt(parts.exponent);
  else scale -= parts.exponent;
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled, scale };
}
