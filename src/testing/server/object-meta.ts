import { randomInt, randomUUID } from 'node:crypto';
import {
  DNS1123_LABEL_PATTERN, DNS1123_SUBDOMAIN_PATTERN, MAX_LABEL_LENGTH, MAX_SUBDOMAIN_LENGTH, isDns1123Label, isDns1123Subdomain,
} from '../../kubernetes-names.js';
import type { StatusCause } from './status.js';
import type { Obj } from './registry.js';
import { labelAndAnnotationProblems } from './builtin/metadata-validation.js';

/** Problems with an object name, worded like the real server's messages. */
export function nameProblems(name: string, asLabel: boolean): string[] {
  if (asLabel) {
    if (name.length > MAX_LABEL_LENGTH) return ['must be no more than 63 characters'];
    if (!isDns1123Label(name)) {
      return [`a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL_PATTERN}')`];
    }
    return [];
  }
  if (name.length > MAX_SUBDOMAIN_LENGTH) return ['must be no more than 253 characters'];
  if (!isDns1123Subdomain(name)) {
    return [`a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN_PATTERN}')`];
  }
  return [];
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 random characters from the alphabet the real server uses (no vowels, no look-alikes). */
export function generatedName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return base + suffix;
}

let lastSecond = Number.NaN;
let lastStamp = '';

/** RFC 3339 with whole seconds, as metadata timestamps are on the wire. */
export function timestamp(date?: Date): string {
  const ms = date === undefined ? Date.now() : date.getTime();
  const second = Math.floor(ms / 1000);
  // Writes come in bursts within one second: format each second once.
  if (second !== lastSecond) {
    lastStamp = new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    lastSecond = second;
  }
  return lastStamp;
}

export function newUid(): string {
  return randomUUID();
}

function isStringMap(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string'));
}

/** Shape checks on metadata that would otherwise corrupt the store (labels must be string maps, ...). */
export function metadataProblems(meta: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isStringMap(meta.labels)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.labels', message: 'Invalid value: labels must be a map of string keys to string values' });
  if (!isStringMap(meta.annotations)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.annotations', message: 'Invalid value: annotations must be a map of string keys to string values' });
  causes.push(...labelAndAnnotationProblems(meta));
  if (meta.finalizers !== undefined && (!Array.isArray(meta.finalizers) || meta.finalizers.some((f: unknown) => typeof f !== 'string'))) {
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.finalizers', message: 'Invalid value: finalizers must be a list of strings' });
  }
  if (meta.ownerReferences !== undefined) {
    if (!Array.isArray(meta.ownerReferences)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'metadata.ownerReferences', message: 'Invalid value: ownerReferences must be a list' });
    } else {
      meta.ownerReferences.forEach((ref: Obj, i: number) => {
        for (const key of ['apiVersion', 'kind', 'name', 'uid']) {
          if (typeof ref?.[key] !== 'string' || ref[key] === '') causes.push({ reason: 'FieldValueRequired', field: `metadata.ownerReferences[${i}].${key}`, message: 'Required value' });
        }
      });
    }
  }
  return causes;
}

/** Everything but metadata (and status when the kind has a status subresource): what bumps generation. */
export function specPart(object: Obj, statusSubresource: boolean): Obj {
  const { metadata: _m, status, ...rest } = object;
  return statusSubresource ? rest : { ...rest, status };
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Obj;
  const bo = b as Obj;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}
