import { ValidationError } from '../../errors.js';

/** Checks a list's `matchingFields` and returns its fields and values. */
export function checkMatchingFields(kind: string, matchingFields: unknown): Array<[field: string, value: string]> {
  if (matchingFields === null || typeof matchingFields !== 'object' || Array.isArray(matchingFields)) {
    throw new ValidationError(`matchingFields for ${kind} is ${describeValue(matchingFields)}: it must be an object of field → value`, { hint: "pass e.g. { matchingFields: { 'spec.secretRef': 'db-password' } }" });
  }
  const entries = Object.entries(matchingFields as Record<string, unknown>);
  for (const [field, value] of entries) {
    if (typeof value !== 'string') {
      throw new ValidationError(`matchingFields['${field}'] for ${kind} is ${describeValue(value)}: field values must be strings`, { hint: `pass the exact value to match, e.g. { '${field}': 'name' }` });
    }
  }
  return entries as Array<[string, string]>;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
