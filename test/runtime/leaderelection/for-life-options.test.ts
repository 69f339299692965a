import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { resolveLeaderElectionOptions } from '../../../src/runtime/leaderelection/options.js';
import { LeaderElectionConfigError, LeaderForLifeError } from '../../../src/runtime/leaderelection/errors.js';
import { createElector } from '../../../src/runtime/leaderelection/create-elector.js';
import { apiServerLocks } from '../../../src/runtime/kube-locks/api-server-locks.js';
import { ForLifeElector } from '../../../src/runtime/leaderelection/for-life-elector.js';
import { LeaderElector } from '../../../src/runtime/leaderelection/elector.js';
import { leaderElectionStrategyArg } from '../../../src/runtime/leaderelection/strategy.js';
import { FlagError } from '../../../src/runtime/flags/flag-error.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { realClock } from '../../../src/runtime/clock.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

const noFile = { serviceAccountNamespaceFile: '/nonexistent/namespace', env: {} };
const forLife = { enabled: true, id: 'lock.example.com', strategy: 'for-life' as const };

test("the strategy defaults to 'lease' and needs no Pod", () => {
  const o = resolveLeaderElectionOptions({ enabled: true, id: 'lease.example.com' }, noFile);
  assert.equal(o.strategy, 'lease');
  assert.equal(o.pod, undefined);
  assert.equal(o.forLifeMaxBackoffMs, 16_000);
});

test('for-life reads POD_NAME/POD_NAMESPACE, elects in the Pod namespace and uses the Pod name as identity', () => {
  const o = resolveLeaderElectionOptions(forLife, { ...noFile, env: { POD_NAME: 'op-7d9f-abcde', POD_NAMESPACE: 'op-system' } });
  assert.deepEqual(o.pod, { name: 'op-7d9f-abcde', namespace: 'op-system' });
  assert.equal(o.namespace, 'op-system');
  assert.equal(o.identity, 'op-7d9f-abcde');
});

test('for-life takes the Pod namespace from the service account file when POD_NAMESPACE is unset', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sa-')), 'namespace');
  writeFileSync(file, 'from-file\n');
  const o = resolveLeaderElectionOptions(forLife, { serviceAccountNamespaceFile: file, env: { POD_NAME: 'p' } });
  assert.deepEqual(o.pod, { name: 'p', namespace: 'from-file' });
});

test('for-life refuses to start without POD_NAME, naming the variable and the fix', () => {
  assert.throws(
    () => resolveLeaderElectionOptions(forLife, noFile),
    (err: unknown) => err instanceof LeaderForLifeError && err.code === 'ELEADERFORLIFE' && /POD_NAME is not set/.test(err.message) && /downward API/.test(err.hint!) && /--leader-election-strategy lease/.test(err.hint!),
  );
  assert.throws(() => resolveLeaderElectionOptions(forLife, { ...noFile, env: { POD_NAME: '' } }), /POD_NAME is not set/);
  assert.throws(() => resolveLeaderElectionOptions(forLife, { ...noFile, env: { POD_NAME: 'p' } }), (err: unknown) => err instanceof LeaderForLifeError && /POD_NAMESPACE is not set/.test(err.message));
  assert.throws(() => resolveLeaderElectionOptions(forLife, { ...noFile, env: { POD_NAME: 'Bad_Name', POD_NAMESPACE: 'ns' } }), /POD_NAME 'Bad_Name' is not a valid Pod name/);
  assert.throws(() => resolveLeaderElectionOptions(forLife, { ...noFile, env: { POD_NAME: 'p', POD_NAMESPACE: 'Bad.NS' } }), /POD_NAMESPACE 'Bad.NS'/);
});

test('for-life refuses an election namespace other than the Pod namespace (ownerReferences cannot cross namespaces)', () => {
  assert.throws(
    () => resolveLeaderElectionOptions({ ...forLife, namespace: 'other' }, { ...noFile, env: { POD_NAME: 'p', POD_NAMESPACE: 'op-system' } }),
    (err: unknown) => err instanceof LeaderElectionConfigError && err.option === 'namespace' && /differs from the Pod's namespace 'op-system'/.test(err.message),
  );
});

test('a bad strategy or backoff cap is named with the rule', () => {
  assert.throws(
    () => resolveLeaderElectionOptions({ enabled: true, id: 'x', strategy: 'forever' as never }, noFile),
    (err: unknown) => err instanceof LeaderElectionConfigError && err.option === 'strategy' && /'forever' is not a leader election strategy \(lease or for-life\)/.test(err.message),
  );
  for (const v of [0, -1, Number.NaN, Infinity]) {
    assert.throws(() => resolveLeaderElectionOptions({ enabled: true, id: 'x', forLifeMaxBackoffMs: v }, noFile), (err: unknown) => err instanceof LeaderElectionConfigError && err.option === 'forLifeMaxBackoffMs');
  }
  assert.equal(leaderElectionStrategyArg('--leader-election-strategy')('for-life'), 'for-life');
  assert.throws(() => leaderElectionStrategyArg('--leader-election-strategy')('leader-for-life'), (err: unknown) => err instanceof FlagError && /--leader-election-strategy 'leader-for-life' is not a leader election strategy/.test(err.message));
});

test('the factory picks the elector by strategy', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const deps = { locks: apiServerLocks(kubeConfig), clock: realClock, logger: silentLogger };
  assert.ok(createElector(resolveLeaderElectionOptions({ enabled: true, id: 'x' }, noFile), deps) instanceof LeaderElector);
  const fl = createElector(resolveLeaderElectionOptions(forLife, { ...noFile, env: { POD_NAME: 'p', POD_NAMESPACE: 'n' } }), deps);
  assert.ok(fl instanceof ForLifeElector);
  assert.equal(fl.identity, 'p');
});

test('a manager with for-life and no POD_NAME cannot be built', () => {
  const saved = process.env.POD_NAME;
  delete process.env.POD_NAME;
  try {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    assert.throws(() => new Manager({ kubeConfig, logger: silentLogger, healthProbeBindAddress: '0', leaderElection: forLife }), LeaderForLifeError);
  } finally {
    if (saved !== undefined) process.env.POD_NAME = saved;
  }
});
