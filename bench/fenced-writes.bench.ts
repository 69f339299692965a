// Cost of fencing: the same merge patches through an unfenced client (the baseline) and through a client
// fenced by a leading LeaderElector (deadline timer, abort signal and the check before sending), against the
// embedded API server; plus opening and releasing a fence alone.
// Run: node --import tsx bench/fenced-writes.bench.ts
import { startTestEnv } from '../src/testing/index.js';
import { realClock } from '../src/runtime/clock.js';
import { LeaderElector } from '../src/runtime/leaderelection/elector.js';
import { MemoryLeaseStore } from '../src/runtime/leaderelection/memory-lease-lock.js';
import { ConfigMap } from '../src/runtime/builtin-resources.js';
import type { Client } from '../src/runtime/client/client.js';
import { TestHost } from '../test/runtime/controller/fixtures.js';

const WRITES = 2000;
const BATCH = 20;
const ROUNDS = 3;
const FENCES = 20_000;

async function patches(client: Client, ns: string, round: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < WRITES; i += BATCH) {
    await Promise.all(Array.from({ length: BATCH }, (_, j) => client.patch(ConfigMap, ns, `c-${(i + j) % 100}`, { data: { round: `${round}-${i + j}` } })));
  }
  return (WRITES / (performance.now() - started)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const env = await startTestEnv();
const ns = 'bench-fencing';
env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
const elector = new LeaderElector({ lock: new MemoryLeaseStore().lock('a'), identity: 'a', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, clock: realClock });
await elector.acquire(new AbortController().signal);
const stop = new AbortController();
void elector.hold(stop.signal).catch(() => {});
const unfenced = new TestHost(env.kubeConfig).client;
const fenced = unfenced.withGuard(elector.guard);
for (let i = 0; i < 100; i++) await unfenced.create(ConfigMap, { metadata: { name: `c-${i}`, namespace: ns }, data: {} });
await patches(unfenced, ns, -1); // warm-up

const base: number[] = [];
const withFence: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  base.push(await patches(unfenced, ns, r));
  withFence.push(await patches(fenced, ns, r));
}

const t = performance.now();
for (let i = 0; i < FENCES; i++) elector.guard.fence().release();
const fenceUs = ((performance.now() - t) * 1000) / FENCES;

console.log(`merge patches/s, ${WRITES} per round in batches of ${BATCH}, median of ${ROUNDS}:`);
console.log(`  unfenced (baseline) ${median(base).toFixed(0).padStart(7)}   fenced ${median(withFence).toFixed(0).padStart(7)}   (${((median(withFence) / median(base) - 1) * 100).toFixed(1)}%)`);
console.log(`open + release one fence: ${fenceUs.toFixed(2)} µs`);
stop.abort();
await env.stop();
