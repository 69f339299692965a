import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpListener } from '../../../src/runtime/http/http-listener.js';
import { withAuthenticationAndAuthorization } from '../../../src/runtime/http/metrics-auth.js';
import type { AccessReviewer, UserInfo } from '../../../src/runtime/http/access-reviews.js';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

/** Tokens 'reader' and 'nobody' authenticate; only 'reader' may get /metrics. 'broken' makes the review fail. */
function fakeReviewer() {
  const calls = { authenticate: 0, authorize: [] as string[] };
  const reviewer: AccessReviewer = {
    async authenticate(token) {
      calls.authenticate++;
      if (token === 'broken') throw new Error('tokenreviews.authentication.k8s.io is forbidden');
      return token === 'reader' || token === 'nobody' || token === 'sar-broken' ? { username: token, groups: ['system:authenticated'] } : undefined;
    },
    async authorize(user: UserInfo, verb, path) {
      calls.authorize.push(`${user.username} ${verb} ${path}`);
      if (user.username === 'sar-broken') throw new Error('subjectaccessreviews.authorization.k8s.io is forbidden');
      return { allowed: user.username === 'reader' && verb === 'get' && path === '/metrics', reason: '' };
    },
  };
  return { reviewer, calls };
}

async function serve(t: { after(fn: () => Promise<void>): void }, reviewer: AccessReviewer, clock: FakeClock) {
  const handler = withAuthenticationAndAuthorization((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('# metrics\n');
  }, { reviewer, clock, logger: silentLogger });
  const listener = new HttpListener({ name: 'metrics', bind: { host: '127.0.0.1', port: 0 }, setting: { flag: '--metrics-bind-address', option: 'metricsBindAddress' }, handler, logger: silentLogger });
  const stop = new AbortController();
  const running = listener.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await running;
  });
  await listener.listening();
  return async (token?: string, path = '/metrics') => {
    const res = await fetch(`http://${listener.address()}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.text() };
  };
}

test('401 without a token or with one that does not authenticate, 403 when denied, 500 when a review fails, 200 when allowed', async (t) => {
  const { reviewer } = fakeReviewer();
  const get = await serve(t, reviewer, new FakeClock());
  assert.deepEqual(await get(), { status: 401, body: 'Unauthorized\n' });
  assert.deepEqual(await get('stolen'), { status: 401, body: 'Unauthorized\n' });
  assert.deepEqual(await get('nobody'), { status: 403, body: 'Authorization denied for user nobody\n' });
  assert.deepEqual(await get('reader', '/metrics/other'), { status: 403, body: 'Authorization denied for user reader\n' });
  assert.deepEqual(await get('broken'), { status: 500, body: 'Authentication failed\n' });
  assert.deepEqual(await get('sar-broken'), { status: 500, body: 'Authorization for user sar-broken failed\n' });
  assert.deepEqual(await get('reader'), { status: 200, body: '# metrics\n' });
});

test('reviews are cached: tokens for a minute, allowed for 5 minutes, denied for 30 seconds; failures are not', async (t) => {
  const { reviewer, calls } = fakeReviewer();
  const clock = new FakeClock();
  const get = await serve(t, reviewer, clock);
  assert.equal((await get('reader')).status, 200);
  assert.equal((await get('nobody')).status, 403);
  assert.equal((await get('reader')).status, 200);
  assert.equal((await get('nobody')).status, 403);
  assert.equal(calls.authenticate, 2);
  assert.deepEqual(calls.authorize, ['reader get /metrics', 'nobody get /metrics']);
  await clock.advance(30_000);
  assert.equal((await get('nobody')).status, 403);
  assert.deepEqual(calls.authorize.length, 3, 'the denial expired after 30s and was asked again');
  assert.equal(calls.authenticate, 2, 'the token answers are still fresh');
  await clock.advance(30_000);
  assert.equal((await get('reader')).status, 200);
  assert.equal(calls.authenticate, 3, 'the token answer expired after a minute');
  assert.equal(calls.authorize.length, 3, 'the allowed decision lasts 5 minutes');
  await clock.advance(4 * 60_000);
  assert.equal((await get('reader')).status, 200);
  assert.equal(calls.authorize.length, 4);
  const before = calls.authenticate;
  await get('broken');
  await get('broken');
  assert.equal(calls.authenticate, before + 2, 'a failed review is asked again');
});
