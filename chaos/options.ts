/**
 * Options of a chaos run: defaults and every rule in one place. The command line (chaos/main.ts) and the tests
 * both go through resolveChaosOptions.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateLeaderElectionTiming } from '../src/runtime/index.js';
import { formatDuration } from '../src/runtime/flags/duration.js';
import { ChaosOptionError } from './errors.js';

export const FAULT_KINDS = ['latency', 'blackhole', 'reset', 'kill', 'stop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosOptions {
  /** Replicas with --leader-elect. */
  replicas: number;
  /** One more replica that runs without --leader-elect: every write it makes is split-brain (proves the detector). */
  unelectedReplica: boolean;
  faults: number;
  /** Fault kinds, used in turn. */
  kinds: FaultKind[];
  /** Client → server delay of a latency fault: drawn uniformly from [min, max] ms for each fault. */
  latencyMs: { min: number; max: number };
  /** How long a latency, blackhole or stop fault lasts. */
  faultDurationMs: number;
  /** Quiet time after the cluster has a renewing leader again, before the next fault. */
  settleMs: number;
  /** Time to run without faults, before the first (and the only phase when faults is 0). */
  calmMs: number;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Writer objects, each reconciled concurrently. */
  writers: number;
  /** Time between two writes of one Writer. */
  writeEveryMs: number;
  /** An existing cluster's kubeconfig; undefined: the embedded API server. */
  kubeconfig: string | undefined;
  /** Where the operator is scaffolded and kept between runs. */
  workDir: string;
  /** Seed of the latency draws, so a run can be repeated. */
  seed: number;
}

export const CHAOS_DEFAULTS: Omit<ChaosOptions, 'workDir'> = {
  replicas: 3,
  unelectedReplica: false,
  faults: 10,
  kinds: ['latency'],
  latencyMs: { min: 4000, max: 6000 },
  faultDurationMs: 8000,
  settleMs: 2000,
  calmMs: 2000,
  leaseDurationMs: 4000,
  renewDeadlineMs: 3000,
  retryPeriodMs: 1000,
  writers: 5,
  writeEveryMs: 150,
  kubeconfig: undefined,
  seed: 1,
};

/** The default work directory: one per checkout, so runs from two worktrees never share a project. */
export function defaultWorkDir(): string {
  const repo = resolve(import.meta.dirname, '..');
  return join(tmpdir(), `operator-ts-chaos-${createHash('sha256').update(repo).digest('hex').slice(0, 8)}`);
}

function fail(option: string, value: unknown, rule: string, fix: string): never {
  throw new ChaosOptionError(`--${option} ${JSON.stringify(value)} ${rule}`, fix);
}

function whole(option: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(option, value, `must be a whole number from ${min} to ${max}`, `use e.g. --${option} ${Math.max(min, 1)}`);
}

/** Fills in defaults and checks every rule; throws ChaosOptionError naming the option, the value and a fix. */
export function resolveChaosOptions(given: Partial<ChaosOptions> & { workDir: string }): ChaosOptions {
  const o: ChaosOptions = { ...CHAOS_DEFAULTS, ...given };
  whole('replicas', o.replicas, 1, 9);
  if (o.replicas < 2 && o.faults > 0) fail('replicas', o.replicas, 'leaves no replica to take over after a fault', 'use --replicas 2 or more');
  whole('faults', o.faults, 0, 10_000);
  whole('writers', o.writers, 1, 100);
  whole('seed', o.seed, 0, 2 ** 31);
  if (o.kinds.length === 0) fail('kind', '', 'names no fault kind', `use one or more of ${FAULT_KINDS.join(',')}`);
  for (const k of o.kinds) if (!FAULT_KINDS.includes(k)) fail('kind', k, 'is not a fault kind', `use one or more of ${FAULT_KINDS.join(',')}, comma-separated`);
  if (!(o.latencyMs.min > 0 && o.latencyMs.max >= o.latencyMs.min)) {
    fail('latency', `${formatDuration(o.latencyMs.min)}-${formatDuration(o.latencyMs.max)}`, 'must be a positive range min-max', 'use e.g. --latency 4s-6s');
  }
  for (const [name, ms] of [['fault-duration', o.faultDurationMs], ['write-every', o.writeEveryMs]] as const) {
    if (!(ms > 0)) fail(name, formatDuration(ms), 'must be longer than zero', `use e.g. --${name} ${name === 'write-every' ? '150ms' : '8s'}`);
  }
  for (const [name, ms] of [['settle', o.settleMs], ['calm', o.calmMs]] as const) {
    if (!(ms >= 0)) fail(name, ms, 'must not be negative', `use e.g. --${name} 2s`);
  }
  // The same rules, and the same flag names, as the operator's own flags.
  validateLeaderElectionTiming({ leaseDurationMs: o.leaseDurationMs, renewDeadlineMs: o.renewDeadlineMs, retryPeriodMs: o.retryPeriodMs }, 'flags');
  return o;
}
