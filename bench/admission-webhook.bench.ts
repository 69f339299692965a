/**
 * Admission round trip through the embedded API server: sequential ConfigMap creates over one keep-alive HTTP
 * connection with no webhook configuration (the baseline), then with one mutating webhook (a JSONPatch) and one
 * validating webhook, both HTTPS on 127.0.0.1 with a self-signed CA, served in this process. Median and p99.
 * Run: node --import tsx bench/admission-webhook.bench.ts
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { startTestServer } from '../src/testing/index.js';
import { allow, TestWebhook } from '../test/conformance/webhook-fixture.js';

const CREATES = 400;
const WARMUP = 40;

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(url: string, body: object): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

async function measure(base: string, namespace: string, prefix: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + CREATES; i++) {
    const started = performance.now();
    const status = await post(`${base}/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: `${prefix}-${i}`, labels: { app: 'bench' } }, data: { i: String(i) } });
    const elapsed = performance.now() - started;
    if (status !== 201) throw new Error(`create ${prefix}-${i}: ${status}`);
    if (i >= WARMUP) times.push(elapsed);
  }
  return times;
}

const env = await startTestServer();
const hook = await TestWebhook.start((path, review) => path.startsWith('/mutate')
  ? allow(review, { patch: [{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }] })
  : allow(review));
try {
  await post(`${env.url}/api/v1/namespaces`, { metadata: { name: 'bench', labels: { webhooks: 'on' } } });
  const none = await measure(env.url, 'bench', 'plain');
  const rules = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }];
  const webhook = (name: string, path: string) => ({
    name, admissionReviewVersions: ['v1'], sideEffects: 'None', rules, namespaceSelector: { matchLabels: { webhooks: 'on' } },
    clientConfig: { url: hook.url(path), caBundle: hook.caBundle },
  });
  for (const kind of ['Mutating', 'Validating'] as const) {
    const status = await post(`${env.url}/apis/admissionregistration.k8s.io/v1/${kind.toLowerCase()}webhookconfigurations`, {
      metadata: { name: `bench-${kind.toLowerCase()}` }, webhooks: [webhook(`${kind.toLowerCase()}.bench.test`, `/${kind === 'Mutating' ? 'mutate' : 'validate'}`)],
    });
    if (status !== 201) throw new Error(`${kind}WebhookConfiguration: ${status}`);
  }
  const hooked = await measure(env.url, 'bench', 'hooked');
  if (hook.on('/mutate').length !== WARMUP + CREATES || hook.on('/validate').length !== WARMUP + CREATES) throw new Error('the webhooks were not called for every create');
  const row = (label: string, xs: number[]) => console.log(`| ${label} | ${quantile(xs, 0.5).toFixed(2)} ms | ${quantile(xs, 0.99).toFixed(2)} ms |`);
  console.log(`${CREATES} sequential ConfigMap creates (after ${WARMUP} warm-up), one keep-alive connection; load average ${loadavg()[0]!.toFixed(1)}`);
  console.log('| admission | median | p99 |');
  console.log('| --- | --- | --- |');
  row('no webhook (baseline)', none);
  row('1 mutating + 1 validating webhook (HTTPS, same process)', hooked);
} finally {
  agent.destroy();
  await hook.close();
  await env.stop();
}
