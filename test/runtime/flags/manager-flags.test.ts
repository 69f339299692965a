import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManagerFlags } from '../../../src/runtime/flags/manager-flags.js';
import { FlagError } from '../../../src/runtime/flags/flag-error.js';
import { formatDuration, parseDuration } from '../../../src/runtime/flags/duration.js';

const defaults = { leaderElectionId: '86f835c3.example.com' };
const parse = (argv: string[], env: Record<string, string> = {}) => parseManagerFlags({ argv, env, defaults });

function rejects(argv: string[], env: Record<string, string>, flag: string, pattern: RegExp, hint?: RegExp) {
  assert.throws(
    () => parse(argv, env),
    (err: unknown) => {
      assert.ok(err instanceof FlagError, String(err));
      assert.equal(err.flag, flag);
      assert.match(err.message, pattern);
      if (hint) assert.match(err.hint ?? '', hint);
      return true;
    },
  );
}

test('Go durations parse to milliseconds and format back', () => {
  assert.equal(parseDuration('15s'), 15_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('15'), undefined);
  assert.equal(parseDuration('s'), undefined);
  assert.equal(parseDuration('15 s'), undefined);
  assert.equal(parseDuration('-1s'), undefined);
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(500), '500ms');
});

test('defaults match DESIGN.md §3', () => {
  const f = parse([]);
  assert.deepEqual(f.managerOptions, {
    leaderElection: { enabled: false, id: '86f835c3.example.com', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, releaseOnCancel: true },
    healthProbeBindAddress: ':8081',
    metricsBindAddress: '0',
    maxConcurrentReconciles: 1,
    gracefulShutdownTimeoutMs: 30_000,
  });
  assert.equal(f.logLevel, 'info');
  assert.equal(f.logFormat, 'json');
  assert.equal(f.help, undefined);
});

test('every flag is read, in --flag=value and --flag value forms', () => {
  const f = parse([
    '--leader-elect',
    '--leader-election-id=my-lease',
    '--leader-election-namespace', 'ops',
    '--leader-election-lease-duration=4s',
    '--leader-election-renew-deadline=3s',
    '--leader-election-retry-period=1s',
    '--leader-election-release-on-cancel=false',
    '--health-probe-bind-address=127.0.0.1:0',
    '--metrics-bind-address=:8080',
    '--log-level=debug',
    '--log-format=text',
    '--max-concurrent-reconciles=4',
    '--graceful-shutdown-timeout=1m',
  ]);
  assert.deepEqual(f.managerOptions.leaderElection, { enabled: true, id: 'my-lease', namespace: 'ops', leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 1000, releaseOnCancel: false });
  assert.equal(f.managerOptions.healthProbeBindAddress, '127.0.0.1:0');
  assert.equal(f.managerOptions.metricsBindAddress, ':8080');
  assert.equal(f.managerOptions.maxConcurrentReconciles, 4);
  assert.equal(f.managerOptions.gracefulShutdownTimeoutMs, 60_000);
  assert.equal(f.logLevel, 'debug');
  assert.equal(f.logFormat, 'text');
});

test('environment variables are read and flags win over them', () => {
  const env = { LEADER_ELECT: 'true', LEADER_ELECTION_LEASE_DURATION: '20s', LOG_FORMAT: 'text', METRICS_BIND_ADDRESS: ':9090' };
  const fromEnv = parse([], env);
  assert.equal(fromEnv.managerOptions.leaderElection!.enabled, true);
  assert.equal(fromEnv.managerOptions.leaderElection!.leaseDurationMs, 20_000);
  assert.equal(fromEnv.logFormat, 'text');
  assert.equal(fromEnv.managerOptions.metricsBindAddress, ':9090');
  const flagsWin = parse(['--leader-elect=false', '--log-format=json'], env);
  assert.equal(flagsWin.managerOptions.leaderElection!.enabled, false);
  assert.equal(flagsWin.logFormat, 'json');
});

test('--help returns the usage text listing every flag and its env var', () => {
  const f = parse(['--log-level=debug', '--help']);
  assert.ok(f.help);
  for (const flag of ['--leader-elect', '--leader-election-lease-duration', '--metrics-bind-address', '--graceful-shutdown-timeout', 'LEADER_ELECTION_RETRY_PERIOD']) {
    assert.ok(f.help.includes(flag), flag);
  }
});

test('lease duration not longer than the renew deadline names both flags and a fix', () => {
  rejects(['--leader-election-lease-duration=5s'], {}, '--leader-election-lease-duration', /^--leader-election-lease-duration=5s must be longer than --leader-election-renew-deadline \(10s\)$/, /use e\.g\. --leader-election-lease-duration=15s/);
});

test('renew deadline must exceed 1.2 × retry period', () => {
  rejects(['--leader-election-retry-period=9s'], {}, '--leader-election-renew-deadline', /--leader-election-renew-deadline=10s \(default\) must be longer than 1.2 × --leader-election-retry-period/, /--leader-election-retry-period=2s/);
});

test('bad values from the environment name the variable', () => {
  rejects([], { LEADER_ELECTION_RETRY_PERIOD: 'soon' }, '--leader-election-retry-period', /^LEADER_ELECTION_RETRY_PERIOD=soon \(environment\) is not a duration$/);
});

test('every kind of bad value gets its own error', () => {
  rejects(['--leader-election-lease-duration=fifteen'], {}, '--leader-election-lease-duration', /is not a duration/, /15s/);
  rejects(['--leader-election-lease-duration=0s'], {}, '--leader-election-lease-duration', /must be longer than zero/);
  rejects(['--leader-election-lease-duration=15500ms'], {}, '--leader-election-lease-duration', /whole number of seconds/, /16s/);
  rejects(['--leader-elect=maybe'], {}, '--leader-elect', /is not a boolean/);
  rejects(['--leader-election-id=Not_A_Name'], {}, '--leader-election-id', /not a valid Lease name/);
  rejects(['--leader-election-namespace=Bad.NS'], {}, '--leader-election-namespace', /not a valid namespace/);
  rejects(['--health-probe-bind-address=8081'], {}, '--health-probe-bind-address', /is not a bind address/);
  rejects(['--metrics-bind-address=:99999'], {}, '--metrics-bind-address', /is not a bind address/);
  rejects(['--log-level=verbose'], {}, '--log-level', /is not one of debug, info, warn, error/);
  rejects(['--log-format=xml'], {}, '--log-format', /is not one of json, text/);
  rejects(['--max-concurrent-reconciles=0'], {}, '--max-concurrent-reconciles', /at least 1/);
  rejects(['--max-concurrent-reconciles=2.5'], {}, '--max-concurrent-reconciles', /whole number/);
  rejects(['--graceful-shutdown-timeout=never'], {}, '--graceful-shutdown-timeout', /not a duration/);
  rejects(['--leader-election-id'], {}, '--leader-election-id', /needs a value/);
});

test('unknown flags and stray arguments are refused with a suggestion', () => {
  rejects(['--leader-elec'], {}, '--leader-elec', /^unknown flag --leader-elec$/, /did you mean --leader-elect\?/);
  rejects(['--frobnicate'], {}, '--frobnicate', /unknown flag/, /--help/);
  rejects(['serve'], {}, 'serve', /unexpected argument 'serve'/);
});
