import type { ServerResponse } from 'node:http';
import type { Obj } from '../registry.js';
import type { Scope, WriteOptions } from '../state.js';
import { runWithoutAdmission, type WriteSteps } from '../writes.js';
import { warningHeader, type WebhookAdmission } from './webhook-admission.js';
import type { AdmissionAttributes, AdmissionOperation, VersionConverter } from './webhook-match.js';

/** The parts of an admission request the handler knows before the write runs. */
export interface AdmissionRequest {
  scope: Scope;
  subresource?: string;
  name?: string;
  dryRun: boolean;
  /** The resource's conversion webhook, for webhooks whose rule names another version (matchPolicy Equivalent). */
  convert?: VersionConverter | undefined;
  /** A write in a non-storage version: converts the object to the storage version at the write's `store` pause. */
  toStorage?: (object: Obj) => Promise<Obj>;
}

/** The options object of the AdmissionReview, as the real server converts the request's options. */
export function reviewOptions(operation: AdmissionOperation, opts: Partial<WriteOptions> & { dryRun: boolean }, extra: Obj = {}): Obj {
  const kind = operation === 'CREATE' ? 'CreateOptions' : operation === 'UPDATE' ? 'UpdateOptions' : 'DeleteOptions';
  return {
    kind, apiVersion: 'meta.k8s.io/v1',
    ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    ...(operation !== 'DELETE' && opts.fieldManagerGiven ? { fieldManager: opts.fieldManager } : {}),
    ...(operation !== 'DELETE' && opts.fieldValidation ? { fieldValidation: opts.fieldValidation } : {}),
    ...extra,
  };
}

function attributes(request: AdmissionRequest, operation: AdmissionOperation, object: Obj | undefined, oldObject: Obj | undefined, options: Obj): AdmissionAttributes {
  const name = request.name ?? object?.metadata?.name;
  return {
    resource: request.scope.resource, version: request.scope.version, subresource: request.subresource, operation,
    namespace: request.scope.namespace, name: typeof name === 'string' && name !== '' ? name : undefined,
    object, oldObject, dryRun: request.dryRun, options, convert: request.convert,
  };
}

function sendWarnings(res: ServerResponse, warnings: string[]): void {
  if (warnings.length > 0 && !res.headersSent) res.setHeader('Warning', warnings.map(warningHeader));
}

/**
 * Runs a write's steps, calling the mutating webhooks at its `mutate` pause and the validating ones at its
 * `validate` pause; without any webhook configuration the write runs synchronously as before.
 */
export async function runAdmitted<T>(
  admission: WebhookAdmission, steps: WriteSteps<T>, request: AdmissionRequest, opts: WriteOptions, res: ServerResponse,
): Promise<T> {
  const active = admission.active();
  if (!active && !request.toStorage) return runWithoutAdmission(steps);
  const warnings: string[] = [];
  try {
    let next = steps.next();
    while (!next.done) {
      const pause = next.value;
      if (pause.phase === 'store') {
        next = steps.next(request.toStorage ? await request.toStorage(pause.object) : pause.object);
        continue;
      }
      if (!active) {
        next = steps.next(pause.object);
        continue;
      }
      const operation: AdmissionOperation = pause.old ? 'UPDATE' : 'CREATE';
      const attrs = attributes(request, operation, pause.object, pause.old, reviewOptions(operation, opts));
      if (pause.phase === 'mutate') next = steps.next(await admission.mutate(attrs, warnings));
      else {
        await admission.validate(attrs, warnings);
        next = steps.next(undefined);
      }
    }
    return next.value;
  } catch (err) {
    steps.return(undefined as T);
    throw err;
  } finally {
    sendWarnings(res, warnings);
  }
}

/** DELETE: mutating webhooks (which may not change anything) then validating ones, before the object is deleted. */
export async function admitDelete(admission: WebhookAdmission, request: AdmissionRequest, current: Obj, options: Obj, res: ServerResponse): Promise<void> {
  if (!admission.active()) return;
  const warnings: string[] = [];
  try {
    const attrs = attributes(request, 'DELETE', undefined, current, options);
    await admission.mutate(attrs, warnings);
    await admission.validate(attrs, warnings);
  } finally {
    sendWarnings(res, warnings);
  }
}
