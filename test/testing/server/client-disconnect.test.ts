import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Socket } from 'node:net';
import type { TestEnv } from '../../../src/testing/index.js';
import { rawRequest, testEnv } from '../helpers.js';

/**
 * The embedded server stores a write whose request arrived completely even when the client closed or reset
 * the connection before the answer (one of a real server's outcomes, made deterministic) — also when the
 * request was held by pause() and the client left while it waited.
 */
describe('a client that leaves after a complete request', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });
  after(() => env.stop());

  async function sendAndLeave(method: string, path: string, body: object, how: 'close' | 'reset'): Promise<void> {
    const url = new URL(env.url);
    const socket: Socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const text = JSON.stringify(body);
    const head = `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n`;
    await new Promise<void>((resolve, reject) => socket.write(head + text, (err) => (err ? reject(err) : resolve())));
    if (how === 'reset') socket.resetAndDestroy();
    else socket.destroy();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  }

  /** Polls until the object shows the dropped write; bounded by attempts. */
  async function settled(path: string, ok: (body: any) => boolean): Promise<any> {
    for (let i = 0; i < 200; i++) {
      const res = await rawRequest(env, 'GET', path);
      if (res.code === 200 && ok(res.body)) return res.body;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.fail(`${path} never showed the dropped write`);
  }

  for (const how of ['close', 'reset'] as const) {
    it(`stores a create and an update whose connection was ${how === 'close' ? 'closed' : 'reset'}`, async () => {
      const cms = '/api/v1/namespaces/default/configmaps';
      for (let i = 0; i < 10; i++) {
        const name = `left-${how}-${i}`;
        await sendAndLeave('POST', cms, { metadata: { name }, data: { n: String(i) } }, how);
        const stored = await settled(`${cms}/${name}`, () => true);
        assert.deepEqual(stored.data, { n: String(i) });
        await sendAndLeave('PUT', `${cms}/${name}`, { ...stored, data: { n: `${i}-updated` } }, how);
        await settled(`${cms}/${name}`, (body) => body.data?.n === `${i}-updated`);
      }
    });

    it(`stores a create held by pause() whose client ${how === 'close' ? 'closed' : 'reset'} the connection while it waited`, async () => {
      const name = `held-${how}`;
      env.server.pause();
      try {
        await sendAndLeave('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { held: 'yes' } }, how);
        // A few turns of the event loop let the server see the connection go while the request is held.
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        assert.equal(env.server.heldRequestCount, 1);
      } finally {
        env.server.resume();
      }
      const stored = await settled(`/api/v1/namespaces/default/configmaps/${name}`, () => true);
      assert.deepEqual(stored.data, { held: 'yes' });
    });
  }
});
