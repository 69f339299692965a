import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckSet, DuplicateCheckError, InvalidCheckNameError } from '../../../src/runtime/probes/checks.js';
import { probeHandler } from '../../../src/runtime/probes/probe-server.js';
import { HttpListener, parseBindAddress, BindAddressError } from '../../../src/runtime/manager/http-listener.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

test('bind addresses parse Go-style', () => {
  assert.deepEqual(parseBindAddress('x', ':8081'), { host: undefined, port: 8081 });
  assert.deepEqual(parseBindAddress('x', '127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseBindAddress('x', '[::1]:9000'), { host: '::1', port: 9000 });
  assert.equal(parseBindAddress('x', '0'), undefined);
  assert.throws(() => parseBindAddress('healthProbeBindAddress', '8081'), BindAddressError);
  assert.throws(() => parseBindAddress('x', ':70000'), /above 65535/);
});

test('check names are validated and unique', () => {
  const set = new CheckSet('healthz');
  set.add('db', () => {});
  assert.throws(() => set.add('db', () => {}), DuplicateCheckError);
  assert.throws(() => set.add('a/b', () => {}), InvalidCheckNameError);
});

test('/healthz, /readyz, ?verbose and /healthz/<name> over loopback', async (t) => {
  const healthz = new CheckSet('healthz');
  const readyz = new CheckSet('readyz');
  let dbUp = true;
  healthz.add('ping', () => {});
  healthz.add('db', async () => {
    if (!dbUp) throw new Error('database unreachable');
  });
  readyz.add('cache-sync', () => {});
  const listener = new HttpListener('probes', { host: '127.0.0.1', port: 0 }, probeHandler([healthz, readyz]), silentLogger);
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
