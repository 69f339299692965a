import { LabelSelectorSyntaxError, parseLabelSelector as parseSelector, type LabelSelector } from '../../label-selector.js';
export type { LabelSelector };
import { errors } from './status.js';
import type { Obj } from './registry.js';

/** Parses `labelSelector` as the API server does; bad syntax is a 400 BadRequest. */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  try {
    return parseSelector(selector);
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError) {
      throw errors.badRequest(error.message, 'Label selectors look like `app=web,tier!=db,env in (a,b),!legacy`.');
    }
    throw error;
  }
}

/** A parsed field selector over a fixed set of supported fields. */
export interface FieldSelector {
  matches(object: Obj): boolean;
  /** The value required for `field` with `=`, if the selector pins it (used to narrow lookups). */
  pinned(field: string): string | undefined;
}

function readPath(object: Obj, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Obj)[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/**
 * Parses `fieldSelector` (`a=b`, `a==b`, `a!=b`, comma-separated). Only `supported` fields may appear,
 * like the real server, which answers 400 `field label not supported` otherwise.
 */
export function parseFieldSelector(selector: string | undefined, supported: readonly string[], storedField: (label: string) => string = (label) => label): FieldSelector {
  const text = (selector ?? '').trim();
  if (text === '') return { matches: () => true, pinned: () => undefined };
  const terms = splitFieldTerms(text).map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw errors.badRequest(`invalid field selector ${JSON.stringify(text)}: ${JSON.stringify(part)} is not field=value, field==value or field!=value`);
    if (!supported.includes(m[1]!)) {
      throw errors.badRequest(`field label not supported: ${m[1]}`, `Supported field selectors for this resource: ${supported.join(', ')}.`);
    }
    return { field: m[1]!, path: storedField(m[1]!), negate: m[2] === '!=', value: unescapeFieldValue(m[3]!) };
  });
  return {
    matches: (object) => terms.every((t) => (readPath(object, t.path) === t.value) !== t.negate),
    pinned: (field) => terms.find((t) => t.field === field && !t.negate)?.value,
  };
}

/** Splits at commas that are not escaped with a backslash, as the API machinery's fields.splitTerms. */
function splitFieldTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** fields.UnescapeValue: `\\`, `\,` and `\=` stand for the character; any other escape, or a bare `,` or `=`, is a 400. */
function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (c === ',' || c === '=') throw errors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`); // the rune's number, as Go prints it
    else out += c;
  }
  if (escaped) throw errors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}
