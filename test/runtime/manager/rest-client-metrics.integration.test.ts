import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { ConflictError } from '../../../src/runtime/client/errors.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { REST_CLIENT_LATENCY_BUCKETS } from '../../../src/runtime/metrics/rest-client-metrics.js';

let env: TestEnv;
before(async () => {
  env = await startTestEnv();
});
after(async () => {
  await env.stop();
});

/** Sample lines of one metric family from Prometheus text, without comments. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

test("the manager's /metrics has client-go's rest_client metrics with its labels and buckets", async (t) => {
  const m = new Manager({
    kubeConfig: env.kubeConfig,
    logger: silentLogger,
    defaultMetrics: false,
    healthProbeBindAddress: '0',
    metricsBindAddress: '127.0.0.1:0',
    client: { qps: 1_000, burst: 100 },
  });
  const stop = new AbortController();
  const run = m.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await run;
  });
  while (!m.metricsAddress()) await new Promise((r) => setTimeout(r, 5));
  const host = new URL(env.url).host;

  const created = await m.client.create(ConfigMap, { metadata: { name: 'metrics', namespace: 'default' }, data: { a: '1' } });
  assert.equal(await m.apiReader.get(ConfigMap, 'default', 'missing'), undefined);
  await m.apiReader.list(ConfigMap, { namespace: 'default' });
  await assert.rejects(m.client.update(ConfigMap, { ...created, metadata: { ...created.metadata, resourceVersion: '1' } }), ConflictError);

  const text = await (await fetch(`http://${m.metricsAddress()}/metrics`)).text();
  assert.match(text, /^# HELP rest_client_requests_total Number of HTTP requests, partitioned by status code, method, and host\.$/m);
  assert.match(text, /^# TYPE rest_client_requests_total counter$/m);
  const requests = samples(text, 'rest_client_requests_total');
  assert.ok(requests.includes(`rest_client_requests_total{code="201",method="POST",host="${host}"} 1`), requests.join('\n'));
  assert.ok(requests.includes(`rest_client_requests_total{code="404",method="GET",host="${host}"} 1`), requests.join('\n'));
  assert.ok(requests.includes(`rest_client_requests_total{code="409",method="PUT",host="${host}"} 1`), requests.join('\n'));
  assert.ok(requests.includes(`rest_client_requests_total{code="200",method="GET",host="${host}"} 1`), requests.join('\n'));

  for (const name of ['rest_client_request_duration_seconds', 'rest_client_rate_limiter_duration_seconds']) {
    assert.match(text, new RegExp(`^# TYPE ${name} histogram$`, 'm'));
    const post = samples(text, `${name}_bucket`).filter((l) => l.includes('verb="POST"'));
    const les = post.map((l) => /le="([^"]+)"/.exec(l)![1]);
    assert.deepEqual(les, [...REST_CLIENT_LATENCY_BUCKETS.map(String), '+Inf'], `${name} has client-go's buckets`);
    assert.ok(post.every((l) => l.includes(`host="${host}"`)), `${name} is labelled verb and host`);
    assert.ok(samples(text, `${name}_count`).includes(`${name}_count{verb="GET",host="${host}"} 2`), `${name}: the two GETs`);
  }
});

test('without a rate limit the limiter histogram stays empty while requests are still counted', async () => {
  const m = new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, defaultMetrics: false, healthProbeBindAddress: '0' });
  await m.apiReader.get(ConfigMap, 'default', 'missing');
  const text = await m.metricsRegistry.metrics();
  assert.equal(samples(text, 'rest_client_rate_limiter_duration_seconds_count').length, 0);
  assert.equal(samples(text, 'rest_client_requests_total').length, 1);
});
