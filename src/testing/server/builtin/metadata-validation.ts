import { DNS1123_SUBDOMAIN_PATTERN, isDns1123Subdomain } from '../../../kubernetes-names.js';
import type { StatusCause } from '../status.js';
import type { Obj } from '../registry.js';
import { invalid, isObject, tooLong } from './field-errors.js';

/** Label and annotation rules of every object's metadata (apimachinery's ObjectMeta validation). */

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** Sum of key and value lengths (bytes) an object's annotations may have. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** Problems of a qualified name (label key, annotation key), worded like the real server. */
export function qualifiedNameProblems(value: string): string[] {
  const problems: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (!isDns1123Subdomain(prefix)) {
      if (prefix.length > 253) problems.push('prefix part must be no more than 253 characters');
      if (!new RegExp(`^${DNS1123_SUBDOMAIN_PATTERN}$`).test(prefix)) problems.push(`prefix part ${regexError(SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_PATTERN, 'example.com')}`);
    }
  } else {
    return [`a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) problems.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return problems;
}

export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!new RegExp(`^${LABEL_VALUE_FMT}$`).test(value)) problems.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return problems;
}

export function labelProblems(labels: unknown, field: string): StatusCause[] {
  if (!isObject(labels)) return [];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const p of qualifiedNameProblems(key)) causes.push(invalid(field, key, p));
    if (typeof value === 'string') for (const p of labelValueProblems(value)) causes.push(invalid(field, value, p));
  }
  return causes;
}

export function annotationProblems(annotations: unknown, field: string): StatusCause[] {
  if (!isObject(annotations)) return [];
  const causes: StatusCause[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // Case does not matter in annotation keys.
    for (const p of qualifiedNameProblems(key.toLowerCase())) causes.push(invalid(field, key, p));
    size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

/** Label and annotation problems of an object's metadata (every kind, custom resources included). */
export function labelAndAnnotationProblems(meta: Obj, path = 'metadata'): StatusCause[] {
  return [...labelProblems(meta.labels, `${path}.labels`), ...annotationProblems(meta.annotations, `${path}.annotations`)];
}
