import type { AdmissionRequest } from './types.js';
import { badRequest } from './server.js';
import type { WebhookDeniedError } from './errors.js';

const API_VERSION = 'admission.k8s.io/v1';

/** AdmissionReview v1's `response`. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: {
    code: number;
    reason?: string;
    message?: string;
    details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason?: string; message?: string; field?: string }> };
  };
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

/** The request of an AdmissionReview v1 body; other versions and shapes are a 400 naming what is wrong. */
export function decodeAdmissionReview(body: unknown): AdmissionRequest {
  const review = body as { apiVersion?: unknown; kind?: unknown; request?: Partial<AdmissionRequest> } | null;
  if (typeof review !== 'object' || review === null || Array.isArray(review)) throw badRequest('the body is not an AdmissionReview object');
  if (review.kind !== 'AdmissionReview') throw badRequest(`the body has kind ${JSON.stringify(review.kind)}: expected AdmissionReview`);
  if (review.apiVersion !== API_VERSION) {
    throw badRequest(`AdmissionReview ${JSON.stringify(review.apiVersion)} is not supported: only ${API_VERSION}; set admissionReviewVersions: [v1] in the webhook configuration`);
  }
  const req = review.request;
  if (typeof req !== 'object' || req === null) throw badRequest('the AdmissionReview has no request');
  if (typeof req.uid !== 'string' || req.uid === '') throw badRequest('the AdmissionReview request has no uid');
  if (!['CREATE', 'UPDATE', 'DELETE', 'CONNECT'].includes(req.operation as string)) throw badRequest(`the AdmissionReview request has operation ${JSON.stringify(req.operation)}: expected CREATE, UPDATE, DELETE or CONNECT`);
  return req as AdmissionRequest;
}

export function admissionReview(response: AdmissionResponse): unknown {
  return { apiVersion: API_VERSION, kind: 'AdmissionReview', response };
}

export function allowed(uid: string, warnings?: string[]): AdmissionResponse {
  return { uid, allowed: true, status: { code: 200 }, ...(warnings && warnings.length > 0 ? { warnings } : {}) };
}

/** A denial from WebhookDeniedError: its code, reason, message and field causes (as apierrors.NewInvalid). */
export function deniedBy(req: AdmissionRequest, err: WebhookDeniedError): AdmissionResponse {
  const causes = err.causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field }));
  return {
    uid: req.uid,
    allowed: false,
    status: {
      code: err.statusCode,
      reason: err.reason,
      message: err.message,
      ...(causes.length > 0 ? { details: { name: req.name, group: req.kind?.group, kind: req.kind?.kind, causes } } : {}),
    },
  };
}

/** A denial with a plain message (an error that is not a WebhookDeniedError), as controller-runtime's admission.Denied. */
export function denied(uid: string, message: string): AdmissionResponse {
  return { uid, allowed: false, status: { code: 403, reason: 'Forbidden', message } };
}
