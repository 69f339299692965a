/**
 * One validation failure, shaped like a Kubernetes StatusCause: `path` is the field (`spec.replicas`),
 * `type` the cause reason (`FieldValueInvalid`, `FieldValueRequired`, ...), and `message` the text after
 * the path, e.g. `Invalid value: 11: spec.replicas in body should be less than or equal to 10`.
 */
export interface FieldError {
  path: string;
  message: string;
  type?: FieldErrorType;
  value?: unknown;
}

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid';

/** `spec.replicas: Invalid value: 11: ...` — one error the way the real server prints it. */
export function formatFieldError(error: FieldError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}

/**
 * The message of a 422 Invalid Status for these errors:
 * `Memcached.cache.example.com "x" is invalid: spec.size: Required value` (several errors go in brackets).
 */
export function invalidObjectMessage(target: { kind: string; group: string; name: string }, errors: FieldError[]): string {
  const qualified = target.group === '' ? target.kind : `${target.kind}.${target.group}`;
  const parts = errors.map(formatFieldError);
  const detail = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
  return `${qualified} "${target.name}" is invalid: ${detail}`;
}

/** StatusCause objects for a 422 Status' details.causes. */
export function statusCauses(errors: FieldError[]): Array<{ reason: string; message: string; field: string }> {
  return errors.map((error) => ({ reason: error.type ?? 'FieldValueInvalid', message: error.message, field: error.path }));
}
