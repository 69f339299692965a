import { request } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { Manager, type ManagerOptions } from '../../../src/runtime/index.js';
import { selfSignedCertificate } from '../../../src/runtime/http/self-signed-cert.js';
import type { CertificatePair } from '../../../src/runtime/http/self-signed-cert.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { fakeCluster, unreachableKubeConfig } from '../manager/fakes.js';

export interface Posted {
  status: number;
  body: any;
  text: string;
  fingerprint: string;
}

/** POSTs `body` over HTTPS, trusting only `ca` (as the API server trusts a webhook configuration's caBundle). */
export function post(address: string, path: string, body: unknown, opts: { ca: string; contentType?: string; raw?: string | Buffer } = { ca: '' }): Promise<Posted> {
  const url = new URL(path, `https://${address}`);
  const payload = opts.raw ?? JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: opts.ca, agent: false, headers: { 'content-type': opts.contentType ?? 'application/json' } }, (res) => {
      const cert = (res.socket as unknown as { getPeerCertificate(): PeerCertificate }).getPeerCertificate();
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text, fingerprint: cert.fingerprint256 });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function certDir(t: { after(fn: () => Promise<void>): void }): Promise<{ dir: string; pair: CertificatePair }> {
  const dir = await mkdtemp(join(tmpdir(), 'operator-ts-webhook-certs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pair = await selfSignedCertificate(['localhost', '127.0.0.1']);
  await writeFile(join(dir, 'tls.crt'), pair.cert);
  await writeFile(join(dir, 'tls.key'), pair.key);
  return { dir, pair };
}

/** A manager against no API server, its webhook server on a free loopback port with the certificate in `dir`. */
export function testManager(dir: string, options: ManagerOptions = {}): Manager {
  return new Manager({
    kubeConfig: unreachableKubeConfig(),
    cluster: fakeCluster(),
    logger: silentLogger,
    defaultMetrics: false,
    healthProbeBindAddress: '127.0.0.1:0',
    webhook: { host: '127.0.0.1', port: 0, certDir: dir },
    ...options,
  });
}

export async function run(t: { after(fn: () => Promise<void>): void }, manager: Manager): Promise<void> {
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await running;
  });
  await manager.elected();
}

export function admissionReview(request: Record<string, unknown>): unknown {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group: 'cache.example.com', version: 'v1', kind: 'Memcached' },
      resource: { group: 'cache.example.com', version: 'v1', resource: 'memcacheds' },
      name: 'm',
      namespace: 'ns',
      userInfo: { username: 'alice' },
      ...request,
    },
  };
}
