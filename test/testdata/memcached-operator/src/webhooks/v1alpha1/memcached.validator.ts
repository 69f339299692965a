/**
 * The validating webhook of Memcached (cache.example.com/v1alpha1), served at /validate-cache-example-com-v1alpha1-memcached. The API server calls it on every
 * create and update of a Memcached, after defaulting and schema validation. Return warnings (kubectl prints them) to
 * allow; throw WebhookDeniedError with field causes to deny. Registered by src/webhooks/memcached.webhook.ts.
 */
import { WebhookDeniedError, type Validator, type Warnings } from 'operator-ts/runtime';
import type { Memcached } from '../../api/v1alpha1/memcached.types.js';

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
    // The generated configuration sends creates and updates only (as Kubebuilder's does: a failurePolicy Fail webhook
    // on deletes would block deleting a Memcached while the operator is down), so this runs only if you add DELETE.
    return [];
  },
};
