import { OperatorTsError } from '../../errors.js';

/** HTTP status a patch failure maps to: malformed patch, ownership conflict, or a patch that cannot apply. */
export type PatchErrorStatus = 400 | 404 | 409 | 415 | 422;

/** One reason of a failure, shaped like a Kubernetes StatusCause so the server can copy it as is. */
export interface PatchErrorCause {
  type: string;
  message: string;
  field?: string;
}

const REASONS: Record<PatchErrorStatus, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  409: 'Conflict',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
};

/**
 * A patch that cannot be applied. `status` and `reason` are what the API server answers with;
 * `causes` carries per-field details (for example every server-side apply conflict).
 */
export class PatchError extends OperatorTsError {
  readonly status: PatchErrorStatus;
  readonly reason: string;
  readonly causes: PatchErrorCause[];

  constructor(status: PatchErrorStatus, message: string, options: { hint?: string; causes?: PatchErrorCause[]; cause?: unknown } = {}) {
    super(`EPATCH${status}`, message, { hint: options.hint, cause: options.cause });
    this.status = status;
    this.reason = REASONS[status];
    this.causes = options.causes ?? [];
  }
}
