import { PatchError } from './errors.js';
import { cloneJson, isPlainObject } from './json-values.js';

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else replaces. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatchValue(result[key], value);
  }
  return result;
}

/** Applies a merge patch to a whole API object; the patch must itself be an object. */
export function applyMergePatch(current: object, patch: unknown): object {
  if (!isPlainObject(patch)) {
    throw new PatchError(400, `a merge patch must be a JSON object, got ${describe(patch)}`, {
      hint: 'Send an object such as {"spec":{"replicas":3}}.',
    });
  }
  return mergePatchValue(current, patch) as object;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
