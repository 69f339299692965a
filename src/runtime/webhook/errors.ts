import { OperatorTsError } from '../../errors.js';

/** One invalid field of a denied object, as metav1.StatusCause. */
export interface FieldCause {
  /** JSON path of the field, e.g. 'spec.size'. */
  field: string;
  message: string;
  /** metav1.CauseType (sent as `reason`, as metav1.StatusCause's JSON has it); 'FieldValueInvalid' by default. */
  reason?: string;
}

export interface WebhookDeniedOptions {
  causes?: FieldCause[];
  /** HTTP code of the denial: 422 (Invalid) with causes, 403 (Forbidden) without, by default. */
  code?: number;
  /** metav1.StatusReason; 'Invalid' for 422, 'Forbidden' for 403 by default. */
  reason?: string;
}

/**
 * Thrown by a defaulter or validator to deny a request: the API server returns the message and field causes to
 * the user (as apierrors.NewInvalid or NewForbidden in a Go webhook).
 */
export class WebhookDeniedError extends OperatorTsError {
  readonly causes: FieldCause[];
  readonly statusCode: number;
  readonly reason: string;

  constructor(message: string, options: WebhookDeniedOptions = {}) {
    super('EWEBHOOKDENIED', message, { hint: 'fix the fields named in the causes and send the request again' });
    this.causes = options.causes ?? [];
    this.statusCode = options.code ?? (this.causes.length > 0 ? 422 : 403);
    this.reason = options.reason ?? (this.statusCode === 422 ? 'Invalid' : this.statusCode === 403 ? 'Forbidden' : 'BadRequest');
  }
}

/** A webhook was set up wrongly: no kind, an invalid converter, a path registered twice. */
export class WebhookSetupError extends OperatorTsError {
  constructor(message: string, hint: string) {
    super('EWEBHOOKSETUP', message, { hint });
  }
}
