/**
 * Patch algorithms of the embedded API server: pure functions from (current object, patch) to the new
 * object. No I/O; the server decides per resource which patch types it accepts (see supportsStrategicMerge).
 */
import { PatchError } from './errors.js';
import { applyJsonPatch } from './json-patch.js';
import { recordUpdateOwnership } from './managed-fields.js';
import { applyMergePatch } from './merge-patch.js';
import { parsePatchBody } from './parse-patch-body.js';
import { serverSideApply } from './server-side-apply.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import type { PatchType } from './content-type.js';
import type { ListTypeLookup } from './merge-keys.js';

export { patchTypeFromContentType, SUPPORTED_PATCH_MEDIA_TYPES, type PatchType } from './content-type.js';
export { PatchError, type PatchErrorCause, type PatchErrorStatus } from './errors.js';
export { supportsStrategicMerge, listStrategyFor, listTypesFromSchema, type ListStrategy, type ListTypeLookup } from './merge-keys.js';
export { recordUpdateOwnership, type RecordUpdateInput } from './managed-fields.js';
export { parsePointer } from './json-patch.js';

const PATCH_TYPES = new Set<string>(['merge', 'json', 'strategic', 'apply']);

export interface ApplyPatchInput {
  type: PatchType;
  /** The stored object; undefined only makes sense for apply (which then creates). */
  current: object | undefined;
  /** Raw body (string or bytes) or the already parsed document. */
  patch: unknown;
  /** Required for apply. For the other types, when given, the changed fields are recorded as this manager's (operation Update). */
  fieldManager?: string;
  /** Apply only: take over fields other managers own instead of answering 409. */
  force?: boolean;
  /** Time stamped on managedFields entries; defaults to now. */
  now?: Date;
  /** List semantics for apply and ownership tracking; pass listTypesFromSchema(schema) for custom resources. */
  listTypes?: ListTypeLookup;
}

/**
 * Applies a patch and returns the new object (a fresh copy; `current` is not modified).
 * Throws PatchError: 400 malformed patch, 404 nothing to patch, 409 apply conflict or stale
 * resourceVersion, 422 a patch that does not apply (failing JSON patch `test`, missing path).
 */
export function applyPatch(input: ApplyPatchInput): object {
  if (!PATCH_TYPES.has(input.type)) {
    throw new PatchError(415, `unsupported patch type ${JSON.stringify(input.type)}`, { hint: 'Use merge, json, strategic or apply.' });
  }
  const patch = parsePatchBody(input.type, input.patch);
  if (input.type === 'apply') {
    return serverSideApply({ current: input.current, intent: patch, fieldManager: input.fieldManager, force: input.force, now: input.now, listTypes: input.listTypes });
  }
  if (input.current === undefined) {
    throw new PatchError(404, `there is no object to apply the ${input.type} patch to`, {
      hint: 'Create the object first, or use server-side apply, which creates missing objects.',
    });
  }
  const current = structuredClone(input.current);
  const patched = input.type === 'merge' ? applyMergePatch(current, patch) : input.type === 'json' ? applyJsonPatch(current, patch) : applyStrategicMergePatch(current, patch);
  if (input.fieldManager === undefined || input.fieldManager === '') return patched;
  return recordUpdateOwnership({ previous: input.current, next: patched, manager: input.fieldManager, now: input.now, listTypes: input.listTypes });
}
