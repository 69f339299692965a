import { RE2JS } from 're2js';
import { SchemaCompileError } from './errors.js';

/**
 * Go regular expressions (RE2 syntax: `(?i)`, `\z`, `\pL`, no lookaround or backreferences), as the API
 * server uses them for a schema's `pattern` and for CEL's `matches()`, `find()` and `findAll()`. Compiled
 * patterns are cached by source; a pattern RE2 rejects is remembered with Go's error text.
 */

export type Re2Result = { ok: true; regexp: RE2JS } | { ok: false; error: string };

const cache = new Map<string, Re2Result>();
const CACHE_LIMIT = 2000;

export function compileRe2(pattern: string): Re2Result {
  let result = cache.get(pattern);
  if (result) return result;
  try {
    result = { ok: true, regexp: RE2JS.compile(pattern) };
  } catch (err) {
    result = { ok: false, error: (err as Error).message };
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, result);
  return result;
}

/** Go's `regexp.MatchString`: true when the pattern matches anywhere in the value. */
export function re2Matches(pattern: string, value: string): boolean {
  const compiled = compileRe2(pattern);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.regexp.matcher(value).find();
}

/** The Go error text for a pattern RE2 refuses, or undefined for a valid pattern. */
export function re2PatternError(pattern: string): string | undefined {
  const compiled = compileRe2(pattern);
  return compiled.ok ? undefined : compiled.error;
}

/** A schema node's `pattern` must compile with RE2, or the CRD is refused (as the server does). */
export function checkSchemaPattern(node: Record<string, unknown>, path: string): void {
  if (typeof node.pattern !== 'string') return;
  const error = re2PatternError(node.pattern);
  if (error !== undefined) {
    throw new SchemaCompileError(`${path}.pattern`, `Invalid value: ${JSON.stringify(node.pattern)}: must be a valid regular expression, but isn't: ${error}`, {
      hint: 'Patterns are Go RE2 expressions: no lookahead, lookbehind or backreferences.',
    });
  }
}

/**
 * A RegExp look-alike for ajv's `code.regExp` option. An invalid pattern (refused before it gets here)
 * compiles to a matcher that never matches, and the error text (see ajv-schema) says why.
 */
export function re2RegExpEngine(pattern: string): { test: (value: string) => boolean; toString: () => string } {
  const compiled = compileRe2(pattern);
  // ajv keys compiled patterns by toString(), so it must name the pattern.
  const toString = () => `re2:${pattern}`;
  if (!compiled.ok) return { test: () => false, toString };
  const regexp = compiled.regexp;
  return { test: (value: string) => regexp.matcher(value).find(), toString };
}
// Read only by ajv's standalone code generation, which the server does not use.
re2RegExpEngine.code = 're2RegExpEngine';
