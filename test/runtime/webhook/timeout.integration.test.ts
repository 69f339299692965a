/**
 * The API server's deadline (the `timeout` it adds to the webhook URL from timeoutSeconds) aborts the handler's
 * signal, so slow work can stop; the answer then is what the handler makes of it. Time is a fake clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineResource, webhookManagedBy } from '../../../src/runtime/index.js';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { admissionReview, certDir, post, run, testManager } from './harness.js';

const Memcached = defineResource({ group: 'cache.example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds' });

test('ctx.signal aborts when the timeout in the URL passes, not before', async (t) => {
  const { dir, pair } = await certDir(t);
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const manager = testManager(dir, { clock });
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => (entered = r));
  const { validatePath } = webhookManagedBy(manager)
    .for(Memcached)
    .withValidator({
      async validateCreate(_obj, ctx) {
        entered();
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        throw new Error(`gave up: ${(ctx.signal.reason as Error).message}`);
      },
      validateUpdate: () => {},
      validateDelete: () => {},
    })
    .complete();
  await run(t, manager);
  const answer = post(manager.webhookAddress()!, `${validatePath}?timeout=10s`, admissionReview({ operation: 'CREATE', object: { apiVersion: 'cache.example.com/v1', kind: 'Memcached', metadata: { name: 'm' } } }), { ca: pair.cert });
  await inHandler;
  await clock.advance(9_999);
  let settled = false;
  void answer.then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, 'still waiting just before the deadline');
  await clock.advance(1);
  const res = await answer;
  assert.deepEqual(res.body.response.status, { code: 403, reason: 'Forbidden', message: "gave up: the API server's timeout of 10s passed" });
});
