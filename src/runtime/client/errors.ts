import { OperatorTsError } from '../../errors.js';

/** The parts of a Kubernetes `Status` body the runtime cares about. */
export interface ApiStatusInfo {
  status: number;
  reason?: string;
  message: string;
  method: string;
  path: string;
}

/** The API server answered with an error status. `status` is the HTTP code, `reason` the Status reason. */
export class ApiError extends OperatorTsError {
  readonly status: number;
  readonly reason?: string;
  readonly method: string;
  readonly path: string;

  constructor(info: ApiStatusInfo, code = 'EAPI', hint?: string) {
    super(code, `${info.method} ${info.path} failed with ${info.status}${info.reason ? ` ${info.reason}` : ''}: ${info.message}`, {
      hint: hint ?? 'check the request and the RBAC rules of the service account; the message above is the API server\'s',
    });
    this.status = info.status;
    this.reason = info.reason;
    this.method = info.method;
    this.path = info.path;
  }
}

/** 404: the object (or its kind) does not exist. */
export class NotFoundError extends ApiError {
  constructor(info: ApiStatusInfo) {
    super(info, 'ENOTFOUND', 'the object is absent; if the kind itself is unknown, install its CRD first');
  }
}

/** 409: a stale resourceVersion (reason Conflict) or an existing name (reason AlreadyExists). */
export class ConflictError extends ApiError {
  constructor(info: ApiStatusInfo, hint?: string) {
    super(info, 'ECONFLICT', hint ?? 'read the object again and retry; controllers retry conflicts automatically');
  }
}

/** 409 with reason AlreadyExists: create of a name that is taken. */
export class AlreadyExistsError extends ConflictError {
  constructor(info: ApiStatusInfo) {
    super(info, 'an object with this name exists; read it and update it instead, or pick another name');
  }
}

/** 422: the object fails validation; the message lists the fields. */
export class InvalidError extends ApiError {
  constructor(info: ApiStatusInfo) {
    super(info, 'EINVALID', 'fix the fields named in the message; they break the schema of the kind');
  }
}

/** 410: the resourceVersion asked for is too old (watch history compacted). */
export class GoneError extends ApiError {
  constructor(info: ApiStatusInfo) {
    super(info, 'EGONE', 'list again to get a fresh resourceVersion');
  }
}

/** The server could not be reached, or the connection broke mid-request. */
export class TransportError extends OperatorTsError {
  constructor(message: string, cause: unknown) {
    super('ETRANSPORT', message, { cause, hint: 'check that the API server in the kubeconfig is reachable' });
  }
}

/** Maps an HTTP error answer to the most specific error class. */
export function apiErrorFor(info: ApiStatusInfo): ApiError {
  switch (info.status) {
    case 404:
      return new NotFoundError(info);
    case 409:
      return info.reason === 'AlreadyExists' ? new AlreadyExistsError(info) : new ConflictError(info);
    case 410:
      return new GoneError(info);
    case 422:
      return new InvalidError(info);
    default:
      return new ApiError(info);
  }
}

export function isNotFound(err: unknown): err is NotFoundError {
  return err instanceof NotFoundError;
}

export function isConflict(err: unknown): err is ConflictError {
  return err instanceof ConflictError;
}

/**
 * client.IgnoreNotFound: returns undefined for a 404 (NotFoundError) and throws anything else, so a
 * caller can write `await client.delete(...).catch(ignoreNotFound)` or `catch (err) { ignoreNotFound(err) }`.
 * Throwing rather than returning the other error keeps a forgotten `throw` from swallowing it.
 */
export function ignoreNotFound(err: unknown): undefined {
  if (err instanceof NotFoundError) return undefined;
  throw err;
}
