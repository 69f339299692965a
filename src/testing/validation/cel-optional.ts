import { celFunc, celList, celMap, celMethod, CelScalar, isCelList, isCelMap, isCelUint, type CelFunc, type CelMap, type CelValue } from '@bufbuild/cel';
import { OPTIONAL_INDEX, OPTIONAL_LIST, OPTIONAL_MAP, OPTIONAL_SELECT, USER_FACING_NAMES } from './cel-optional-syntax.js';

/**
 * CEL optional values as cel-go defines them: `optional.of(x)`, `optional.none()`,
 * `optional.ofNonZeroValue(x)`, and on an optional `hasValue()`, `value()`, `orValue(v)`, `or(opt)`, plus the
 * presence-testing steps and literals the optional syntax is rewritten into. An optional is a map holding a marker and,
 * when present, the value, so that CEL `==` compares two optionals by their contents.
 */
const KIND = '@cel.optional';
const VALUE = '@cel.optional.value';

export const OPTIONAL_NONE: CelMap = celMap(new Map<string, CelValue>([[KIND, true]]));

export function optionalOf(value: unknown): CelMap {
  return celMap(new Map<string, unknown>([[KIND, true], [VALUE, value]]) as Map<string, CelValue>);
}

export function isOptional(value: unknown): value is CelMap {
  return isCelMap(value) && value.get(KIND) === true;
}

/** The optional `value` as [present, contents], or a CEL "no such overload" error when it is not one. */
function unwrap(value: unknown, fn: string): [boolean, unknown] {
  if (!isOptional(value)) throw new Error(`no such overload: ${USER_FACING_NAMES[fn] ?? fn}`);
  return value.has(VALUE) ? [true, value.get(VALUE)] : [false, undefined];
}

/** cel-go's zero values: null, false, 0, 0u, 0.0, "", b"", [], {} and an empty optional. */
function isZeroValue(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === 0n || value === '') return true;
  if (isCelUint(value)) return value.value === 0n;
  if (value instanceof Uint8Array) return value.length === 0;
  if (isOptional(value)) return !value.has(VALUE);
  if (isCelList(value)) return value.size === 0;
  if (isCelMap(value)) return value.size === 0;
  return false;
}

/** `target.?name`: present when the map has the key; an optional target is looked into first. */
function optionalSelect(target: unknown, name: string): CelMap {
  let value = target;
  if (isOptional(target)) {
    const [present, contents] = unwrap(target, OPTIONAL_SELECT);
    if (!present) return OPTIONAL_NONE;
    value = contents;
  }
  if (!isCelMap(value)) throw new Error(`no such overload: optional field selection of ${JSON.stringify(name)} on a value that is not a map or object`);
  return value.has(name) ? optionalOf(value.get(name)) : OPTIONAL_NONE;
}

/** `target[?key]`: present when the map has the key or the list has the index. */
function optionalIndex(target: unknown, key: unknown): CelMap {
  let value = target;
  if (isOptional(target)) {
    const [present, contents] = unwrap(target, OPTIONAL_INDEX);
    if (!present) return OPTIONAL_NONE;
    value = contents;
  }
  if (isCelList(value)) {
    const index = isCelUint(key) ? key.value : key;
    if (typeof index !== 'bigint' && !(typeof index === 'number' && Number.isInteger(index))) throw new Error('no such overload: optional list index must be an int');
    const n = Number(index);
    return n >= 0 && n < value.size ? optionalOf(value.get(n)) : OPTIONAL_NONE;
  }
  if (isCelMap(value)) {
    const mapKey = key as string | bigint | boolean | number;
    return value.has(mapKey) ? optionalOf(value.get(mapKey)) : OPTIONAL_NONE;
  }
  throw new Error('no such overload: optional index on a value that is not a list or map');
}

/** `[?a, b]`: the flagged elements are optionals; an absent one is omitted, a present one contributes its value. */
function optionalList(elements: unknown, flags: unknown): CelValue {
  const items = [...(elements as Iterable<unknown>)];
  const optional = [...(flags as Iterable<unknown>)];
  const out: unknown[] = [];
  items.forEach((item, k) => {
    if (!optional[k]) return out.push(item);
    const [present, contents] = unwrap(item, OPTIONAL_LIST);
    if (present) out.push(contents);
  });
  return celList(out as CelValue[]);
}

/** `{?k: v}`: an entry whose flagged value is an absent optional is omitted; a repeated key is an error, as in cel-go. */
function optionalMap(keys: unknown, values: unknown, flags: unknown): CelValue {
  const keyList = [...(keys as Iterable<unknown>)];
  const valueList = [...(values as Iterable<unknown>)];
  const optional = [...(flags as Iterable<unknown>)];
  const out = new Map<unknown, unknown>();
  keyList.forEach((key, k) => {
    let value = valueList[k];
    if (optional[k]) {
      const [present, contents] = unwrap(value, OPTIONAL_MAP);
      if (!present) return;
      value = contents;
    }
    const mapKey = isCelUint(key) ? key.value : key;
    if (out.has(mapKey)) throw new Error(`Failed with repeated key: ${String(mapKey)}`);
    out.set(mapKey, value);
  });
  return celMap(out as Map<string, CelValue>);
}

const D = CelScalar.DYN;

export const optionalFunctions: CelFunc[] = [
  celFunc('optional.of', [D], D, (value) => optionalOf(value)),
  celFunc('optional.none', [], D, () => OPTIONAL_NONE),
  celFunc('optional.ofNonZeroValue', [D], D, (value) => (isZeroValue(value) ? OPTIONAL_NONE : optionalOf(value))),
  celMethod('hasValue', D, [], CelScalar.BOOL, function () {
    return unwrap(this, 'hasValue')[0];
  }),
  celMethod('value', D, [], D, function () {
    const [present, contents] = unwrap(this, 'value');
    if (!present) throw new Error('optional.none() dereference');
    return contents as CelValue;
  }),
  celMethod('orValue', D, [D], D, function (fallback) {
    const [present, contents] = unwrap(this, 'orValue');
    return (present ? contents : fallback) as CelValue;
  }),
  celMethod('or', D, [D], D, function (other) {
    const [present] = unwrap(this, 'or');
    if (present) return this;
    unwrap(other, 'or');
    return other;
  }),
  celFunc(OPTIONAL_SELECT, [D, CelScalar.STRING], D, (target, name) => optionalSelect(target, name)),
  celFunc(OPTIONAL_INDEX, [D, D], D, (target, key) => optionalIndex(target, key)),
  celFunc(OPTIONAL_LIST, [D, D], D, (elements, flags) => optionalList(elements, flags)),
  celFunc(OPTIONAL_MAP, [D, D, D], D, (keys, values, flags) => optionalMap(keys, values, flags)),
];

/** A list of strings as a CEL value, for libraries that return one inside an optional. */
export function stringList(items: string[]): CelValue {
  return celList(items);
}
