/**
 * The chaos harness end to end, short: it must count split-brain writes when they happen (a replica without
 * --leader-elect), and with election on it must see the Lease handed over after faults on the leader. Counts and
 * events only; the figures come from `npm run chaos`. Needs `npm run build` (the operator is scaffolded by the CLI).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultWorkDir, resolveChaosOptions } from '../../chaos/options.js';
import { runChaos } from '../../chaos/run.js';

const workDir = join(defaultWorkDir(), 'test');
const quick = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 500, settleMs: 500, writers: 3 };

describe('chaos run', { concurrency: false, timeout: 240_000 }, () => {
  it('counts every write of a replica without --leader-elect as split-brain, and none of the leader', async () => {
    const report = await runChaos(resolveChaosOptions({ ...quick, workDir, replicas: 1, unelectedReplica: true, faults: 0, calmMs: 2000 }));
    assert.ok(report.splitBrain.length > 0, `split-brain writes counted: ${report.splitBrain.length}`);
    assert.ok(report.splitBrain.every((s) => s.write.replica === 'unelected'), 'only the unelected replica wrote against the Lease');
    assert.ok(report.splitBrain.some((s) => s.write.object.startsWith('ConfigMap')) && report.splitBrain.some((s) => s.write.object.startsWith('Writer/status')),
      'both the status merge patch and the server-side apply are seen');
    assert.equal(report.calmSplitBrain, report.splitBrain.length);
    assert.equal(report.gaps, 0);
  });

  it('with election on, reports a hand-over to another replica after a kill and a stop of the leader', async () => {
    const report = await runChaos(resolveChaosOptions({ ...quick, workDir, replicas: 2, faults: 2, kinds: ['kill', 'stop'], faultDurationMs: 3000, calmMs: 500 }));
    assert.deepEqual(report.faults.map((f) => f.kind), ['kill', 'stop']);
    for (const f of report.faults) {
      assert.notEqual(f.handOverMs, undefined, `fault ${f.kind} on ${f.replica} was followed by a hand-over`);
      assert.notEqual(f.newLeader, f.replica, `fault ${f.kind}: the Lease went to another replica`);
    }
    assert.ok(report.handOvers >= 2);
    assert.ok(report.restarts >= 1, 'the killed replica was started again');
    assert.ok(report.writes > 0);
  });
});
