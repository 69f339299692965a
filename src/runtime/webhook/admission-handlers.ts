import type { KubernetesObject } from '@kubernetes/client-node';
import jsonpatch from 'fast-json-patch';
import type { Logger } from '../types.js';
import { admissionReview, allowed, decodeAdmissionReview, denied, deniedBy, type AdmissionResponse } from './admission-review.js';
import { WebhookDeniedError } from './errors.js';
import type { JsonReply, WebhookHandler, WebhookRequestMeta } from './server.js';
import { badRequest } from './server.js';
import type { AdmissionContext, AdmissionRequest, Defaulter, Validator, Warnings } from './types.js';

function reply(response: AdmissionResponse): JsonReply {
  return { status: 200, body: admissionReview(response) };
}

function objectOf(req: AdmissionRequest, field: 'object' | 'oldObject'): KubernetesObject {
  const obj = req[field];
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw badRequest(`the AdmissionReview request for ${req.operation} has no ${field}`);
  return obj as KubernetesObject;
}

/** A thrown error as a denial: WebhookDeniedError keeps its code and causes, anything else gives its message. */
function denial(req: AdmissionRequest, err: unknown, logger: Logger, what: string): AdmissionResponse {
  if (err instanceof WebhookDeniedError) return deniedBy(req, err);
  logger.error(`${what} threw; denying the request`, { error: err, uid: req.uid, name: req.name, namespace: req.namespace });
  return denied(req.uid, err instanceof Error ? err.message : String(err));
}

function context(req: AdmissionRequest, meta: WebhookRequestMeta, logger: Logger): AdmissionContext {
  return { request: req, signal: meta.signal, logger: logger.child({ uid: req.uid, name: req.name, namespace: req.namespace, operation: req.operation }) };
}

/**
 * Calls the defaulter on a copy of the object and answers with the JSON patch from the object as sent to the
 * object as defaulted; no patch when nothing changed. DELETE and CONNECT are allowed untouched.
 */
export function defaultingHandler<T extends KubernetesObject>(defaulter: Defaulter<T>, logger: Logger): WebhookHandler {
  return async (body, meta) => {
    const req = decodeAdmissionReview(body);
    if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return reply(allowed(req.uid));
    const original = objectOf(req, 'object');
    let obj = structuredClone(original) as T;
    try {
      const returned = await defaulter.default(obj, context(req, meta, logger));
      if (returned !== undefined && returned !== null) obj = returned;
    } catch (err) {
      return reply(denial(req, err, logger, 'defaulter'));
    }
    const patch = jsonpatch.compare(original, obj);
    if (patch.length === 0) return reply(allowed(req.uid));
    return reply({ ...allowed(req.uid), patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') });
  };
}

function warningsOf(value: Warnings): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`the validator returned ${typeof value}, not an array of warning strings`);
  return value.map(String);
}

/** Calls validateCreate, validateUpdate (old and new object) or validateDelete (the old object); CONNECT is allowed. */
export function validatingHandler<T extends KubernetesObject>(validator: Validator<T>, logger: Logger): WebhookHandler {
  return async (body, meta) => {
    const req = decodeAdmissionReview(body);
    let call: (ctx: AdmissionContext) => Warnings | Promise<Warnings>;
    if (req.operation === 'CREATE') {
      const obj = objectOf(req, 'object') as T;
      call = (ctx) => validator.validateCreate(obj, ctx);
    } else if (req.operation === 'UPDATE') {
      const [oldObj, newObj] = [objectOf(req, 'oldObject') as T, objectOf(req, 'object') as T];
      call = (ctx) => validator.validateUpdate(oldObj, newObj, ctx);
    } else if (req.operation === 'DELETE') {
      const obj = objectOf(req, 'oldObject') as T;
      call = (ctx) => validator.validateDelete(obj, ctx);
    } else {
      return reply(allowed(req.uid));
    }
    try {
      return reply(allowed(req.uid, warningsOf(await call(context(req, meta, logger)))));
    } catch (err) {
      return reply(denial(req, err, logger, 'validator'));
    }
  };
}
