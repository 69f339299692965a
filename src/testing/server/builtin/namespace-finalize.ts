import type { StatusCause } from '../status.js';
import type { Obj } from '../registry.js';
import { invalid } from './field-errors.js';
import { qualifiedNameProblems } from './metadata-validation.js';

/**
 * A namespace's `finalize` subresource (PUT only): the one write that sets `spec.finalizers`, which the main
 * endpoint keeps as they were. Like the real server it writes metadata and spec from the body, keeps status,
 * and checks each finalizer name: a qualified name, and either one of the standard names or prefixed with a
 * domain. Emptying them on a Terminating namespace with no metadata finalizers removes it at once, contents
 * or not, which is what tooling uses it for.
 */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function specFinalizersOf(namespace: Obj): unknown[] {
  return Array.isArray(namespace.spec?.finalizers) ? namespace.spec.finalizers : [];
}

/** The causes of a 422 for the `spec.finalizers` a finalize write asks for. */
export function finalizerNameProblems(finalizers: unknown[]): StatusCause[] {
  const causes: StatusCause[] = [];
  finalizers.forEach((finalizer, index) => {
    const field = `spec.finalizers[${index}]`;
    const name = String(finalizer);
    for (const problem of qualifiedNameProblems(name)) causes.push(invalid(field, name, problem));
    if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) causes.push(invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return causes;
}

/** Puts the requested finalizers back after the update defaults (which keep the old ones); empty ones are omitted, as Go serializes them. */
export function withSpecFinalizers(namespace: Obj, finalizers: unknown[]): void {
  const spec: Obj = { ...namespace.spec };
  if (finalizers.length > 0) spec.finalizers = finalizers;
  else delete spec.finalizers;
  namespace.spec = spec;
}
