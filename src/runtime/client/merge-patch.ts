/** A JSON value as it travels over the wire. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The value as JSON sees it: undefined members dropped, so `{ a: undefined }` equals `{}`. */
export function toJson(value: unknown): Json | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Json);
}

/**
 * An RFC 7386 JSON merge patch that turns `before` into `after` (as jsonpatch.CreateMergePatch, which
 * controller-runtime's MergeFrom uses): changed members are set, removed ones set to null, arrays
 * replaced whole. Both must be objects; the result is `{}` when they are equal.
 */
export function createMergePatch(before: unknown, after: unknown): Record<string, Json> {
  return diff(isObject(toJson(before)) ? (toJson(before) as Record<string, Json>) : {}, isObject(toJson(after)) ? (toJson(after) as Record<string, Json>) : {});
}

function diff(before: Record<string, Json>, after: Record<string, Json>): Record<string, Json> {
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isObject(old) && isObject(value)) {
      const sub = diff(old, value);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (!(key in before) || JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value;
    }
  }
  return patch;
}
