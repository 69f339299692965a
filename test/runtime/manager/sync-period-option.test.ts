import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { resolveManagerOptions } from '../../../src/runtime/manager/options.js';
import { ManagerOptionsError } from '../../../src/runtime/manager/errors.js';
import { jitteredSyncPeriod } from '../../../src/runtime/cache/sync-period.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

const kubeConfig = new KubeConfig();

test('syncPeriodMs defaults to 10 hours, as controller-runtime', () => {
  assert.equal(resolveManagerOptions({ kubeConfig, logger: silentLogger }).syncPeriodMs, 36_000_000);
  assert.equal(resolveManagerOptions({ kubeConfig, logger: silentLogger, syncPeriodMs: 60_000 }).syncPeriodMs, 60_000);
});

test('a bad syncPeriodMs is a ManagerOptionsError naming the value and the rule', () => {
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '10h' as unknown as number]) {
    assert.throws(
      () => resolveManagerOptions({ kubeConfig, logger: silentLogger, syncPeriodMs: bad }),
      (e: unknown) => e instanceof ManagerOptionsError && e.option === 'syncPeriodMs' && e.message.includes(`syncPeriodMs is ${String(bad)}`) && /positive number of milliseconds/.test(e.message) && !!e.hint,
    );
  }
});

test("the jitter is controller-runtime's: a factor in [0.9, 1.1) drawn per informer", () => {
  assert.equal(jitteredSyncPeriod(1_000_000, () => 0), 900_000);
  assert.equal(jitteredSyncPeriod(1_000_000, () => 0.5), 1_000_000);
  assert.equal(jitteredSyncPeriod(1_000_000, () => 0.999999), 1_099_999);
});
