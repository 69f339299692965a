/** How `dev` waits for the operator's webhook server before applying samples. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { checkOperatorArgs, waitForWebhookServer, withWebhookArgs } from '../../src/cli/dev-webhooks.js';
import { DevCommandError } from '../../src/errors.js';
import { makeCertificates } from '../../src/testing/webhook/certificates.js';
import type { Clock } from '../../src/runtime/clock.js';

/** A clock whose sleeps pass at once and move it on: the wait's deadline without waiting. */
function steppingClock(): Clock & { slept: number } {
  let t = 0;
  const clock = { slept: 0, now: () => t, sleep: async (ms: number) => { t += ms; clock.slept += ms; } };
  return clock;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('waitForWebhookServer', () => {
  it('gives up (false) at the deadline when nothing listens', async () => {
    const clock = steppingClock();
    const ready = await waitForWebhookServer({ host: '127.0.0.1', port: await closedPort(), caPem: '' }, { stopped: () => false, timeoutMs: 1_000, intervalMs: 100, clock });
    assert.equal(ready, false);
    assert.equal(clock.slept, 1_000);
  });

  it('stops at once (false) when the operator has exited', async () => {
    const clock = steppingClock();
    assert.equal(await waitForWebhookServer({ host: '127.0.0.1', port: await closedPort(), caPem: '' }, { stopped: () => true, clock }), false);
    assert.equal(clock.slept, 0);
  });

  it('is true once a server with a certificate of the CA answers, whatever the status', async () => {
    const certs = await makeCertificates();
    const server = createHttpsServer({ cert: certs.certPem, key: certs.keyPem }, (_req, res) => { res.statusCode = 404; res.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      assert.equal(await waitForWebhookServer({ host: '127.0.0.1', port, caPem: certs.caPem }, { stopped: () => false, clock: steppingClock() }), true);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the operator arguments dev sets', () => {
  it('puts --webhook-port and --webhook-cert-dir before the user\'s', () => {
    assert.deepEqual(withWebhookArgs(['--leader-elect'], { port: 4443, certDir: '/tmp/certs' }), ['--webhook-port', '4443', '--webhook-cert-dir', '/tmp/certs', '--leader-elect']);
  });

  it('refuses the user\'s own webhook serving flags in either form, and lets others through', () => {
    for (const arg of ['--webhook-port', '--webhook-port=1', '--webhook-cert-dir', '--webhook-cert-name=x.crt', '--webhook-key-name']) {
      assert.throws(() => checkOperatorArgs(['--leader-elect', arg]), (err: unknown) => err instanceof DevCommandError && err.message.includes(`the operator argument ${arg} is refused`));
    }
    checkOperatorArgs(['--leader-elect', '--webhook-portal', '--log-level=debug']);
  });
});
