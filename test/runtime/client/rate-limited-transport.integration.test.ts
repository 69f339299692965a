import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, testKubeConfig, type TestEnv } from '../../../src/testing/index.js';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { RestTransport, type RestClientMetrics } from '../../../src/runtime/client/rest-transport.js';
import { TokenBucketRateLimiter } from '../../../src/runtime/client/request-rate-limiter.js';
import { TransportError } from '../../../src/runtime/client/errors.js';
import { Client } from '../../../src/runtime/client/client.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import type { LeaseGuard } from '../../../src/runtime/types.js';

let env: TestEnv;
before(async () => {
  env = await startTestEnv();
});
after(async () => {
  await env.stop();
});

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

/** Records what the transport reports, in order. */
function recordingMetrics() {
  const seen: string[] = [];
  const metrics: RestClientMetrics = {
    requestResult: (code, method) => seen.push(`result ${method} ${code}`),
    requestLatency: (verb, _host, s) => seen.push(`latency ${verb} ${s}`),
    rateLimiterLatency: (verb, _host, s) => seen.push(`limiter ${verb} ${s}`),
  };
  return { seen, metrics };
}

function setup(qps: number, burst: number) {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps, burst, clock });
  const { seen, metrics } = recordingMetrics();
  const transport = new RestTransport(env.kubeConfig, { rateLimiter: limiter, metrics, clock });
  return { clock, limiter, seen, transport };
}

test('requests beyond the burst wait for a token; the wait is reported as rate-limiter and request latency', async (t) => {
  const { clock, seen, transport } = setup(1, 1);
  t.after(() => transport.close());
  await transport.json({ method: 'GET', path: CONFIGMAPS });
  assert.deepEqual(seen, ['limiter GET 0', 'result GET 200', 'latency GET 0']);
  seen.length = 0;
  let done = false;
  const second = transport.json({ method: 'GET', path: CONFIGMAPS }).then(() => (done = true));
  await flushMicrotasks();
  assert.equal(done, false, 'no token for the second request yet');
  assert.deepEqual(seen, [], 'nothing was sent');
  await clock.advance(1_000);
  await second;
  assert.deepEqual(seen, ['limiter GET 1', 'result GET 200', 'latency GET 1']);
});

test('watches are not rate-limited (as client-go) but are counted', async (t) => {
  const { clock, seen, transport } = setup(0.001, 1);
  t.after(() => transport.close());
  await transport.json({ method: 'GET', path: CONFIGMAPS });
  const stop = new AbortController();
  const res = await transport.stream({ method: 'GET', path: CONFIGMAPS, query: { watch: 1 }, signal: stop.signal });
  assert.equal(res.statusCode, 200);
  assert.equal(clock.now(), 0);
  stop.abort();
  res.destroy();
  assert.deepEqual(seen, ['limiter GET 0', 'result GET 200', 'latency GET 0', 'result GET 200']);
});

test('a signal that aborts while the request waits for a token fails it unsent with a TransportError', async (t) => {
  const { limiter, seen, transport } = setup(0.001, 1);
  t.after(() => transport.close());
  await transport.json({ method: 'GET', path: CONFIGMAPS });
  seen.length = 0;
  const abort = new AbortController();
  const waiting = transport.json({ method: 'POST', path: CONFIGMAPS, body: { metadata: { name: 'never-sent' } }, signal: abort.signal });
  await flushMicrotasks();
  abort.abort(new Error('caller gave up'));
  await assert.rejects(waiting, (err: unknown) => err instanceof TransportError && /waited for the client-side rate limiter/.test(err.message));
  assert.deepEqual(seen, ['limiter POST 0', 'latency POST 0'], 'no request result: nothing was sent');
  assert.equal(limiter.available(), 0, 'the token went back');
  const list = await new RestTransport(env.kubeConfig).json<{ items: unknown[] }>({ method: 'GET', path: CONFIGMAPS });
  assert.equal(list.items.length, 0, 'the server never saw the POST');
});

test('a fenced write whose fence closes while it waits for a token fails with LeaseNotHeldError and is not sent', async (t) => {
  const { transport } = setup(0.001, 1);
  t.after(() => transport.close());
  const fence = new AbortController();
  const guard: LeaseGuard = {
    isHeld: () => !fence.signal.aborted,
    assertHeld: () => {},
    fence: () => ({ deadline: Number.POSITIVE_INFINITY, signal: fence.signal, check: () => {}, release: () => {} }),
  };
  const client = new Client({ transport, cache: { get: async () => undefined, list: async () => [] }, fieldManager: 'test' }).withGuard(guard);
  await client.create(ConfigMap, { metadata: { name: 'first', namespace: 'default' } });
  const second = client.create(ConfigMap, { metadata: { name: 'second', namespace: 'default' } });
  await flushMicrotasks();
  fence.abort(new LeaseNotHeldError('the fencing deadline passed'));
  await assert.rejects(second, (err: unknown) => err instanceof LeaseNotHeldError && /it was not sent/.test(err.message));
  const names = (await new RestTransport(env.kubeConfig).json<{ items: { metadata: { name: string } }[] }>({ method: 'GET', path: CONFIGMAPS })).items.map((i) => i.metadata.name);
  assert.deepEqual(names, ['first']);
});

test('a transport failure is counted with the code <error>', async () => {
  const { seen, metrics } = recordingMetrics();
  const transport = new RestTransport(await testKubeConfig('http://127.0.0.1:9'), { metrics, clock: new FakeClock(0) });
  await assert.rejects(transport.json({ method: 'GET', path: CONFIGMAPS }), TransportError);
  assert.deepEqual(seen, ['result GET <error>', 'latency GET 0']);
});
