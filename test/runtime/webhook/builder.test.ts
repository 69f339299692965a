import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineResource, metadataOnly, mutatePath, validatePath, webhookManagedBy, WebhookSetupError } from '../../../src/runtime/index.js';
import { testManager } from './harness.js';

const Memcached = defineResource({ group: 'cache.example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds' });
const Pod = defineResource({ group: '', version: 'v1', kind: 'Pod', plural: 'pods' });
const validator = { validateCreate: () => {}, validateUpdate: () => {}, validateDelete: () => {} };
const spoke = { toHub: (o: never) => o, fromHub: (o: never) => o };

test('paths as controller-runtime generates them, the core group giving an empty segment', () => {
  assert.equal(mutatePath(Memcached), '/mutate-cache-example-com-v1-memcached');
  assert.equal(validatePath(Memcached), '/validate-cache-example-com-v1-memcached');
  assert.equal(mutatePath(Pod), '/mutate--v1-pod');
  assert.equal(validatePath({ group: 'apps', version: 'v1beta2', kind: 'StatefulSet' }), '/validate-apps-v1beta2-statefulset');
});

test('setup mistakes are WebhookSetupError naming the kind and the fix', () => {
  const m = testManager('/nonexistent');
  const fails = (build: () => unknown, message: RegExp) => assert.throws(build, (e: unknown) => e instanceof WebhookSetupError && message.test(e.message) && (e.hint ?? '') !== '');
  fails(() => webhookManagedBy(m).withValidator(validator).complete(), /has no kind/);
  fails(() => webhookManagedBy(m).for(Memcached).complete(), /webhooks of Memcached have nothing to serve/);
  fails(() => webhookManagedBy(m).for(Memcached).for(Pod), /for\(\) was called twice/);
  fails(() => webhookManagedBy(m).for(metadataOnly(Memcached)), /metadata-only/);
  fails(() => webhookManagedBy(m).for(Memcached).withDefaulter({} as never), /default\(obj, ctx\)/);
  fails(() => webhookManagedBy(m).for(Memcached).withValidator({ validateCreate: () => {} } as never), /needs validateUpdate, validateDelete/);
  fails(() => webhookManagedBy(m).for(Memcached).withConversion({ hub: 'one', spokes: {} }), /hub "one" is not a Kubernetes version/);
  fails(() => webhookManagedBy(m).for(Memcached).withConversion({ hub: 'v1', spokes: {} }), /at least one version/);
  fails(() => webhookManagedBy(m).for(Memcached).withConversion({ hub: 'v1', spokes: { v1: spoke } }), /v1 is both the hub and a spoke/);
  fails(() => webhookManagedBy(m).for(Memcached).withConversion({ hub: 'v1', spokes: { v1alpha1: { toHub: spoke.toHub } as never } }), /spoke v1alpha1 needs toHub\(obj\) and fromHub\(hub\)/);
  fails(() => webhookManagedBy(m).for(Memcached).withConversion({ hub: 'v2', spokes: { v1alpha1: spoke } }).complete(), /for\(\) names version v1, which is neither the hub nor a spoke/);
  assert.deepEqual(m.webhookServer.paths(), [], 'nothing was registered by the failed builds');

  webhookManagedBy(m).for(Memcached).withValidator(validator).complete();
  fails(() => webhookManagedBy(m).for(Memcached).withValidator(validator).complete(), /already registered at \/validate-cache-example-com-v1-memcached/);
  webhookManagedBy(m).for(Memcached).withConversion({ hub: 'v1', spokes: { v1alpha1: spoke } }).complete();
  fails(() => webhookManagedBy(m).for(Memcached).withConversion({ hub: 'v1', spokes: { v1alpha1: spoke } }).complete(), /conversions of Memcached\.cache\.example\.com are already registered/);
  assert.deepEqual(m.webhookServer.paths(), ['/validate-cache-example-com-v1-memcached', '/convert']);
});
