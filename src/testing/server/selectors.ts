import { isDns1123Subdomain, isLabelValue, isQualifiedNamePart } from '../../kubernetes-names.js';
import { errors } from './status.js';
import type { Obj } from './registry.js';

type Operator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

/** A parsed label selector; the empty selector matches everything. */
export interface LabelSelector {
  matches(labels: Record<string, string> | undefined): boolean;
}


function badSelector(selector: string, why: string): never {
  throw errors.badRequest(`unable to parse requirement: ${why} (in selector ${JSON.stringify(selector)})`,
    'Label selectors look like `app=web,tier!=db,env in (a,b),!legacy`.');
}

function checkKey(key: string, selector: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) badSelector(selector, `invalid label key ${JSON.stringify(key)}: prefix must be a DNS-1123 subdomain`);
  if (!isQualifiedNamePart(name)) badSelector(selector, `invalid label key ${JSON.stringify(key)}: name part must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`);
}

function checkValue(value: string, selector: string): void {
  if (!isLabelValue(value)) badSelector(selector, `invalid label value ${JSON.stringify(value)}: must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`);
}

/** Splits on commas that are not inside a parenthesised value set. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) badSelector(selector, 'unbalanced parentheses');
  }
  if (depth !== 0) badSelector(selector, 'unbalanced parentheses');
  parts.push(selector.slice(start));
  return parts.map((p) => p.trim());
}

function parseRequirement(part: string, selector: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
  if (m) {
    const values = m[3]!.split(',').map((v) => v.trim());
    if (values.length === 1 && values[0] === '') badSelector(selector, `${m[2]} needs at least one value`);
    checkKey(m[1]!, selector);
    values.forEach((v) => checkValue(v, selector));
    return { key: m[1]!, op: m[2] as Operator, values };
  }
  m = /^(!?)\s*([^\s=!<>(),]+)$/.exec(part);
  if (m) {
    checkKey(m[2]!, selector);
    return { key: m[2]!, op: m[1] ? '!' : 'exists', values: [] };
  }
  m = /^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/.exec(part);
  if (m) {
    checkKey(m[1]!, selector);
    const op = m[2] === '!=' ? '!=' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : '=';
    if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(m[3]!)) badSelector(selector, `for '${m[2]}' the value must be an integer, got ${JSON.stringify(m[3])}`);
    else checkValue(m[3]!, selector);
    return { key: m[1]!, op, values: [m[3]!] };
  }
  return badSelector(selector, `${JSON.stringify(part)} is not a valid requirement`);
}

function matchesRequirement(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case '=': return has && value === req.values[0];
    case '!=': return !has || value !== req.values[0];
    case 'in': return has && req.values.includes(value!);
    case 'notin': return !has || !req.values.includes(value!);
    case 'exists': return has;
    case '!': return !has;
    case 'gt': return has && /^-?\d+$/.test(value!) && Number(value) > Number(req.values[0]);
    case 'lt': return has && /^-?\d+$/.test(value!) && Number(value) < Number(req.values[0]);
  }
}

/** Parses `labelSelector` as the API server does; bad syntax is a 400 BadRequest. */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  const text = (selector ?? '').trim();
  if (text === '') return { matches: () => true };
  const requirements = splitTopLevel(text).map((part) => {
    if (part === '') badSelector(text, 'empty requirement');
    return parseRequirement(part, text);
  });
  return { matches: (labels) => requirements.every((r) => matchesRequirement(r, labels ?? {})) };
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
export function parseFieldSelector(selector: string | undefined, supported: readonly string[]): FieldSelector {
  const text = (selector ?? '').trim();
  if (text === '') return { matches: () => true, pinned: () => undefined };
  const terms = text.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw errors.badRequest(`invalid field selector ${JSON.stringify(text)}: ${JSON.stringify(part)} is not field=value, field==value or field!=value`);
    if (!supported.includes(m[1]!)) {
      throw errors.badRequest(`field label not supported: ${m[1]}`, `Supported field selectors for this resource: ${supported.join(', ')}.`);
    }
    return { field: m[1]!, negate: m[2] === '!=', value: m[3]! };
  });
  return {
    matches: (object) => terms.every((t) => (readPath(object, t.field) === t.value) !== t.negate),
    pinned: (field) => terms.find((t) => t.field === field && !t.negate)?.value,
  };
}
