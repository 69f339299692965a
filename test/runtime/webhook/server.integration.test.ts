/** The webhook server as part of the manager: when it starts, readiness, metrics and certificate rotation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { defineResource, webhookManagedBy, CertificateLoadError, ListenError, ManagerOptionsError } from '../../../src/runtime/index.js';
import { selfSignedCertificate } from '../../../src/runtime/http/self-signed-cert.js';
import { admissionReview, certDir, post, run, testManager } from './harness.js';
import { unreachableKubeConfig } from '../manager/fakes.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

const Memcached = defineResource({ group: 'cache.example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds' });
const allowAll = { validateCreate: () => {}, validateUpdate: () => {}, validateDelete: () => {} };
const object = { apiVersion: 'cache.example.com/v1', kind: 'Memcached', metadata: { name: 'm' } };

test('without a registered webhook no server starts and /readyz has no webhook check', async (t) => {
  const manager = testManager('/nonexistent-cert-dir');
  await run(t, manager);
  assert.equal(manager.webhookAddress(), undefined);
  const res = await fetch(`http://${manager.healthProbeAddress()}/readyz?verbose`);
  assert.equal(res.status, 200);
  assert.doesNotMatch(await res.text(), /webhook/);
});

test('/readyz includes the webhook check, which passes once the server completes a TLS handshake', async (t) => {
  const { dir } = await certDir(t);
  const manager = testManager(dir);
  webhookManagedBy(manager).for(Memcached).withValidator(allowAll).complete();
  const check = manager.webhookServer.startedChecker();
  await assert.rejects(check(), /webhook server has not been started yet/);
  await run(t, manager);
  assert.match(manager.webhookAddress()!, /^127\.0\.0\.1:\d+$/);
  await check();
  const res = await fetch(`http://${manager.healthProbeAddress()}/readyz/webhook`);
  assert.deepEqual([res.status, await res.text()], [200, 'ok']);
});

test('metrics: requests_total by webhook and code, latency and in-flight, with controller-runtime names', async (t) => {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const { validatePath } = webhookManagedBy(manager).for(Memcached).withValidator(allowAll).complete();
  await run(t, manager);
  const address = manager.webhookAddress()!;
  await post(address, validatePath!, admissionReview({ operation: 'CREATE', object }), { ca: pair.cert });
  await post(address, validatePath!, admissionReview({ operation: 'CREATE', object }), { ca: pair.cert });
  await post(address, validatePath!, undefined, { ca: pair.cert, raw: 'nope' });
  const text = await manager.metricsRegistry.metrics();
  const path = '/validate-cache-example-com-v1-memcached';
  assert.match(text, new RegExp(`^controller_runtime_webhook_requests_total\\{webhook="${path}",code="200"\\} 2$`, 'm'));
  assert.match(text, new RegExp(`^controller_runtime_webhook_requests_total\\{webhook="${path}",code="400"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^controller_runtime_webhook_requests_total\\{webhook="${path}",code="500"\\} 0$`, 'm'));
  assert.match(text, new RegExp(`^controller_runtime_webhook_latency_seconds_count\\{webhook="${path}",code="200"\\} 2$`, 'm'));
  assert.match(text, new RegExp(`^controller_runtime_webhook_requests_in_flight\\{webhook="${path}"\\} 0$`, 'm'));
});

test('the certificate in certDir is served, and a rotated one after the files change', async (t) => {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const { validatePath } = webhookManagedBy(manager).for(Memcached).withValidator(allowAll).complete();
  await run(t, manager);
  const address = manager.webhookAddress()!;
  const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
  const review = admissionReview({ operation: 'CREATE', object });
  assert.equal((await post(address, validatePath!, review, { ca: pair.cert })).fingerprint, fingerprint(pair.cert));

  const second = await selfSignedCertificate(['localhost', '127.0.0.1']);
  await writeFile(join(dir, 'tls.key.new'), second.key);
  await writeFile(join(dir, 'tls.crt.new'), second.cert);
  await rename(join(dir, 'tls.key.new'), join(dir, 'tls.key'));
  await rename(join(dir, 'tls.crt.new'), join(dir, 'tls.crt'));
  // A client that trusts only the new certificate (the API server after cert-manager injected the new caBundle)
  // fails the handshake until the server has reloaded.
  let answer: Awaited<ReturnType<typeof post>> | undefined;
  for (let i = 0; i < 200 && !answer; i++) {
    answer = await post(address, validatePath!, review, { ca: second.cert }).catch(() => undefined);
    if (!answer) await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(answer, 'the rotated certificate is served without a restart');
  assert.equal(answer.fingerprint, fingerprint(second.cert));
  assert.equal(answer.body.response.allowed, true);
});

test('a cert dir without the files stops the manager with CertificateLoadError naming the path and the webhook options', async (t) => {
  const { dir } = await certDir(t);
  await rm(join(dir, 'tls.key'));
  const manager = testManager(dir);
  webhookManagedBy(manager).for(Memcached).withValidator(allowAll).complete();
  await assert.rejects(manager.start(), (err: unknown) => err instanceof CertificateLoadError && err.message.includes(join(dir, 'tls.key')) && /webhook\.certDir/.test(err.hint ?? ''));
});

test('bad webhook options are refused when the manager is made, naming the option', () => {
  const make = (webhook: unknown) => () => new Manager({ kubeConfig: unreachableKubeConfig(), logger: silentLogger, webhook: webhook as never });
  const rejects = (webhook: unknown, option: string, message: RegExp) =>
    assert.throws(make(webhook), (e: unknown) => e instanceof ManagerOptionsError && e.option === option && message.test(e.message) && (e.hint ?? '') !== '');
  rejects({ port: 70000 }, 'webhook.port', /webhook\.port is 70000: it must be a whole number from 0 to 65535/);
  rejects({ port: '9443' }, 'webhook.port', /"9443"/);
  rejects({ port: 1.5 }, 'webhook.port', /1\.5/);
  rejects({ host: '[::1]' }, 'webhook.host', /without brackets/);
  rejects({ certDir: '' }, 'webhook.certDir', /must be a directory path/);
  rejects({ certName: 'certs/tls.crt' }, 'webhook.certName', /no '\/'/);
  rejects({ keyName: 'tls.crt' }, 'webhook.keyName', /both 'tls\.crt'/);
  rejects('9443', 'webhook', /must be an object/);
  const defaults = new Manager({ kubeConfig: unreachableKubeConfig(), logger: silentLogger }).webhookServer.options;
  assert.deepEqual(defaults, { port: 9443, host: undefined, certDir: '/tmp/k8s-webhook-server/serving-certs', certName: 'tls.crt', keyName: 'tls.key' });
});

test('a port in use stops the manager with ListenError naming webhook.port', async (t) => {
  const { dir } = await certDir(t);
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => blocker.close(() => r())));
  const port = (blocker.address() as { port: number }).port;
  const manager = testManager(dir, { webhook: { host: '127.0.0.1', port, certDir: dir } });
  webhookManagedBy(manager).for(Memcached).withValidator(allowAll).complete();
  await assert.rejects(manager.start(), (err: unknown) => err instanceof ListenError && err.message.startsWith(`webhook server could not listen on 127.0.0.1:${port} (set by ManagerOptions.webhook.port)`) && /webhook Service must target it/.test(err.hint ?? ''));
});
