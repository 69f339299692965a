import { LEADER_ELECTION_DEFAULTS, JITTER_FACTOR, type LeaderElectionOptions } from '../leaderelection/options.js';
import { isDns1123Label, isDns1123Subdomain } from '../../kubernetes-names.js';
import { LOG_LEVELS } from '../logging/logger.js';
import type { ManagerOptions } from '../manager/options.js';
import { BindAddressError, parseBindAddress } from '../http/bind-address.js';
import type { LogLevel } from '../types.js';
import { formatDuration, parseDuration } from './duration.js';
import { FlagError } from './flag-error.js';

export interface ManagerFlags {
  managerOptions: ManagerOptions;
  logLevel: LogLevel;
  logFormat: 'json' | 'text';
  /** Set when --help was given: the usage text to print (then exit 0). */
  help?: string;
}

export interface ParseManagerFlagsInput {
  argv: readonly string[];
  env?: Record<string, string | undefined>;
  defaults: { leaderElectionId: string };
}

type Kind = 'bool' | 'string' | 'duration' | 'int' | 'address' | 'enum';

interface FlagSpec {
  name: string;
  kind: Kind;
  default: string | undefined;
  usage: string;
  choices?: readonly string[];
}

function specs(defaults: ParseManagerFlagsInput['defaults']): FlagSpec[] {
  const d = LEADER_ELECTION_DEFAULTS;
  return [
    { name: 'leader-elect', kind: 'bool', default: 'false', usage: 'elect a leader on a Lease so only one replica runs the controllers' },
    { name: 'leader-election-id', kind: 'string', default: defaults.leaderElectionId, usage: 'name of the Lease the replicas elect on' },
    { name: 'leader-election-namespace', kind: 'string', default: undefined, usage: "namespace of the Lease (default: the pod's namespace in a cluster, else the kubeconfig context's, else 'default')" },
    { name: 'leader-election-lease-duration', kind: 'duration', default: formatDuration(d.leaseDurationMs), usage: 'how long standbys wait after the last observed renewal before taking over' },
    { name: 'leader-election-renew-deadline', kind: 'duration', default: formatDuration(d.renewDeadlineMs), usage: 'how long the leader keeps trying to renew before it gives up leading' },
    { name: 'leader-election-retry-period', kind: 'duration', default: formatDuration(d.retryPeriodMs), usage: 'time between renewals and between acquire attempts' },
    { name: 'leader-election-release-on-cancel', kind: 'bool', default: String(d.releaseOnCancel), usage: 'release the Lease on shutdown (after the controllers stopped) so a standby takes over at once' },
    { name: 'health-probe-bind-address', kind: 'address', default: ':8081', usage: "address of /healthz and /readyz ('0' turns them off)" },
    { name: 'metrics-bind-address', kind: 'address', default: '0', usage: "address of the Prometheus /metrics endpoint, e.g. ':8080' ('0' turns it off)" },
    { name: 'log-level', kind: 'enum', default: 'info', usage: 'least severe level logged', choices: LOG_LEVELS },
    { name: 'log-format', kind: 'enum', default: 'json', usage: "'json' lines, or 'text' for people", choices: ['json', 'text'] },
    { name: 'max-concurrent-reconciles', kind: 'int', default: '1', usage: 'reconciles each controller runs at once' },
    { name: 'graceful-shutdown-timeout', kind: 'duration', default: '30s', usage: 'how long shutdown may take before the manager gives up waiting' },
  ];
}

export function envName(flag: string): string {
  return flag.toUpperCase().replace(/-/g, '_');
}

interface RawValue {
  value: string;
  /** How the user wrote it, for messages: '--flag=value' or 'ENV=value (environment)'. */
  shown: string;
  flag: string;
}

function usageText(all: FlagSpec[]): string {
  const lines = ['Usage: main [flags]', '', 'Flags (each also read from the environment variable shown; flags win):'];
  for (const s of all) {
    const value = s.kind === 'bool' ? '' : s.kind === 'duration' ? '=<duration>' : s.kind === 'enum' ? `=<${s.choices!.join('|')}>` : '=<value>';
    lines.push(`  --${s.name}${value}`, `      ${s.usage}${s.default !== undefined ? ` (default ${s.default || "''"})` : ''} [${envName(s.name)}]`);
  }
  lines.push('  --help', '      print this help and exit', '', "Durations are Go-style: '15s', '1m30s', '500ms'.");
  return lines.join('\n') + '\n';
}

function closest(name: string, all: FlagSpec[]): string | undefined {
  const candidates = all.map((s) => s.name).filter((n) => n.includes(name) || name.includes(n) || editDistance(n, name) <= 3);
  return candidates[0];
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length]![b.length]!;
}

/** Reads the manager flags of a generated main.ts from argv and the environment (flags win). */
export function parseManagerFlags(input: ParseManagerFlagsInput): ManagerFlags {
  const all = specs(input.defaults);
  const byName = new Map(all.map((s) => [s.name, s]));
  const given = new Map<string, RawValue>();
  const env = input.env ?? {};
  for (const s of all) {
    const v = env[envName(s.name)];
    if (v !== undefined && v !== '') given.set(s.name, { value: v, shown: `${envName(s.name)}=${v} (environment)`, flag: s.name });
  }
  const argv = input.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { ...defaultsOnly(all, input), help: usageText(all) };
    const m = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      throw new FlagError(arg, `unexpected argument '${arg}': the manager takes only --flags`, 'run with --help to list the flags');
    }
    const name = m[1]!;
    const spec = byName.get(name);
    if (!spec) {
      const near = closest(name, all);
      throw new FlagError(`--${name}`, `unknown flag --${name}`, near ? `did you mean --${near}? Run with --help to list the flags` : 'run with --help to list the flags');
    }
    let value = m[2];
    if (value === undefined) {
      if (spec.kind === 'bool') value = 'true';
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i]!;
      else throw new FlagError(`--${name}`, `flag --${name} needs a value`, `write e.g. --${name}=${spec.default ?? 'VALUE'}`);
    }
    given.set(name, { value, shown: `--${name}=${value}`, flag: name });
  }
  return interpret(all, given, input);
}

function defaultsOnly(all: FlagSpec[], input: ParseManagerFlagsInput): ManagerFlags {
  return interpret(all, new Map(), input);
}

function interpret(all: FlagSpec[], given: Map<string, RawValue>, input: ParseManagerFlagsInput): ManagerFlags {
  const raw = (name: string): RawValue => {
    const g = given.get(name);
    if (g) return g;
    const spec = all.find((s) => s.name === name)!;
    return { value: spec.default ?? '', shown: `--${name}=${spec.default ?? ''} (default)`, flag: name };
  };
  const bool = (name: string): boolean => {
    const r = raw(name);
    const v = r.value.toLowerCase();
    if (['true', '1', 't', 'yes'].includes(v)) return true;
    if (['false', '0', 'f', 'no'].includes(v)) return false;
    throw new FlagError(`--${name}`, `${r.shown} is not a boolean`, `use --${name}=true or --${name}=false`);
  };
  const duration = (name: string): number => {
    const r = raw(name);
    const ms = parseDuration(r.value);
    if (ms === undefined) throw new FlagError(`--${name}`, `${r.shown} is not a duration`, `write it Go-style, e.g. --${name}=${all.find((s) => s.name === name)!.default}, 1m30s or 500ms`);
    if (ms <= 0) throw new FlagError(`--${name}`, `${r.shown} must be longer than zero`, `use e.g. --${name}=${all.find((s) => s.name === name)!.default}`);
    return ms;
  };
  const address = (name: string, option: string): string => {
    const r = raw(name);
    try {
      parseBindAddress(option, r.value);
    } catch (err) {
      if (err instanceof BindAddressError) throw new FlagError(`--${name}`, `${r.shown} is not a bind address ('host:port', ':port' or '0' for off)`, `use e.g. --${name}=:8081 or --${name}=127.0.0.1:8081`);
      throw err;
    }
    return r.value;
  };
  const choice = <T extends string>(name: string): T => {
    const r = raw(name);
    const choices = all.find((s) => s.name === name)!.choices!;
    if (!choices.includes(r.value)) throw new FlagError(`--${name}`, `${r.shown} is not one of ${choices.join(', ')}`, `use e.g. --${name}=${choices[0]}`);
    return r.value as T;
  };

  const enabled = bool('leader-elect');
  const id = raw('leader-election-id');
  if (!isDns1123Subdomain(id.value)) {
    throw new FlagError('--leader-election-id', `${id.shown} is not a valid Lease name (lowercase letters, digits, '-' and '.')`, "use e.g. --leader-election-id=86f835c3.example.com");
  }
  const ns = given.get('leader-election-namespace');
  if (ns && !isDns1123Label(ns.value)) {
    throw new FlagError('--leader-election-namespace', `${ns.shown} is not a valid namespace name (DNS-1123 label)`, 'use e.g. --leader-election-namespace=my-operator-system');
  }
  const lease = duration('leader-election-lease-duration');
  const renew = duration('leader-election-renew-deadline');
  const retry = duration('leader-election-retry-period');
  const leaseRaw = raw('leader-election-lease-duration');
  const renewRaw = raw('leader-election-renew-deadline');
  const retryRaw = raw('leader-election-retry-period');
  if (lease % 1000 !== 0) {
    throw new FlagError('--leader-election-lease-duration', `${leaseRaw.shown} is not a whole number of seconds (the Lease stores seconds)`, `use e.g. --leader-election-lease-duration=${formatDuration(Math.max(1000, Math.ceil(lease / 1000) * 1000))}`);
  }
  if (lease <= renew) {
    throw new FlagError('--leader-election-lease-duration', `${leaseRaw.shown} must be longer than --leader-election-renew-deadline (${formatDuration(renew)})`, `use e.g. --leader-election-lease-duration=${formatDuration(Math.ceil((renew * 1.5) / 1000) * 1000)}`);
  }
  if (renew <= JITTER_FACTOR * retry) {
    throw new FlagError('--leader-election-renew-deadline', `${renewRaw.shown} must be longer than ${JITTER_FACTOR} × --leader-election-retry-period (${retryRaw.value} → ${formatDuration(JITTER_FACTOR * retry)})`, `use a shorter retry period, e.g. --leader-election-retry-period=${formatDuration(Math.max(1, Math.floor(renew / 5)))}`);
  }
  const maxRaw = raw('max-concurrent-reconciles');
  const max = Number(maxRaw.value);
  if (!/^\d+$/.test(maxRaw.value.trim()) || !Number.isInteger(max) || max < 1) {
    throw new FlagError('--max-concurrent-reconciles', `${maxRaw.shown} is not a whole number of at least 1`, 'use e.g. --max-concurrent-reconciles=1');
  }
  const leaderElection: LeaderElectionOptions = {
    enabled,
    id: id.value,
    ...(ns ? { namespace: ns.value } : {}),
    leaseDurationMs: lease,
    renewDeadlineMs: renew,
    retryPeriodMs: retry,
    releaseOnCancel: bool('leader-election-release-on-cancel'),
  };
  return {
    managerOptions: {
      leaderElection,
      healthProbeBindAddress: address('health-probe-bind-address', 'healthProbeBindAddress'),
      metricsBindAddress: address('metrics-bind-address', 'metricsBindAddress'),
      maxConcurrentReconciles: max,
      gracefulShutdownTimeoutMs: duration('graceful-shutdown-timeout'),
    },
    logLevel: choice<LogLevel>('log-level'),
    logFormat: choice<'json' | 'text'>('log-format'),
  };
}
