// The client-side rate limit (manager option `client: { qps, burst }`, flags --kube-api-qps/--kube-api-burst)
// against the embedded API server, all in one run:
//  1. its cost: uncached GETs through manager.apiReader with no limiter (the baseline) and with a limiter that
//     never has to wait (qps 1e6), median of rounds;
//  2. how it shapes a burst: requests/s with no limit, 1000 qps/burst 100 and 20 qps/burst 30, next to what a
//     token bucket allows ((n − burst) / qps seconds for n requests);
//  3. that a saturated client does not delay Lease renewals: a leading manager (the default timings: lease 15s,
//     renew 10s, retry 2s) with 20 qps/burst 30 and a backlog of writes; the gaps between the Lease's renewTimes are printed, and
//     how many fenced writes gave up unsent because their fence closed while they waited for a token.
// Run: node --import tsx bench/client-rate-limit.bench.ts
import { startTestEnv } from '../src/testing/index.js';
import { Manager } from '../src/runtime/manager/manager.js';
import type { ManagerOptions } from '../src/runtime/manager/options.js';
import { ConfigMap } from '../src/runtime/builtin-resources.js';
import { RestTransport } from '../src/runtime/client/rest-transport.js';
import { silentLogger } from '../src/runtime/logging/silent-logger.js';
import { LeaseNotHeldError } from '../src/runtime/leaderelection/errors.js';

const COST_REQUESTS = 2000;
const COST_ROUNDS = 5;
const IN_FLIGHT = 16;

const env = await startTestEnv();
const ns = 'bench-rate-limit';
env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target', namespace: ns }, data: { a: '1' } });

const manager = (client: ManagerOptions['client'], extra: ManagerOptions = {}) =>
  new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, defaultMetrics: false, healthProbeBindAddress: '0', client, ...extra });

/** Sends `n` GETs, `IN_FLIGHT` at a time; returns requests per second. */
async function gets(m: Manager, n: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) {
        next++;
        await m.apiReader.get(ConfigMap, ns, 'target');
      }
    }),
  );
  return (n / (performance.now() - started)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. Cost.
const unlimited = manager(undefined);
const neverWaits = manager({ qps: 1e6, burst: 1_000_000 });
await gets(unlimited, 500); // warm-up
await gets(neverWaits, 500);
const base: number[] = [];
const limited: number[] = [];
for (let r = 0; r < COST_ROUNDS; r++) {
  // Alternate which goes first, so a machine that speeds up or slows down favours neither.
  if (r % 2 === 0) {
    base.push(await gets(unlimited, COST_REQUESTS));
    limited.push(await gets(neverWaits, COST_REQUESTS));
  } else {
    limited.push(await gets(neverWaits, COST_REQUESTS));
    base.push(await gets(unlimited, COST_REQUESTS));
  }
}
console.log(`uncached GETs/s, ${COST_REQUESTS} per round, ${IN_FLIGHT} in flight, median of ${COST_ROUNDS}:`);
console.log(`  no limiter (baseline) ${median(base).toFixed(0).padStart(7)}   limiter that never waits ${median(limited).toFixed(0).padStart(7)}   (${((median(limited) / median(base) - 1) * 100).toFixed(1)}%)`);

// 2. Shaping a burst.
console.log(`a burst of GETs, ${IN_FLIGHT} in flight (expected: what the token bucket allows; the bucket starts full):`);
for (const [label, client, n] of [
  ['no limit', undefined, 2000],
  ['qps 1000, burst 100', { qps: 1000, burst: 100 }, 2000],
  ['qps 20, burst 30 (generated default)', { qps: 20, burst: 30 }, 130],
] as const) {
  const m = manager(client);
  const started = performance.now();
  const rate = await gets(m, n);
  const seconds = (performance.now() - started) / 1000;
  const expected = client ? `expected ≥ ${((n - client.burst) / client.qps).toFixed(2)} s, ≤ ${(n / ((n - client.burst) / client.qps)).toFixed(0)} req/s` : 'expected: as fast as the server answers';
  console.log(`  ${label.padEnd(38)} ${String(n).padStart(5)} requests in ${seconds.toFixed(2).padStart(6)} s = ${rate.toFixed(0).padStart(6)} req/s   (${expected})`);
}

// 3. Lease renewals while the client is saturated.
const leader = manager({ qps: 20, burst: 30 }, {
  leaderElection: { enabled: true, id: 'bench-rate-limit', namespace: ns },
});
const stop = new AbortController();
const run = leader.start(stop.signal);
await leader.elected();
const reader = new RestTransport(env.kubeConfig);
const renewTimes: number[] = [];
let flooding = true;
const poll = (async () => {
  while (flooding) {
    const lease = await reader.json<{ spec?: { renewTime?: string } }>({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/bench-rate-limit` });
    const t = Date.parse(lease.spec?.renewTime ?? '');
    if (Number.isFinite(t) && t !== renewTimes.at(-1)) renewTimes.push(t);
    await new Promise((r) => setTimeout(r, 100));
  }
})();
const WRITES = 200;
const floodStart = performance.now();
let waitedMax = 0;
let created = 0;
let fencedOut = 0;
await Promise.all(
  Array.from({ length: WRITES }, async (_, i) => {
    const t = performance.now();
    try {
      await leader.client.create(ConfigMap, { metadata: { name: `flood-${i}`, namespace: ns }, data: {} });
      created++;
      waitedMax = Math.max(waitedMax, performance.now() - t);
    } catch (err) {
      if (!(err instanceof LeaseNotHeldError) || !/it was not sent/.test(err.message)) throw err;
      fencedOut++;
    }
  }),
);
const floodSeconds = (performance.now() - floodStart) / 1000;
flooding = false;
await poll;
const gaps = renewTimes.slice(1).map((t, i) => t - renewTimes[i]!);
console.log(`lease renewals while ${WRITES} fenced creates queue behind qps 20/burst 30 (retry period 2 s, renew deadline 10 s):`);
console.log(`  ${created} created, ${fencedOut} gave up unsent (fence closed while waiting for a token) in ${floodSeconds.toFixed(2)} s; slowest create took ${(waitedMax / 1000).toFixed(2)} s; still leading: ${leader.isLeader()}`);
console.log(`  ${renewTimes.length} renewals seen; gaps between renewTimes: max ${Math.max(...gaps)} ms, median ${median(gaps)} ms`);
stop.abort();
await run.catch(() => {});
reader.close();
await env.stop();
