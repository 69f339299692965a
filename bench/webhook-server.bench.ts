/**
 * Admission round trips through the runtime's webhook server over HTTPS (keep-alive, one request at a time, as the
 * API server's client does), side by side with a baseline: the same HTTPS listener answering a fixed
 * AdmissionReview without decoding, so the difference is what the webhook layer costs (body reading and the size
 * limit, decoding, the defaulter on a copy, the JSON patch, metrics).
 * Rows: the defaulting path (a patch of 2 operations), the validating path (warnings), the baseline.
 * Figures: median and p99 of ROUNDS requests after WARMUP. Run: node --import tsx bench/webhook-server.bench.ts [--rounds=2000]
 */
import { Agent, request } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Manager, defineResource, webhookManagedBy } from '../src/runtime/index.js';
import { selfSignedCertificate } from '../src/runtime/http/self-signed-cert.js';
import { HttpListener } from '../src/runtime/http/http-listener.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import type { Cluster } from '../src/runtime/cluster/cluster.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(arg('rounds') ?? 2000);
const WARMUP = 200;

const Memcached = defineResource({ group: 'cache.example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds' });
const object = { apiVersion: 'cache.example.com/v1', kind: 'Memcached', metadata: { name: 'm', namespace: 'ns', labels: { app: 'bench' } }, spec: { size: 7, config: { a: '1', b: '2' } } };
const review = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u', kind: { group: 'cache.example.com', version: 'v1', kind: 'Memcached' }, resource: { group: 'cache.example.com', version: 'v1', resource: 'memcacheds' }, operation: 'CREATE', userInfo: { username: 'bench' }, name: 'm', namespace: 'ns', object },
});

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:9' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}
const noCluster = {
  cache: { start: (s: AbortSignal) => new Promise<void>((r) => s.addEventListener('abort', () => r(), { once: true })), hasSynced: () => true },
  client: {},
  eventRecorder: () => ({ event: () => {} }),
} as unknown as Cluster;

async function measure(address: string, path: string, ca: string): Promise<{ median: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(new URL(path, `https://${address}`), { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => (res.statusCode === 200 && body.includes('"allowed":true') ? resolve() : reject(new Error(`${res.statusCode} ${body}`))));
      });
      req.on('error', reject);
      req.end(review);
    });
  for (let i = 0; i < WARMUP; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]! };
}

const dir = await mkdtemp(join(tmpdir(), 'operator-ts-webhook-bench-'));
const pair = await selfSignedCertificate(['localhost', '127.0.0.1']);
await writeFile(join(dir, 'tls.crt'), pair.cert);
await writeFile(join(dir, 'tls.key'), pair.key);
const stop = new AbortController();
try {
  const manager = new Manager({ kubeConfig: kubeConfig(), cluster: noCluster, logger: silentLogger, defaultMetrics: false, healthProbeBindAddress: '0', webhook: { host: '127.0.0.1', port: 0, certDir: dir } });
  const paths = webhookManagedBy(manager)
    .for(Memcached)
    .withDefaulter({ default: (o: any) => void ((o.spec.image ??= 'memcached:1.6'), (o.metadata.labels.defaulted = 'true')) })
    .withValidator({ validateCreate: (o: any) => (o.spec.size > 5 ? ['large'] : []), validateUpdate: () => {}, validateDelete: () => {} })
    .complete();
  const running = manager.start(stop.signal);
  await manager.elected();
  const fixed = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', allowed: true } });
  const baseline = new HttpListener({
    name: 'baseline',
    bind: { host: '127.0.0.1', port: 0 },
    setting: { flag: 'none', option: 'none' },
    logger: silentLogger,
    tls: { initial: async () => pair },
    handler: (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(fixed));
    },
  });
  const baselineRun = baseline.start(stop.signal);
  await baseline.listening();

  const rows: Array<[string, { median: number; p99: number }]> = [
    ['baseline: fixed answer, same TLS listener', await measure(baseline.address()!, '/', pair.cert)],
    [`defaulting ${paths.mutatePath}`, await measure(manager.webhookAddress()!, paths.mutatePath!, pair.cert)],
    [`validating ${paths.validatePath}`, await measure(manager.webhookAddress()!, paths.validatePath!, pair.cert)],
  ];
  console.log(`admission round trip over HTTPS, keep-alive, ${ROUNDS} requests each (object ${Buffer.byteLength(review)} bytes as a review)`);
  console.log(`${'path'.padEnd(64)} ${'median ms'.padStart(10)} ${'p99 ms'.padStart(10)}`);
  for (const [name, r] of rows) console.log(`${name.padEnd(64)} ${r.median.toFixed(3).padStart(10)} ${r.p99.toFixed(3).padStart(10)}`);
  stop.abort();
  await Promise.all([running, baselineRun]);
} finally {
  stop.abort();
  await rm(dir, { recursive: true, force: true });
}
