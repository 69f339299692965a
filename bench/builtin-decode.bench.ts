/**
 * Decoding built-in bodies as the real server's Go structs: the one-time load of the field types (on the first
 * write of a built-in kind), the type check of one Deployment next to a structuredClone of it (the copy every
 * write already makes), and in-process Deployment creates, whose CPU includes the check.
 * Run: node --import tsx bench/builtin-decode.bench.ts
 */
import { loadavg } from 'node:os';
import { ApiServer } from '../src/testing/index.js';
import { decodeTypeError } from '../src/testing/server/builtin/decode-types.js';

const deployment = (i: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: 'bench', labels: { app: 'web', shard: String(i % 10) } },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' }, annotations: { 'example.com/revision': '3' } },
      spec: {
        containers: [{
          name: 'main', image: 'nginx:1.27', args: ['--port', '8080'], ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }],
        volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
        terminationGracePeriodSeconds: 30,
      },
    },
  },
});

const cpuMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

const t0 = performance.now();
decodeTypeError(deployment(0), 'apps', 'v1', 'Deployment');
const loadMs = performance.now() - t0;

const N = 20_000;
const objects = Array.from({ length: N }, (_, i) => deployment(i));
const time = (fn: (o: Record<string, unknown>) => unknown) => {
  for (let i = 0; i < 2_000; i++) fn(objects[i]!);
  const start = performance.now();
  for (const o of objects) fn(o);
  return ((performance.now() - start) * 1000) / N;
};
const cloneUs = time((o) => structuredClone(o));
const decodeUs = time((o) => decodeTypeError(o, 'apps', 'v1', 'Deployment'));

const server = await ApiServer.start();
const CREATES = 5_000;
let createUs: number;
try {
  server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CREATES; i++) server.createObject(deployment(i));
  createUs = cpuMicros(process.cpuUsage(cpu0)) / CREATES;
} finally {
  await server.stop();
}

console.log('built-in body decoding (type check against the v1.32.13 field types):');
console.log(`  first load of the field types (read + link, once per process): ${loadMs.toFixed(1)} ms`);
console.log(`  type check of one Deployment: ${decodeUs.toFixed(1)} µs    baseline, structuredClone of it: ${cloneUs.toFixed(1)} µs`);
console.log(`  in-process Deployment create, CPU: ${createUs.toFixed(0)} µs (the type check is ${((decodeUs / createUs) * 100).toFixed(1)}% of it)`);
console.log(`node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on a shared machine`);
