/**
 * Decoding one list answer: the protobuf decoder of built-in kinds against JSON.parse of the JSON answer of the same
 * list (Buffer to string included, as the transport does), each first in a fresh process (cold: what an informer's
 * first list pays) and then five more times in it (warm), CPU time and wall time. The answers are read once from
 * the API server $KUBECONFIG names, for --objects ConfigMaps (default 10000, ~680 bytes each in JSON) created in
 * the namespace protobuf-decode-bench (kept with --keep-namespace); without KUBECONFIG the bench is skipped (only a
 * real API server writes protobuf).
 * Run: node --import tsx bench/protobuf-decode.bench.ts [--objects=10000] [--rounds=5] [--keep-namespace]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { RestTransport } from '../src/runtime/client/rest-transport.js';
import { decodeProtobufList } from '../src/runtime/client/protobuf/decode-list.js';
import { parallel } from './parallel.js';
import { loadDescriptor } from '../src/runtime/client/protobuf/descriptor.js';

// The decoder reads the descriptor that a protobuf list loads first.
await loadDescriptor();

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const child = arg('child');

/** In a fresh process: decode the file once (cold), then five more times (warm); print one JSON line. */
if (child) {
  const body = readFileSync(arg('file')!);
  const decode = child === 'protobuf' ? () => decodeProtobufList(body, 'v1', 'ConfigMap').items.length : () => (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items.length;
  const measure = () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const items = decode();
    const used = process.cpuUsage(cpu);
    return { items, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
  const cold = measure();
  const warm = [1, 2, 3, 4, 5].map(measure);
  console.log(JSON.stringify({ cold, warm: median(warm.map((w) => w.cpuMs)), warmWall: median(warm.map((w) => w.wallMs)) }));
  process.exit(0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const OBJECTS = Number(arg('objects') ?? 10000);
const ROUNDS = Number(arg('rounds') ?? 5);
const NS = 'protobuf-decode-bench';
const kubeconfigPath = process.env.KUBECONFIG;
if (!kubeconfigPath || !existsSync(kubeconfigPath)) {
  console.log('protobuf-decode: skipped (needs KUBECONFIG naming a real API server: only it writes protobuf)');
  process.exit(0);
}
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const transport = new RestTransport(kubeConfig);
const path = `/api/v1/namespaces/${NS}/configmaps`;
const scratch = mkdtempSync(join(tmpdir(), 'protobuf-decode-'));
try {
  await transport.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } }).catch((err) => {
    if ((err as { status?: number }).status !== 409) throw err;
  });
  await parallel(OBJECTS, 32, (i) =>
    transport.json({ method: 'POST', path, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: NS, labels: { app: 'bench' } }, data: { index: String(i), payload: 'x'.repeat(200) } } }).catch((err) => {
      if ((err as { status?: number }).status !== 409) throw err;
    }),
  );
  const json = await transport.bytes({ method: 'GET', path, query: { resourceVersion: '0' } });
  const protobuf = await transport.bytes({ method: 'GET', path, query: { resourceVersion: '0' }, accept: 'application/vnd.kubernetes.protobuf' });
  writeFileSync(join(scratch, 'json'), json.body);
  writeFileSync(join(scratch, 'protobuf'), protobuf.body);
  const results: Record<string, Array<{ cold: { items: number; wallMs: number; cpuMs: number }; warm: number; warmWall: number }>> = { protobuf: [], json: [] };
  const self = fileURLToPath(import.meta.url);
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['protobuf', 'json']) {
      const out = await new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', self, `--child=${kind}`, `--file=${join(scratch, kind)}`], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        p.stdout.on('data', (c) => (text += c));
        p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${kind} child exited ${code}`))));
      });
      results[kind]!.push(JSON.parse(out.trim().split('\n').pop()!));
    }
  }
  const items = results.protobuf![0]!.cold.items;
  console.log(`${items} ConfigMaps: protobuf ${(protobuf.body.length / 2 ** 20).toFixed(1)} MiB, JSON ${(json.body.length / 2 ** 20).toFixed(1)} MiB; median of ${ROUNDS} fresh processes; load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`${'decoder'.padEnd(36)}${'cold CPU'.padStart(10)}${'cold wall'.padStart(11)}${'warm CPU'.padStart(10)}${'warm wall'.padStart(11)}`);
  for (const [label, kind] of [['protobuf (decodeProtobufList)', 'protobuf'], ['JSON (toString + JSON.parse)', 'json']] as const) {
    const rs = results[kind]!;
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log(`${label.padEnd(36)}${ms(median(rs.map((r) => r.cold.cpuMs))).padStart(10)}${ms(median(rs.map((r) => r.cold.wallMs))).padStart(11)}${ms(median(rs.map((r) => r.warm))).padStart(10)}${ms(median(rs.map((r) => r.warmWall))).padStart(11)}`);
  }
} finally {
  if (!process.argv.includes('--keep-namespace')) await transport.json({ method: 'DELETE', path: `/api/v1/namespaces/${NS}` }).catch(() => undefined);
  transport.close();
  rmSync(scratch, { recursive: true, force: true });
}
