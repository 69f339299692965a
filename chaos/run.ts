/**
 * A chaos run: the chaos operator's replicas behind their fault proxies, a calm phase, then faults on whichever
 * replica leads, one after another; the recorded history goes to the detector.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { formatDuration } from '../src/runtime/flags/duration.js';
import { startApiTarget, kubeconfigFor } from './api-target.js';
import { findHandOvers, findSplitBrainWrites, type LeaseRecord, type SplitBrainWrite } from './detector.js';
import { ChaosRunError } from './errors.js';
import { applyFault, type FaultPlan } from './faults.js';
import { FaultProxy } from './fault-proxy.js';
import { HistoryRecorder } from './history-recorder.js';
import { prepareOperator } from './operator-project.js';
import type { ChaosOptions, FaultKind } from './options.js';
import { ReplicaProcess } from './replicas.js';

export interface FaultResult extends FaultPlan {
  index: number;
  /** The replica that led when the fault began, and so got it. */
  replica: string;
  startedAt: number;
  /** From the fault's start to the harness seeing another identity hold the Lease; undefined: the leader kept it. */
  handOverMs: number | undefined;
  /** The replica that held the Lease after the hand-over. */
  newLeader: string | undefined;
  /** Split-brain writes the harness saw from this fault's start to the next fault's. */
  splitBrain: number;
}

export interface ChaosReport {
  options: ChaosOptions;
  target: string;
  namespace: string;
  leaseName: string;
  operatorDir: string;
  operatorReused: boolean;
  /** Writes the server accepted (Writer status patches and ConfigMap applies), all phases. */
  writes: number;
  splitBrain: SplitBrainWrite[];
  /** Split-brain writes before the first fault. */
  calmSplitBrain: number;
  faults: FaultResult[];
  /** Lease hand-overs over the whole run (faults and restarts). */
  handOvers: number;
  /** Times the recorder lost history (410 Gone); a run with gaps may undercount. */
  gaps: number;
  /** Replica starts beyond the first of each (after a kill, or an exit on lost leadership). */
  restarts: number;
  /** Identity → replica name, for reading the split-brain list. */
  replicaOf: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded generator, so a run's latency draws can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function until<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new ChaosRunError(`timed out after ${formatDuration(timeoutMs)} waiting for ${what}`, 'See the replica output above; check that the API server is reachable.');
    await sleep(50);
  }
}

export async function runChaos(o: ChaosOptions, log: (line: string) => void = () => undefined): Promise<ChaosReport> {
  await mkdir(o.workDir, { recursive: true });
  log(`preparing the chaos operator under ${o.workDir} ...`);
  const project = await prepareOperator(o.workDir);
  log(project.reused ? 'reusing the built chaos operator' : 'scaffolded and built the chaos operator');
  const target = await startApiTarget(project.crdDir, o.kubeconfig);
  const kubeconfigDir = await mkdtemp(join(o.workDir, 'kubeconfigs-'));
  const proxies: FaultProxy[] = [];
  const replicas: ReplicaProcess[] = [];
  const replicaOf: Record<string, string> = {};
  const recorder = new HistoryRecorder(target.kubeConfig, target.namespace, project.leaderElectionId);
  try {
    const custom = target.kubeConfig.makeApiClient(CustomObjectsApi);
    for (let i = 0; i < o.writers; i++) {
      await custom.createNamespacedCustomObject({
        group: 'chaos.example.com', version: 'v1', namespace: target.namespace, plural: 'writers',
        body: { apiVersion: 'chaos.example.com/v1', kind: 'Writer', metadata: { name: `writer-${i}` }, spec: {} },
      });
    }
    await recorder.start();
    const names = [...Array.from({ length: o.replicas }, (_, i) => `r${i}`), ...(o.unelectedReplica ? ['unelected'] : [])];
    for (const name of names) {
      const proxy = new FaultProxy({ host: target.host, port: target.port });
      const kubeconfigPath = kubeconfigFor(kubeconfigDir, name);
      await target.writeProxiedKubeconfig(kubeconfigPath, await proxy.listen());
      const replica = new ReplicaProcess({
        name,
        kubeconfigPath,
        env: { CHAOS_WRITE_EVERY_MS: String(o.writeEveryMs) },
        args: [
          `--leader-elect=${name !== 'unelected'}`,
          `--leader-election-id=${project.leaderElectionId}`,
          `--leader-election-namespace=${target.namespace}`,
          `--leader-election-lease-duration=${formatDuration(o.leaseDurationMs)}`,
          `--leader-election-renew-deadline=${formatDuration(o.renewDeadlineMs)}`,
          `--leader-election-retry-period=${formatDuration(o.retryPeriodMs)}`,
          '--health-probe-bind-address=0',
          '--metrics-bind-address=0',
          `--max-concurrent-reconciles=${o.writers}`,
          '--log-format=json',
        ],
      }, project.dir, (identity, replica) => (replicaOf[identity] = replica));
      proxies.push(proxy);
      replicas.push(replica);
      replica.start();
    }
    const elected = replicas.filter((r) => r.name !== 'unelected');

    const latestLease = (): LeaseRecord | undefined => recorder.records.findLast((r): r is LeaseRecord => r.kind === 'lease');
    /** The replica whose current identity holds the Lease, renewed at or after `since`. */
    const leaderSince = (since: number) => {
      const l = latestLease();
      if (!l || l.holder === '' || l.seenAt < since) return undefined;
      const r = elected.find((x) => x.identities.at(-1) === l.holder);
      return r ? { replica: r, identity: l.holder } : undefined;
    };
    const describeReplicas = () => replicas.map((r) => `--- ${r.name} ---\n${r.tail.join('\n')}`).join('\n');
    const firstLeader = await until('a first leader', 60_000, () => leaderSince(0)).catch((err: unknown) => {
      throw new ChaosRunError(`${(err as Error).message}\n${describeReplicas()}`, 'The replicas above never took the Lease; their output says why.');
    });
    // The calm phase starts once every replica that writes at all is writing, so a slow start cannot shorten it.
    if (o.unelectedReplica) {
      await until('the unelected replica writing', 60_000, () => recorder.records.some((r) => r.kind === 'write' && r.replica === 'unelected')).catch((err: unknown) => {
        throw new ChaosRunError(`${(err as Error).message}\n${describeReplicas()}`, 'The replica without --leader-elect never wrote; its output above says why.');
      });
    }
    log(`leader: ${firstLeader.replica.name}; calm phase ${formatDuration(o.calmMs)}`);
    await sleep(o.calmMs);

    const draw = random(o.seed);
    const faults: FaultResult[] = [];
    let healedAt = Date.now();
    for (let index = 0; index < o.faults; index++) {
      const leader = await until('a renewing leader', o.faultDurationMs + 10 * o.leaseDurationMs + 30_000, () => leaderSince(healedAt + o.retryPeriodMs));
      await sleep(o.settleMs);
      const current = leaderSince(0) ?? leader;
      const kind: FaultKind = o.kinds[index % o.kinds.length]!;
      const instant = kind === 'reset' || kind === 'kill';
      const plan: FaultPlan = {
        kind,
        durationMs: instant ? 0 : o.faultDurationMs,
        ...(kind === 'latency' ? { latencyMs: Math.round(o.latencyMs.min + draw() * (o.latencyMs.max - o.latencyMs.min)) } : {}),
      };
      const proxy = proxies[replicas.indexOf(current.replica)]!;
      const startedAt = Date.now();
      await applyFault(plan, current.replica, proxy);
      healedAt = Date.now();
      // A hand-over can come during the fault or after it (a lease runs out lease duration after its last renew).
      const handOver = await (async () => {
        const deadline = healedAt + o.leaseDurationMs + o.renewDeadlineMs + 2000;
        for (;;) {
          const l = recorder.records.find((r): r is LeaseRecord => r.kind === 'lease' && r.seenAt >= startedAt && r.holder !== '' && r.holder !== current.identity);
          if (l) return l;
          if (Date.now() > deadline) return undefined;
          await sleep(50);
        }
      })();
      const result: FaultResult = {
        index, ...plan, replica: current.replica.name, startedAt,
        handOverMs: handOver ? handOver.seenAt - startedAt : undefined,
        newLeader: handOver ? (replicaOf[handOver.holder] ?? handOver.holder) : undefined,
        splitBrain: 0,
      };
      faults.push(result);
      log(`fault ${index + 1}/${o.faults}: ${kind}${plan.latencyMs ? ` ${formatDuration(plan.latencyMs)}` : ''} on ${result.replica} → ${handOver ? `${result.newLeader} leads after ${result.handOverMs} ms` : 'no hand-over'}`);
    }
    await sleep(o.faults > 0 ? Math.max(o.latencyMs.max, o.settleMs) : 0); // late bytes still land after the last fault
    await Promise.all(replicas.map((r) => r.stop()));
    await sleep(500); // the recorder's watches catch up
    recorder.stop();

    const splitBrain = findSplitBrainWrites(recorder.records);
    const faultOf = (seenAt: number) => faults.findLastIndex((f) => f.startedAt <= seenAt);
    for (const s of splitBrain) {
      const i = faultOf(s.write.seenAt);
      if (i >= 0) faults[i]!.splitBrain++;
    }
    return {
      options: o,
      target: target.description,
      namespace: target.namespace,
      leaseName: project.leaderElectionId,
      operatorDir: project.dir,
      operatorReused: project.reused,
      writes: recorder.records.filter((r) => r.kind === 'write').length,
      splitBrain,
      calmSplitBrain: splitBrain.filter((s) => faultOf(s.write.seenAt) < 0).length,
      faults,
      handOvers: findHandOvers(recorder.records).length,
      gaps: recorder.gaps,
      restarts: replicas.reduce((n, r) => n + r.starts - 1, 0),
      replicaOf,
    };
  } finally {
    recorder.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await Promise.all(proxies.map((p) => p.close()));
    await target.stop();
    await rm(kubeconfigDir, { recursive: true, force: true });
  }
}
