/**
 * The defaulting webhook of Memcached (cache.example.com/v1alpha1), served at /mutate-cache-example-com-v1alpha1-memcached. The API server calls it on every
 * create and update of a Memcached, before validation; `default` changes the object in place and the webhook server
 * answers with the JSON patch of what changed. Registered by src/webhooks/memcached.webhook.ts.
 */
import type { Defaulter } from 'operator-ts/runtime';
import type { Memcached } from '../../api/v1alpha1/memcached.types.js';

/** The label the example below defaults, as config/samples sets it. */
export const NAME_LABEL = 'app.kubernetes.io/name';

export const memcachedDefaulter: Defaulter<Memcached> = {
  default(obj) {
    // An example: a Memcached created without the label gets it. Write your defaults here, changing `obj`.
    // A field with a schema default (`@default` in the types, such as spec.size) is already filled in by the API
    // server before this webhook runs, so defaulting it here would never apply: use this webhook for defaults the
    // schema cannot express, such as ones computed from other fields, the namespace or the user (ctx.request).
    obj.metadata.labels ??= {};
    obj.metadata.labels[NAME_LABEL] ??= 'memcached-operator';
  },
};
