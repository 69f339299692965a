/**
 * The validating webhook of Memcached (cache.example.com/v1alpha1), served at /validate-cache-example-com-v1alpha1-memcached. The API server calls it for the
 * operations in memcachedValidatorOperations on a Memcached, after defaulting and schema validation. Return warnings
 * (kubectl prints them) to allow; throw WebhookDeniedError with field causes to deny. Registered by
 * src/webhooks/memcached.webhook.ts.
 */
import { WebhookDeniedError, type AdmissionOperation, type Validator, type Warnings } from 'operator-ts/runtime';
import type { Memcached } from '../../api/v1alpha1/memcached.types.js';

/**
 * The operations the API server sends to this webhook; `npm run manifests` writes them into
 * config/webhook/manifests.yaml (a list of string literals: CREATE, UPDATE, DELETE, CONNECT). Add 'DELETE' to have
 * validateDelete called. That costs availability: the configuration's failurePolicy is Fail, so while the operator
 * is down or unreachable every delete of a Memcached fails (and a namespace holding one stays Terminating).
 */
export const memcachedValidatorOperations = ['CREATE', 'UPDATE'] as const satisfies readonly AdmissionOperation[];

/** The example rule's limit. */
export const MAX_SIZE = 5;

/**
 * An example rule: spec.size may be at most MAX_SIZE. Replace it with yours. A bound like this one fits the schema
 * as well (`@maximum` in the types); a webhook is for rules the schema and CEL cannot state, such as ones that read
 * other objects.
 */
function validateMemcached(obj: Memcached): Warnings {
  const size = obj.spec?.size;
  if (size !== undefined && size > MAX_SIZE) {
    throw new WebhookDeniedError(`Memcached "${obj.metadata?.name ?? ''}" is invalid: spec.size: Invalid value: ${size}: must be at most ${MAX_SIZE}`, {
      causes: [{ field: 'spec.size', message: `Invalid value: ${size}: must be at most ${MAX_SIZE}` }],
    });
  }
  return [];
}

export const memcachedValidator: Validator<Memcached> = {
  validateCreate(obj) {
    return validateMemcached(obj);
  },
  validateUpdate(_oldObj, newObj) {
    // Compare `_oldObj` with `newObj` here for rules about changes (a field that must not change, for example).
    return validateMemcached(newObj);
  },
  validateDelete() {
    // Runs only when memcachedValidatorOperations lists 'DELETE' (it does not by default, as in Kubebuilder), with
    // the object being deleted as its first argument.
    return [];
  },
};
