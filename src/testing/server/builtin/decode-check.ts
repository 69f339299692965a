import { apiVersionOf, type Obj } from '../registry.js';
import type { Scope } from '../state.js';
import { StatusError } from '../status.js';
import { decodeTypeError } from './decode-types.js';

/*
 * How the real server answers a built-in body its Go structs cannot decode (checked against kube-apiserver v1.32):
 * a create or update is 400 BadRequest; a merge, JSON or strategic merge patch whose result does not decode is
 * 422 Invalid with one cause on field `patch`; a server-side apply whose object does not fit the schema is 500.
 * Custom resources are checked by their CRD schema instead.
 */

function failure(scope: Scope, object: Obj): string | undefined {
  if (scope.resource.custom) return undefined;
  return decodeTypeError(object, scope.resource.group, scope.version, scope.resource.kind)?.message;
}

const HINT = 'Send each field with the JSON type of the Kubernetes API (see `kubectl explain`): strings quoted, integers without a fraction, lists as arrays, maps as objects.';

/** A create or update body: 400 when the kind's Go struct cannot decode it. */
export function requireDecodable(scope: Scope, object: Obj): void {
  const message = failure(scope, object);
  if (message === undefined) return;
  const kind = scope.resource.kind;
  throw new StatusError(400, 'BadRequest', `${kind} in version "${scope.version}" cannot be handled as a ${kind}: ${message}`, undefined, HINT);
}

/** A server-side apply configuration: 500 when it does not fit the kind's types. */
export function requireApplyDecodable(scope: Scope, name: string, intent: unknown): void {
  if (intent === null || typeof intent !== 'object' || Array.isArray(intent)) return;
  const message = failure(scope, intent as Obj);
  if (message === undefined) return;
  const gv = apiVersionOf(scope.resource.group, scope.version);
  throw new StatusError(500, '', `failed to create typed patch object (/${name}; ${gv.includes('/') ? gv : `/${gv}`}, Kind=${scope.resource.kind}): ${message}`, undefined, HINT);
}

/** The result of a merge, JSON or strategic merge patch: 422 when the kind's Go struct cannot decode it. */
export function requirePatchedDecodable(scope: Scope, patched: Obj): void {
  const message = failure(scope, patched);
  if (message === undefined) return;
  const cause = { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(JSON.stringify(patched))}: ${message}`, field: 'patch' };
  throw new StatusError(422, 'Invalid', ` "" is invalid: patch: ${cause.message}`, { causes: [cause] }, HINT);
}
