import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckSet } from '../../../src/runtime/probes/checks.js';
import { probeHandler } from '../../../src/runtime/http/probe-handler.js';
import { HttpListener } from '../../../src/runtime/http/http-listener.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

test('/healthz, /readyz, ?verbose and /healthz/<name> over loopback', async (t) => {
  const healthz = new CheckSet('healthz');
  const readyz = new CheckSet('readyz');
  let dbUp = true;
  healthz.add('ping', () => {});
  healthz.add('db', async () => {
    if (!dbUp) throw new Error('database unreachable');
  });
  readyz.add('cache-sync', () => {});
  const listener = new HttpListener({
    name: 'probes',
    bind: { host: '127.0.0.1', port: 0 },
    setting: { flag: '--health-probe-bind-address', option: 'healthProbeBindAddress' },
    handler: probeHandler([healthz, readyz]),
    logger: silentLogger,
  });
  const stop = new AbortController();
  const running = listener.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await running;
  });
  await listener.listening();
  const base = `http://${listener.address()}`;
  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: await res.text() };
  };
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok' });
  assert.deepEqual(await get('/healthz?verbose'), { status: 200, body: '[+]ping ok\n[+]db ok\nhealthz check passed\n' });
  dbUp = false;
  const failing = await get('/healthz');
  assert.equal(failing.status, 500);
  assert.match(failing.body, /\[-\]db failed: database unreachable/);
  assert.doesNotMatch(failing.body, /ping/);
  assert.equal((await get('/healthz/db')).status, 500);
  assert.deepEqual(await get('/healthz/ping'), { status: 200, body: 'ok' });
  assert.equal((await get('/healthz/nope')).status, 404);
  assert.equal((await get('/other')).status, 404);
});
