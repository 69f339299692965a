/**
 * `npm run chaos -- [options]`: runs the chaos test for leader election and fencing and prints its report.
 * Exit code 0 when the run completed (whatever it counted), 1 when it could not run or, with
 * --fail-on-split-brain, when it counted a split-brain write.
 */
import { Command, Option } from 'commander';
import { OperatorTsError } from '../src/errors.js';
import { parseDuration } from '../src/runtime/flags/duration.js';
import { ChaosOptionError } from './errors.js';
import { CHAOS_DEFAULTS, defaultWorkDir, resolveChaosOptions, type ChaosOptions, type FaultKind } from './options.js';
import { formatReport } from './report.js';
import { runChaos } from './run.js';

const wholeArg = (flag: string) => (v: string) => {
  if (!/^\d+$/.test(v.trim())) throw new ChaosOptionError(`${flag} '${v}' is not a whole number`, `use e.g. ${flag} 10`);
  return Number(v);
};
const positiveIntArg = (flag: string) => (v: string) => {
  const n = wholeArg(flag)(v);
  if (n < 1) throw new ChaosOptionError(`${flag} '${v}' must be at least 1`, `use e.g. ${flag} 3`);
  return n;
};
const nonNegativeDuration = (flag: string) => (v: string) => {
  const ms = parseDuration(v);
  if (ms === undefined) throw new ChaosOptionError(`${flag} '${v}' is not a duration (Go-style: 2s, 500ms)`, `use e.g. ${flag} 2s`);
  return ms;
};
const durationArg = (flag: string) => (v: string) => {
  const ms = nonNegativeDuration(flag)(v);
  if (ms <= 0) throw new ChaosOptionError(`${flag} '${v}' must be longer than zero`, `use e.g. ${flag} 4s`);
  return ms;
};
const rangeArg = (v: string) => {
  const [a, b = a] = v.split('-');
  const min = parseDuration(a ?? '');
  const max = parseDuration(b ?? '');
  if (min === undefined || max === undefined) throw new ChaosOptionError(`--latency '${v}' is not a duration or a range of two (4s-6s)`, 'use e.g. --latency 4s-6s or --latency 5s');
  return { min, max };
};

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run chaos --')
    .description('Chaos test for leader election and fencing: replicas of a built operator behind fault proxies; counts writes the server accepted while another replica held the Lease.')
    .allowExcessArguments(false)
    .addOption(new Option('--faults <n>', 'faults to inject, one after another').argParser(wholeArg('--faults')).default(CHAOS_DEFAULTS.faults))
    .addOption(new Option('--kind <kinds>', 'fault kinds, used in turn: latency,blackhole,reset,kill,stop').default(CHAOS_DEFAULTS.kinds.join(',')))
    .addOption(new Option('--replicas <n>', 'replicas with --leader-elect').argParser(positiveIntArg('--replicas')).default(CHAOS_DEFAULTS.replicas))
    .addOption(new Option('--unelected-replica', 'add a replica without --leader-elect (proves the detector: its writes are split-brain)'))
    .addOption(new Option('--latency <range>', 'client → server delay of a latency fault, drawn per fault').argParser(rangeArg).default(CHAOS_DEFAULTS.latencyMs, '4s-6s'))
    .addOption(new Option('--fault-duration <duration>', 'how long a latency, blackhole or stop fault lasts').argParser(durationArg('--fault-duration')).default(CHAOS_DEFAULTS.faultDurationMs, '8s'))
    .addOption(new Option('--settle <duration>', 'quiet time once a leader renews again, before the next fault').argParser(nonNegativeDuration('--settle')).default(CHAOS_DEFAULTS.settleMs, '2s'))
    .addOption(new Option('--calm <duration>', 'time without faults before the first').argParser(nonNegativeDuration('--calm')).default(CHAOS_DEFAULTS.calmMs, '2s'))
    .addOption(new Option('--leader-election-lease-duration <duration>', 'passed to every replica').argParser(durationArg('--leader-election-lease-duration')).default(CHAOS_DEFAULTS.leaseDurationMs, '4s'))
    .addOption(new Option('--leader-election-renew-deadline <duration>', 'passed to every replica').argParser(durationArg('--leader-election-renew-deadline')).default(CHAOS_DEFAULTS.renewDeadlineMs, '3s'))
    .addOption(new Option('--leader-election-retry-period <duration>', 'passed to every replica').argParser(durationArg('--leader-election-retry-period')).default(CHAOS_DEFAULTS.retryPeriodMs, '1s'))
    .addOption(new Option('--writers <n>', 'Writer objects, reconciled concurrently').argParser(positiveIntArg('--writers')).default(CHAOS_DEFAULTS.writers))
    .addOption(new Option('--write-every <duration>', 'time between two writes of one Writer').argParser(durationArg('--write-every')).default(CHAOS_DEFAULTS.writeEveryMs, '150ms'))
    .addOption(new Option('--seed <n>', 'seed of the latency draws').argParser(wholeArg('--seed')).default(CHAOS_DEFAULTS.seed))
    .addOption(new Option('--kubeconfig <path>', 'run against this existing cluster instead of the embedded API server'))
    .addOption(new Option('--work-dir <dir>', 'where the chaos operator is scaffolded and kept between runs').default(defaultWorkDir(), 'a directory under the system temp directory, one per checkout'))
    .addOption(new Option('--fail-on-split-brain', 'exit 1 when any split-brain write was counted'));
  program.parse();
  const v = program.opts<{
    faults: number; kind: string; replicas: number; unelectedReplica?: boolean; latency: { min: number; max: number }; faultDuration: number;
    settle: number; calm: number; leaderElectionLeaseDuration: number; leaderElectionRenewDeadline: number; leaderElectionRetryPeriod: number;
    writers: number; writeEvery: number; seed: number; kubeconfig?: string; workDir: string; failOnSplitBrain?: boolean;
  }>();
  const options: ChaosOptions = resolveChaosOptions({
    faults: v.faults, kinds: v.kind.split(',').map((k) => k.trim()) as FaultKind[], replicas: v.replicas, unelectedReplica: v.unelectedReplica === true,
    latencyMs: v.latency, faultDurationMs: v.faultDuration, settleMs: v.settle, calmMs: v.calm,
    leaseDurationMs: v.leaderElectionLeaseDuration, renewDeadlineMs: v.leaderElectionRenewDeadline, retryPeriodMs: v.leaderElectionRetryPeriod,
    writers: v.writers, writeEveryMs: v.writeEvery, seed: v.seed, kubeconfig: v.kubeconfig, workDir: v.workDir,
  });
  const report = await runChaos(options, (line) => process.stderr.write(`chaos: ${line}\n`));
  process.stdout.write(`${formatReport(report)}\n`);
  if (v.failOnSplitBrain && report.splitBrain.length > 0) process.exitCode = 1;
}

// Ctrl-C or a kill ends the run; exiting runs the replicas' exit hook, which kills them.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((err: unknown) => {
  if (err instanceof OperatorTsError) process.stderr.write(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
  else process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
