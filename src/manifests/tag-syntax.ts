/**
 * Parsers for tag values. Each throws TagValueError with a sentence naming the tag, the value and
 * the expected form; callers add the source location.
 */
export class TagValueError extends Error {}

export function parseNumber(tag: string, value: string): number {
  const n = value.trim() === '' ? NaN : Number(value.trim());
  if (!Number.isFinite(n)) throw new TagValueError(`@${tag} expects a number, got '${value}' (example: @${tag} 1)`);
  return n;
}

export function parseCount(tag: string, value: string): number {
  const n = parseNumber(tag, value);
  if (!Number.isInteger(n) || n < 0) throw new TagValueError(`@${tag} expects a whole number >= 0, got '${value}' (example: @${tag} 3)`);
  return n;
}

/** Flags: `@nullable` alone means true; `true`/`false` are accepted explicitly. */
export function parseFlag(tag: string, value: string): boolean {
  const v = value.trim();
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw new TagValueError(`@${tag} takes no value (or true/false), got '${value}'`);
}

export function parseOneOf<T extends string>(tag: string, value: string, allowed: readonly T[]): T {
  const v = value.trim();
  const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (hit === undefined) throw new TagValueError(`@${tag} must be one of ${allowed.join(', ')}, got '${value}'`);
  return hit;
}

/**
 * A list: a JSON array (`["a", "b"]`) or items separated by commas or semicolons (`a, b` / `a;b`).
 * Empty items are an error, so a stray separator does not silently vanish.
 */
export function parseList(tag: string, value: string): unknown[] {
  const v = value.trim();
  if (v.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new TagValueError(`@${tag} value '${value}' starts with '[' but is not a JSON array (example: @${tag} ["a", "b"])`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) throw new TagValueError(`@${tag} expects a non-empty JSON array, got '${value}'`);
    return parsed;
  }
  const items = v.split(/[,;]/).map((s) => s.trim());
  if (v === '' || items.some((s) => s === '')) throw new TagValueError(`@${tag} expects a list like 'a, b, c', got '${value}'`);
  return items;
}

export function parseStringList(tag: string, value: string): string[] {
  const items = parseList(tag, value);
  if (items.some((i) => typeof i !== 'string')) throw new TagValueError(`@${tag} expects strings, got '${value}'`);
  return items as string[];
}

/**
 * `key=value` pairs separated by commas. A value is either double-quoted (JSON string escapes; may
 * hold commas) or bare text, which runs until the next `, <known key>=` — so a bare CEL rule may
 * contain commas as long as no comma is followed by one of this tag's key names and `=`.
 * Keys are matched case-insensitively and returned in their canonical spelling.
 */
export function parseKeyValues(tag: string, value: string, keys: readonly string[]): Record<string, string> {
  const canonical = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const nextKey = new RegExp(`,\\s*(?:${keys.join('|')})\\s*=(?!=)`, 'i');
  const out: Record<string, string> = {};
  let rest = value.trim();
  while (rest !== '') {
    const m = /^([A-Za-z][A-Za-z0-9_-]*)\s*=(?!=)\s*/.exec(rest);
    if (!m) throw new TagValueError(`@${tag}: expected key=value at '${rest}' (keys: ${keys.join(', ')})`);
    const key = canonical.get(m[1]!.toLowerCase());
    if (key === undefined) throw new TagValueError(`@${tag}: unknown key '${m[1]}' (known keys: ${keys.join(', ')})`);
    if (key in out) throw new TagValueError(`@${tag}: key '${key}' is given twice`);
    rest = rest.slice(m[0].length);
    if (rest.startsWith('"')) {
      const end = closingQuote(rest);
      if (end < 0) throw new TagValueError(`@${tag}: the quoted value of '${key}' has no closing quote`);
      out[key] = JSON.parse(rest.slice(0, end + 1)) as string;
      rest = rest.slice(end + 1).trimStart();
      if (rest !== '' && !rest.startsWith(',')) throw new TagValueError(`@${tag}: expected ',' after the quoted value of '${key}', got '${rest}'`);
      rest = rest.slice(1).trimStart();
    } else {
      const idx = rest.search(nextKey);
      const bare = (idx < 0 ? rest : rest.slice(0, idx)).trim();
      const stray = /,\s*([A-Za-z][\w-]*)\s*=(?!=)/.exec(bare);
      if (stray) {
        throw new TagValueError(`@${tag}: unknown key '${stray[1]}' (known keys: ${keys.join(', ')}); if it is part of the ${key} text, double-quote the value`);
      }
      out[key] = bare;
      rest = idx < 0 ? '' : rest.slice(idx + 1).trimStart();
    }
  }
  return out;
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** A JSON value, or — for string fields only — the bare text (`@default info` means "info"). */
export function parseJsonValue(tag: string, value: string, bareTextIsString: boolean): unknown {
  const v = value.trim();
  if (v === '') throw new TagValueError(`@${tag} needs a value (example: @${tag} 1, @${tag} "text", @${tag} ["a"])`);
  try {
    return JSON.parse(v);
  } catch {
    if (bareTextIsString) return v;
    throw new TagValueError(`@${tag} value '${value}' is not valid JSON (strings need double quotes unless the field is a string)`);
  }
}
