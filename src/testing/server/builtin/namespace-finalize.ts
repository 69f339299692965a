import { errors, type StatusCause } from '../status.js';
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

/** Go's name for a JSON value's type, as encoding/json prints it in unmarshal errors. */
export function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

function decodeError(detail: string): Error {
  return errors.badRequest(`Namespace in version "v1" cannot be handled as a Namespace: json: ${detail}`,
    'spec.finalizers must be a list of strings, such as ["kubernetes"] or [].');
}

/** The spec.finalizers a finalize write asks for; a body that would not decode is a 400, as on the real server. */
export function requestedFinalizers(namespace: Obj): string[] {
  const spec = namespace.spec;
  if (spec === undefined || spec === null) return [];
  if (typeof spec !== 'object' || Array.isArray(spec)) throw decodeError(`cannot unmarshal ${jsonType(spec)} into Go struct field Namespace.spec of type v1.NamespaceSpec`);
  const finalizers = (spec as Obj).finalizers;
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) throw decodeError(`cannot unmarshal ${jsonType(finalizers)} into Go struct field NamespaceSpec.spec.finalizers of type []v1.FinalizerName`);
  return finalizers.map((finalizer) => {
    if (finalizer === null) return ''; // JSON null decodes as Go's zero value
    if (typeof finalizer !== 'string') throw decodeError(`cannot unmarshal ${jsonType(finalizer)} into Go struct field NamespaceSpec.spec.finalizers of type v1.FinalizerName`);
    return finalizer;
  });
}

/** The causes of a 422 for the `spec.finalizers` a finalize write asks for. */
export function finalizerNameProblems(finalizers: string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  finalizers.forEach((finalizer, index) => {
    const field = `spec.finalizers[${index}]`;
    const name = finalizer;
    for (const problem of qualifiedNameProblems(name)) causes.push(invalid(field, name, problem));
    if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) causes.push(invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return causes;
}

/** Puts the requested finalizers back after the update defaults (which keep the old ones); empty ones are omitted, as Go serializes them. */
export function withSpecFinalizers(namespace: Obj, finalizers: string[]): void {
  const spec: Obj = { ...namespace.spec };
  if (finalizers.length > 0) spec.finalizers = finalizers;
  else delete spec.finalizers;
  namespace.spec = spec;
}
