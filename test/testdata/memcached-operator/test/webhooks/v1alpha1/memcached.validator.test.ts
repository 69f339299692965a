/**
 * Runs the validating webhook of Memcached (cache.example.com/v1alpha1) in a real manager against the embedded Kubernetes API
 * server of operator-ts/testing, with the CRDs of config/crd/bases and the webhook configurations of config/webhook
 * installed and pointed at this test's webhook server. Run `npm run manifests` after changing the API types or
 * adding a webhook, so both match the code.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiError, Manager, Namespace, createLogger, type Client } from 'operator-ts/runtime';
import { startTestEnv, type TestEnv } from 'operator-ts/testing';
import * as v1alpha1 from '../../../src/api/v1alpha1/memcached.types.js';
import { MAX_SIZE } from '../../../src/webhooks/v1alpha1/memcached.validator.js';
import { setupMemcachedWebhooks } from '../../../src/webhooks/memcached.webhook.js';

describe('Memcached v1alpha1 validating webhook', () => {
  let env: TestEnv;
  let client: Client;
  const stopManager = new AbortController();
  let managerStopped: Promise<void> | undefined;

  before(async () => {
    env = await startTestEnv({ crds: ['config/crd/bases'], webhooks: { paths: ['config/webhook'] } });
    const { host, port, certDir } = env.webhookInstallOptions!;
    const manager = new Manager({
      kubeConfig: env.kubeConfig,
      webhook: { host, port, certDir },
      healthProbeBindAddress: '0',
      metricsBindAddress: '0',
      logger: createLogger({ level: 'warn' }),
    });
    client = manager.client;
    // Every webhook of Memcached, as src/main.ts registers them: the configurations call all of them.
    setupMemcachedWebhooks(manager);
    managerStopped = manager.start(stopManager.signal);
    // Without leader election the manager is elected once its webhook server listens.
    await Promise.race([manager.elected(), managerStopped]);
  });

  after(async () => {
    stopManager.abort();
    await managerStopped;
    await env?.stop();
  });

  /** A new Memcached with apiVersion and kind taken from MemcachedResource. */
  function newMemcached(name: string, namespace: string, size: number): v1alpha1.Memcached {
    const { MemcachedResource } = v1alpha1;
    return { apiVersion: MemcachedResource.apiVersion, kind: MemcachedResource.kind, metadata: { name, namespace }, spec: { size } } as v1alpha1.Memcached;
  }

  it('allows a valid Memcached and denies an invalid one with the validator\'s message', async () => {
    const namespace = `test-${randomUUID().slice(0, 8)}`;
    await client.create(Namespace, { metadata: { name: namespace } });
    const { MemcachedResource } = v1alpha1;
    await client.create(MemcachedResource, newMemcached(`valid-${randomUUID().slice(0, 8)}`, namespace, MAX_SIZE));

    const invalid = newMemcached(`invalid-${randomUUID().slice(0, 8)}`, namespace, MAX_SIZE + 1);
    await assert.rejects(client.create(MemcachedResource, invalid), (err: unknown) => {
      assert.ok(err instanceof ApiError, `an API error, got ${String(err)}`);
      assert.equal(err.status, 422, err.message);
      assert.match(err.message, /denied the request: .*spec\.size: Invalid value: \d+: must be at most \d+/);
      return true;
    });
  });
});
