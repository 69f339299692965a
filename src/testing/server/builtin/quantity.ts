import { decimalValue, scanQuantity, type QuantityFormat, type QuantityParts } from '../../validation/quantity-syntax.js';

/**
 * The text a real server stores for a resource quantity (apimachinery's Quantity marshalling):
 * - a quantity already in canonical form keeps the text it was sent with (`1e3`, `+1Gi`, `01`, `1.Ki`);
 * - otherwise the amount is printed in the family of its suffix — binary SI (`1024Mi` → `1Gi`, below 1024 or
 *   fractional falls back to decimal), decimal SI (`1000m` → `1`, `0.5` → `500m`) or decimal exponent
 *   (`1.5e3` → `1500`) — as the smallest integer mantissa with an exponent that is a multiple of 3;
 * - precision below nano rounds up, away from zero; ResourceList values (requests, limits, hard, capacity)
 *   are further rounded up to milli, which drops the sent text (`1500u` → `2m`).
 */
export class QuantityError extends Error {}

export interface CanonicalOptions {
  /** Round up to milli, as the server's defaulting does for every ResourceList value. */
  roundToMilli?: boolean;
}

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const MAX_INT64 = 2n ** 63n - 1n;

interface Amount {
  /** value = unscaled × 10^-places */
  unscaled: bigint;
  places: number;
}

/** The stored text of a quantity sent as `text`; throws QuantityError with the server's message when it does not parse. */
export function canonicalQuantity(text: string, options: CanonicalOptions = {}): string {
  const trimmed = text.trim();
  const parts = trimmed === '0' ? undefined : scanQuantity(trimmed);
  if (parts && 'error' in parts) throw new QuantityError(parts.error);
  if (!parts) return '0';
  const fast = fastPath(parts);
  let amount: Amount = fast ? { unscaled: fast.unscaled, places: fast.places } : slowPath(parts);
  let kept = fast?.canonical ? trimmed : undefined;
  if (options.roundToMilli && (amount.places > 3 || !fast)) {
    if (amount.places > 3) amount = roundUp(amount, 3);
    kept = undefined;
  }
  return kept ?? format(amount, parts.format);
}

/** The int64 reading the server tries first; `canonical` when it keeps the sent text. */
function fastPath(parts: QuantityParts): (Amount & { canonical: boolean }) | undefined {
  const shifted = `${parts.num}${parts.denom}`;
  const sign = parts.negative ? -1n : 1n;
  if (parts.base === 10) {
    const scale = parts.exponent - parts.denom.length;
    if (18 - shifted.length < 0 || scale < -9) return undefined;
    const value = BigInt(shifted);
    const canonical = scale % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0');
    return scale >= 0 ? { unscaled: sign * value * 10n ** BigInt(scale), places: 0, canonical } : { unscaled: sign * value, places: -scale, canonical };
  }
  if (parts.denom.length > 0) return undefined;
  if (15 - parts.num.length - Math.trunc((parts.exponent * 3) / 10) - 1 < 0) return undefined;
  const value = BigInt(parts.num);
  const result = value * 2n ** BigInt(parts.exponent);
  if (result > MAX_INT64) return undefined;
  return { unscaled: sign * result, places: 0, canonical: (value & 7n) !== 0n };
}

/** The exact reading: rounded up to nano, binary amounts capped at the largest int64. */
function slowPath(parts: QuantityParts): Amount {
  const { unscaled, scale } = decimalValue(parts);
  let amount = roundUp({ unscaled, places: scale }, 9);
  if (parts.format === 'BinarySI' && abs(amount.unscaled) > MAX_INT64 * 10n ** BigInt(amount.places)) {
    amount = { unscaled: (amount.unscaled < 0n ? -1n : 1n) * MAX_INT64, places: 0 };
  }
  return amount;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** Rounds away from zero to at most `places` decimal places. */
function roundUp(amount: Amount, places: number): Amount {
  if (amount.places <= places) return amount;
  const divisor = 10n ** BigInt(amount.places - places);
  const magnitude = abs(amount.unscaled);
  const rounded = (magnitude + divisor - 1n) / divisor;
  return { unscaled: amount.unscaled < 0n ? -rounded : rounded, places };
}

function format(amount: Amount, requested: QuantityFormat): string {
  if (amount.unscaled === 0n) return '0';
  let family = requested;
  if (family === 'BinarySI') {
    const whole = amount.places === 0 || amount.unscaled % 10n ** BigInt(amount.places) === 0n;
    const small = abs(amount.unscaled) < 1024n * 10n ** BigInt(amount.places);
    if (small || !whole) family = 'DecimalSI';
    else return binary(amount.unscaled / 10n ** BigInt(amount.places));
  }
  let mantissa = amount.unscaled;
  let exponent = -amount.places;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent -= 1;
  }
  // Past E the server's decimal SI table has no suffix and prints none (1000E is stored as "1").
  if (family === 'DecimalSI') return `${mantissa}${DECIMAL_SUFFIX[exponent] ?? ''}`;
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

function binary(value: bigint): string {
  let exponent = 0;
  while (value % 1024n === 0n && exponent < BINARY_SUFFIX.length - 1) {
    value /= 1024n;
    exponent += 1;
  }
  return `${value}${BINARY_SUFFIX[exponent]}`;
}
