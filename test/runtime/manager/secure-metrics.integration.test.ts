/**
 * A manager serving secure metrics against the embedded API server, which answers the TokenReview and
 * SubjectAccessReview the metrics server makes: the RBAC a generated project installs (metrics-reader bound to a
 * ServiceAccount) is what lets a scraper in.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { selfSignedCertificate } from '../../../src/runtime/http/self-signed-cert.js';
import { CertificateLoadError } from '../../../src/runtime/http/cert-watcher.js';
import { ManagerOptionsError } from '../../../src/runtime/manager/errors.js';
import { httpsGet } from '../http/https-get.js';
import { X509Certificate } from 'node:crypto';

let env: TestEnv;
const ns = 'secure-metrics-e2e';

async function post(path: string, body: unknown): Promise<any> {
  const res = await fetch(new URL(path, env.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  assert.ok(res.status === 201, `${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function serviceAccountToken(name: string): Promise<string> {
  await post(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  const request = await post(`/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  return request.status.token;
}

async function runManager(t: { after(fn: () => Promise<void>): void }, options: ConstructorParameters<typeof Manager>[0]) {
  const manager = new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, healthProbeBindAddress: '0', metricsBindAddress: '127.0.0.1:0', ...options });
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await running;
  });
  await manager.elected();
  return manager.metricsAddress()!;
}

before(async () => {
  env = await startTestEnv();
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});
after(() => env?.stop());

test('secure metrics: 401 without or with a bad token, 403 without the metrics-reader role, 200 with Prometheus text when bound', async (t) => {
  const scraper = await serviceAccountToken('scraper');
  const stranger = await serviceAccountToken('stranger');
  // As config/rbac/metrics_reader_role.yaml and a binding for the scraper.
  await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'metrics-reader' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] });
  await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'scraper-metrics-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'scraper', namespace: ns }],
  });
  const address = await runManager(t, { metricsSecure: true });

  assert.equal((await httpsGet(address, '/metrics')).status, 401);
  assert.equal((await httpsGet(address, '/metrics', 'not-a-token')).status, 401);
  const denied = await httpsGet(address, '/metrics', stranger);
  assert.deepEqual([denied.status, denied.body], [403, `Authorization denied for user system:serviceaccount:${ns}:stranger\n`]);
  const ok = await httpsGet(address, '/metrics', scraper);
  assert.equal(ok.status, 200);
  assert.match(ok.contentType ?? '', /^text\/plain; version=0\.0\.4/);
  assert.match(ok.body, /^# HELP process_cpu_user_seconds_total /m);
});

test('plain metrics with metricsSecure false: no TLS and no authentication', async (t) => {
  const address = await runManager(t, { metricsSecure: false });
  const res = await fetch(`http://${address}/metrics`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /^# HELP /m);
});

test('a cert dir: its certificate is served, and a rotated one is served after the files change', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'operator-ts-metrics-certs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await selfSignedCertificate(['localhost']);
  await writeFile(join(dir, 'tls.crt'), first.cert);
  await writeFile(join(dir, 'tls.key'), first.key);
  const address = await runManager(t, { metricsSecure: true, metricsCertDir: dir });
  const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
  assert.equal((await httpsGet(address, '/metrics')).fingerprint, fingerprint(first.cert));

  // cert-manager writes new files and swaps them in; write aside and rename, so no reader sees half a file.
  const second = await selfSignedCertificate(['localhost']);
  await writeFile(join(dir, 'tls.key.new'), second.key);
  await writeFile(join(dir, 'tls.crt.new'), second.cert);
  await rename(join(dir, 'tls.key.new'), join(dir, 'tls.key'));
  await rename(join(dir, 'tls.crt.new'), join(dir, 'tls.crt'));
  let served = '';
  for (let i = 0; i < 200 && served !== fingerprint(second.cert); i++) {
    served = (await httpsGet(address, '/metrics')).fingerprint;
    if (served !== fingerprint(second.cert)) await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(served, fingerprint(second.cert), 'the rotated certificate is served without a restart');
});

test('a cert dir without the files stops the manager with CertificateLoadError naming the path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'operator-ts-metrics-certs-'));
  try {
    const manager = new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, healthProbeBindAddress: '0', metricsBindAddress: '127.0.0.1:0', metricsSecure: true, metricsCertDir: dir });
    await assert.rejects(manager.start(), (err: unknown) => err instanceof CertificateLoadError && err.message.includes(join(dir, 'tls.crt')) && /--metrics-cert-dir/.test(err.hint ?? ''));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad metrics serving options are refused before anything starts, naming the option', () => {
  const make = (options: object) => () => new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, ...options });
  assert.throws(make({ metricsCertDir: '/certs' }), (e: unknown) => e instanceof ManagerOptionsError && e.option === 'metricsCertDir' && /metricsSecure is false/.test(e.message));
  assert.throws(make({ metricsSecure: true, metricsCertName: 'certs/tls.crt' }), (e: unknown) => e instanceof ManagerOptionsError && e.option === 'metricsCertName');
  assert.throws(make({ metricsSecure: true, metricsKeyName: '' }), (e: unknown) => e instanceof ManagerOptionsError && e.option === 'metricsKeyName');
  assert.throws(make({ metricsSecure: true, metricsKeyName: 'tls.crt' }), (e: unknown) => e instanceof ManagerOptionsError && /both 'tls.crt'/.test(e.message));
  assert.throws(make({ metricsSecure: 'yes' }), (e: unknown) => e instanceof ManagerOptionsError && e.option === 'metricsSecure');
});
