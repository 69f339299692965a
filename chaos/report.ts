/** The chaos report as text: settings, one line per fault, totals per fault kind, and the command to run it again. */
import { formatDuration } from '../src/runtime/flags/duration.js';
import { CHAOS_DEFAULTS, type ChaosOptions } from './options.js';
import type { ChaosReport, FaultResult } from './run.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The npm command that repeats a run with these options (defaults left out). */
export function rerunCommand(o: ChaosOptions): string {
  const d = CHAOS_DEFAULTS;
  const args: string[] = [];
  const add = (cond: boolean, arg: string) => cond && args.push(arg);
  add(o.faults !== d.faults, `--faults ${o.faults}`);
  add(o.kinds.join(',') !== d.kinds.join(','), `--kind ${o.kinds.join(',')}`);
  add(o.replicas !== d.replicas, `--replicas ${o.replicas}`);
  add(o.unelectedReplica, '--unelected-replica');
  add(o.latencyMs.min !== d.latencyMs.min || o.latencyMs.max !== d.latencyMs.max, `--latency ${formatDuration(o.latencyMs.min)}-${formatDuration(o.latencyMs.max)}`);
  add(o.faultDurationMs !== d.faultDurationMs, `--fault-duration ${formatDuration(o.faultDurationMs)}`);
  add(o.settleMs !== d.settleMs, `--settle ${formatDuration(o.settleMs)}`);
  add(o.calmMs !== d.calmMs, `--calm ${formatDuration(o.calmMs)}`);
  add(o.leaseDurationMs !== d.leaseDurationMs, `--leader-election-lease-duration ${formatDuration(o.leaseDurationMs)}`);
  add(o.renewDeadlineMs !== d.renewDeadlineMs, `--leader-election-renew-deadline ${formatDuration(o.renewDeadlineMs)}`);
  add(o.retryPeriodMs !== d.retryPeriodMs, `--leader-election-retry-period ${formatDuration(o.retryPeriodMs)}`);
  add(o.writers !== d.writers, `--writers ${o.writers}`);
  add(o.writeEveryMs !== d.writeEveryMs, `--write-every ${formatDuration(o.writeEveryMs)}`);
  add(o.seed !== d.seed, `--seed ${o.seed}`);
  add(o.kubeconfig !== undefined, `--kubeconfig ${o.kubeconfig}`);
  return `npm run build && npm run chaos -- ${args.join(' ')}`.trimEnd();
}

function faultLine(f: FaultResult): string {
  const cols = [
    String(f.index + 1).padStart(3),
    f.kind.padEnd(9),
    f.replica.padEnd(9),
    (f.durationMs ? formatDuration(f.durationMs) : '-').padEnd(8),
    (f.latencyMs ? formatDuration(f.latencyMs) : '-').padEnd(8),
    (f.handOverMs === undefined ? 'kept' : `${f.handOverMs} ms`).padStart(9),
    (f.newLeader ?? '-').padEnd(10),
    String(f.splitBrain).padStart(11),
  ];
  return cols.join('  ');
}

export function formatReport(r: ChaosReport): string {
  const o = r.options;
  const lines: string[] = [];
  lines.push(`chaos run: ${o.replicas} replicas with --leader-elect${o.unelectedReplica ? ' + 1 without (its writes must all count as split-brain)' : ''}, each behind its own TCP fault proxy`);
  lines.push(`  writes: ${o.writers} Writers, each written every ${formatDuration(o.writeEveryMs)} by a status merge patch and a server-side apply of a ConfigMap, no resourceVersion`);
  lines.push(`  server: ${r.target}; namespace ${r.namespace}; Lease ${r.namespace}/${r.leaseName}`);
  lines.push(`  leader election: lease duration ${formatDuration(o.leaseDurationMs)}, renew deadline ${formatDuration(o.renewDeadlineMs)}, retry period ${formatDuration(o.retryPeriodMs)}`);
  lines.push(`  faults: ${o.faults} × ${o.kinds.join(',')}; latency/blackhole/stop last ${formatDuration(o.faultDurationMs)}; latency drawn from ${formatDuration(o.latencyMs.min)}-${formatDuration(o.latencyMs.max)} (seed ${o.seed}); settle ${formatDuration(o.settleMs)}; calm ${formatDuration(o.calmMs)}`);
  lines.push(`  operator: ${r.operatorDir} (${r.operatorReused ? 'reused build' : 'scaffolded and built for this run'})`);
  if (r.faults.length > 0) {
    lines.push('');
    lines.push('  #  kind       replica    duration  latency   hand-over  new leader  split-brain');
    for (const f of r.faults) lines.push(faultLine(f));
  }
  lines.push('');
  const kinds = [...new Set(r.faults.map((f) => f.kind))];
  for (const k of kinds) {
    const fs = r.faults.filter((f) => f.kind === k);
    const hand = fs.flatMap((f) => (f.handOverMs === undefined ? [] : [f.handOverMs]));
    const split = fs.reduce((n, f) => n + f.splitBrain, 0);
    lines.push(`${k}: ${fs.length} faults, ${fs.filter((f) => f.splitBrain > 0).length} with split-brain writes, ${split} split-brain writes; ` +
      `hand-over in ${hand.length}/${fs.length}${hand.length ? `, median ${median(hand)} ms, min ${Math.min(...hand)} ms, max ${Math.max(...hand)} ms` : ''}`);
  }
  lines.push(`before the first fault: ${r.calmSplitBrain} split-brain writes`);
  lines.push(`total: ${r.writes} writes accepted, ${r.splitBrain.length} split-brain, ${r.handOvers} Lease hand-overs, ${r.restarts} replica restarts, ${r.gaps} history gaps${r.gaps ? ' (counts may be low)' : ''}`);
  if (r.splitBrain.length > 0) {
    const status = r.splitBrain.filter((s) => s.write.object.startsWith('Writer/status')).length;
    lines.push(`split-brain by write: ${status} status merge patches, ${r.splitBrain.length - status} ConfigMap server-side applies`);
  }
  for (const s of r.splitBrain.slice(0, 5)) {
    lines.push(`  split-brain: rv ${s.write.rv} ${s.write.object} by ${s.write.replica} while ${r.replicaOf[s.holder] ?? s.holder} held the Lease`);
  }
  if (r.splitBrain.length > 5) lines.push(`  ... and ${r.splitBrain.length - 5} more`);
  lines.push('');
  lines.push(`rerun: ${rerunCommand(o)}`);
  return lines.join('\n');
}
