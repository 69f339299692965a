import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfigFile, loadKubeConfig } from '../../../src/runtime/kubeconfig/kubeconfig-file.js';
import { KubeConfigError } from '../../../src/runtime/client/rest-transport.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(user: string, extra = ''): string {
  return `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: ${b64('CA-PEM')}
    tls-server-name: api.internal
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: team-a}
users:
- name: u1
  user:
${user}
${extra}`;
}

test('a token user gets a bearer header, and the cluster CA and server name', async () => {
  const d = dir();
  writeFileSync(join(d, 'config'), kubeconfig('    token: abc123'));
  const kc = loadKubeConfig({ env: { KUBECONFIG: join(d, 'config') } });
  assert.equal(kc.getCurrentCluster()?.server, 'https://10.0.0.1:6443');
  assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, 'team-a');
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  assert.deepEqual(opts.headers, { Authorization: 'Bearer abc123' });
  assert.equal(String(opts.ca), 'CA-PEM');
  assert.equal(opts.servername, 'api.internal');
});

test('client certificate files resolve relative to the kubeconfig file; `as` impersonates', async () => {
  const d = dir();
  mkdirSync(join(d, 'certs'));
  writeFileSync(join(d, 'certs', 'client.crt'), 'CERT');
  writeFileSync(join(d, 'certs', 'client.key'), 'KEY');
  writeFileSync(join(d, 'config'), kubeconfig('    client-certificate: certs/client.crt\n    client-key: certs/client.key\n    as: jane'));
  const kc = loadKubeConfig({ env: { KUBECONFIG: join(d, 'config') } });
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  assert.equal(String(opts.cert), 'CERT');
  assert.equal(String(opts.key), 'KEY');
  assert.deepEqual(opts.headers, { 'Impersonate-User': 'jane' });
});

test('a token file is read again once a minute has passed, so a rotated token is used', async () => {
  const d = dir();
  writeFileSync(join(d, 'token'), 'first\n');
  writeFileSync(join(d, 'config'), kubeconfig('    tokenFile: token'));
  let now = 0;
  const kc = loadKubeConfig({ env: { KUBECONFIG: join(d, 'config') }, now: () => now });
  const auth = async () => {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    return (opts.headers as Record<string, string>).Authorization;
  };
  assert.equal(await auth(), 'Bearer first');
  writeFileSync(join(d, 'token'), 'second\n');
  now = 59_999;
  assert.equal(await auth(), 'Bearer first');
  now = 60_000;
  assert.equal(await auth(), 'Bearer second');
});

test('an exec-plugin user is handed to the delegate, loaded once', async () => {
  const d = dir();
  writeFileSync(join(d, 'config'), kubeconfig('    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: get-token'));
  let loads = 0;
  const kc = loadKubeConfig({
    env: { KUBECONFIG: join(d, 'config') },
    loadDelegate: async () => {
      loads++;
      return { getCurrentContext: () => 'dev', getContextObject: () => null, getCurrentCluster: () => null, applyToHTTPSOptions: async (o) => void (o.headers = { Authorization: 'Bearer from-exec' }) };
    },
  });
  for (let i = 0; i < 2; i++) {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    assert.deepEqual(opts.headers, { Authorization: 'Bearer from-exec' });
  }
  assert.equal(loads, 1);
});

test('a KUBECONFIG list merges as kubectl does: the first file to name an entry or the current context wins', () => {
  const d = dir();
  writeFileSync(join(d, 'a'), 'clusters:\n- name: c1\n  cluster: {server: https://first}\n');
  writeFileSync(join(d, 'b'), 'current-context: dev\nclusters:\n- name: c1\n  cluster: {server: https://second}\ncontexts:\n- name: dev\n  context: {cluster: c1, user: u}\n');
  const kc = loadKubeConfig({ env: { KUBECONFIG: `${join(d, 'a')}:${join(d, 'b')}` } });
  assert.equal(kc.getCurrentContext(), 'dev');
  assert.equal(kc.getCurrentCluster()?.server, 'https://first');
});

test('in a pod: the service account token, CA and namespace, with an IPv6 host in brackets', async () => {
  const sa = dir();
  writeFileSync(join(sa, 'token'), 'sa-token');
  writeFileSync(join(sa, 'ca.crt'), 'SA-CA');
  writeFileSync(join(sa, 'namespace'), 'ops\n');
  const kc = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, home: dir(), serviceAccountDir: sa });
  assert.equal(kc.getCurrentCluster()?.server, 'https://[fd00::1]:443');
  assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, 'ops');
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  assert.deepEqual(opts.headers, { Authorization: 'Bearer sa-token' });
  assert.equal(String(opts.ca), 'SA-CA');
});

test('no kubeconfig and not in a pod is a KubeConfigError, not a guess at localhost', () => {
  assert.throws(() => loadKubeConfig({ env: {}, home: dir() }), (err: unknown) => err instanceof KubeConfigError && err.code === 'EKUBECONFIG' && /no kubeconfig found/.test(err.message));
});

test('an unreadable or malformed kubeconfig is a KubeConfigError naming the KUBECONFIG value', () => {
  const d = dir();
  writeFileSync(join(d, 'bad'), 'clusters: [unclosed');
  for (const path of [join(d, 'bad'), join(d, 'missing')]) {
    assert.throws(() => loadKubeConfig({ env: { KUBECONFIG: path } }), (err: unknown) => err instanceof KubeConfigError && err.message.includes(`KUBECONFIG=${path}`));
  }
});

test('in a pod without a namespace file the context has no namespace', () => {
  const kc: KubeConfigFile = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '443' }, home: dir(), serviceAccountDir: dir() });
  assert.equal(kc.getCurrentCluster()?.server, 'https://h:443');
  assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, undefined);
});
