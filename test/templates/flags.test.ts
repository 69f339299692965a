/**
 * The generated src/flags.ts, run for real: rendered, its imports pointed at this checkout's runtime and
 * commander, and loaded under tsx. Checks defaults, environment fallback, flags over environment, the
 * FlagError a bad value throws, and `--help` (which exits, so it runs in a child process).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FlagError } from '../../src/runtime/flags/flag-error.js';
import { initContext, renderProject } from './render.js';

interface Flags {
  managerOptions: Record<string, unknown> & { leaderElection: Record<string, unknown> };
  logLevel: string;
  logFormat: string;
}

const runtimeIndex = pathToFileURL(fileURLToPath(new URL('../../src/runtime/index.ts', import.meta.url))).href;
const commander = pathToFileURL(createRequire(import.meta.url).resolve('commander')).href;

const ENV_VARS = [
  'LEADER_ELECT', 'LEADER_ELECTION_ID', 'LEADER_ELECTION_NAMESPACE', 'LEADER_ELECTION_LEASE_DURATION', 'LEADER_ELECTION_RENEW_DEADLINE',
  'LEADER_ELECTION_RETRY_PERIOD', 'LEADER_ELECTION_RELEASE_ON_CANCEL', 'LEADER_ELECTION_STRATEGY', 'LEADER_ELECTION_FOR_LIFE_MAX_BACKOFF', 'HEALTH_PROBE_BIND_ADDRESS', 'METRICS_BIND_ADDRESS',
  'METRICS_SECURE', 'METRICS_CERT_DIR', 'METRICS_CERT_NAME', 'METRICS_KEY_NAME', 'WEBHOOK_PORT', 'WEBHOOK_CERT_DIR', 'WEBHOOK_CERT_NAME', 'WEBHOOK_KEY_NAME', 'LOG_LEVEL',
  'LOG_FORMAT', 'MAX_CONCURRENT_RECONCILES', 'GRACEFUL_SHUTDOWN_TIMEOUT', 'WATCH_NAMESPACE', 'KUBE_API_QPS', 'KUBE_API_BURST',
];

describe('generated src/flags.ts', async () => {
  const source = (await renderProject()).get('src/flags.ts')!;
  const dir = mkdtempSync(join(tmpdir(), 'operator-ts-flags-'));
  const file = join(dir, 'flags.ts');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(file, source.replace("from 'operator-ts/runtime'", `from '${runtimeIndex}'`).replace("from 'commander'", `from '${commander}'`));
  const { parseFlags } = (await import(pathToFileURL(file).href)) as { parseFlags: (argv: string[]) => Flags };
  const saved = Object.fromEntries(ENV_VARS.map((name) => [name, process.env[name]]));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Parses with exactly `env` set among the flags' variables. */
  const parse = (args: string[], env: Record<string, string> = {}): Flags => {
    for (const name of ENV_VARS) delete process.env[name];
    Object.assign(process.env, env);
    try {
      return parseFlags(['node', 'dist/main.js', ...args]);
    } finally {
      for (const name of ENV_VARS) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  };
  const rejects = (args: string[], env: Record<string, string>, flag: string, message: RegExp) =>
    assert.throws(() => parse(args, env), (err: unknown) => {
      assert.ok(err instanceof Error && err.constructor.name === FlagError.name, String(err));
      assert.equal((err as FlagError).flag, flag);
      assert.match(err.message, message);
      return true;
    });

  it('declares every manager flag with its environment variable, and shows where to add one', () => {
    for (const name of ENV_VARS) {
      const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
      assert.ok(source.includes(`'${flag} `), `${flag} is declared`);
      assert.ok(source.includes(`'${name}'`), `${name} is its environment variable`);
    }
    assert.ok(source.includes(`const LEADER_ELECTION_ID = '${String(initContext().leaderElectionId)}';`), 'the Lease name from PROJECT');
    assert.match(source, /\/\/ Add your own flags here[\s\S]*--tenant-namespace/);
    assert.match(source, /validateLeaderElectionTiming\(timing, 'flags'\)/);
  });

  it('gives the defaults of DESIGN.md §3', () => {
    const f = parse([]);
    assert.deepEqual(f.managerOptions, {
      leaderElection: {
        enabled: false, strategy: 'lease', id: initContext().leaderElectionId, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, releaseOnCancel: true,
        forLifeMaxBackoffMs: 16_000,
      },
      healthProbeBindAddress: ':8081',
      metricsBindAddress: '0',
      metricsSecure: true,
      metricsCertDir: '',
      metricsCertName: 'tls.crt',
      metricsKeyName: 'tls.key',
      webhook: { port: 9443, certDir: '/tmp/k8s-webhook-server/serving-certs', certName: 'tls.crt', keyName: 'tls.key' },
      maxConcurrentReconciles: 1,
      gracefulShutdownTimeoutMs: 30_000,
      cache: { namespaces: [] },
      client: { qps: 20, burst: 30 },
    });
    assert.equal(f.logLevel, 'info');
    assert.equal(f.logFormat, 'json');
  });

  it('reads every flag, in --flag=value and --flag value forms', () => {
    const f = parse([
      '--leader-elect',
      '--leader-election-id=my-lease',
      '--leader-election-namespace', 'ops',
      '--leader-election-lease-duration=4s',
      '--leader-election-renew-deadline=3s',
      '--leader-election-retry-period=1s',
      '--leader-election-release-on-cancel=false',
      '--leader-election-strategy', 'for-life',
      '--leader-election-for-life-max-backoff=1m',
      '--health-probe-bind-address=127.0.0.1:0',
      '--metrics-bind-address=:8080',
      '--metrics-secure=false',
      '--metrics-cert-dir', '/certs',
      '--metrics-cert-name=cert.pem',
      '--metrics-key-name', 'key.pem',
      '--webhook-port=10443',
      '--webhook-cert-dir', '/certs/webhook',
      '--webhook-cert-name=serving.crt',
      '--webhook-key-name', 'serving.key',
      '--log-level=debug',
      '--log-format', 'text',
      '--max-concurrent-reconciles=4',
      '--graceful-shutdown-timeout=1m',
      '--watch-namespace', 'team-a, team-b',
      '--kube-api-qps=0.5',
      '--kube-api-burst', '2',
    ]);
    assert.deepEqual(f.managerOptions, {
      leaderElection: {
        enabled: true, strategy: 'for-life', id: 'my-lease', namespace: 'ops', leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 1000, releaseOnCancel: false,
        forLifeMaxBackoffMs: 60_000,
      },
      healthProbeBindAddress: '127.0.0.1:0',
      metricsBindAddress: ':8080',
      metricsSecure: false,
      metricsCertDir: '/certs',
      metricsCertName: 'cert.pem',
      metricsKeyName: 'key.pem',
      webhook: { port: 10443, certDir: '/certs/webhook', certName: 'serving.crt', keyName: 'serving.key' },
      maxConcurrentReconciles: 4,
      gracefulShutdownTimeoutMs: 60_000,
      cache: { namespaces: ['team-a', 'team-b'] },
      client: { qps: 0.5, burst: 2 },
    });
    assert.equal(f.logLevel, 'debug');
    assert.equal(f.logFormat, 'text');
  });

  it('falls back to the environment, and a flag wins over it', () => {
    const env = { LEADER_ELECT: 'true', LEADER_ELECTION_LEASE_DURATION: '20s', LOG_FORMAT: 'text', METRICS_BIND_ADDRESS: ':9090' };
    const fromEnv = parse([], env);
    assert.equal(fromEnv.managerOptions.leaderElection.enabled, true);
    assert.equal(fromEnv.managerOptions.leaderElection.leaseDurationMs, 20_000);
    assert.equal(fromEnv.managerOptions.metricsBindAddress, ':9090');
    assert.equal(fromEnv.logFormat, 'text');
    const both = parse(['--leader-elect=false', '--leader-election-lease-duration=30s', '--log-format=json'], env);
    assert.equal(both.managerOptions.leaderElection.enabled, false);
    assert.equal(both.managerOptions.leaderElection.leaseDurationMs, 30_000);
    assert.equal(both.logFormat, 'json');
    assert.equal(parse([], { LEADER_ELECT: 'false' }).managerOptions.leaderElection.enabled, false, 'LEADER_ELECT=false means false');
    assert.equal(parse([], { LEADER_ELECTION_STRATEGY: 'for-life' }).managerOptions.leaderElection.strategy, 'for-life');
    assert.deepEqual(parse([], { WATCH_NAMESPACE: 'team-a' }).managerOptions.cache, { namespaces: ['team-a'] }, 'WATCH_NAMESPACE as Operator SDK documents');
    assert.deepEqual(parse(['--watch-namespace='], { WATCH_NAMESPACE: 'team-a' }).managerOptions.cache, { namespaces: [] }, 'an empty flag (all namespaces) wins');
    assert.deepEqual(parse([], { KUBE_API_QPS: '-1', KUBE_API_BURST: '50' }).managerOptions.client, { qps: -1, burst: 50 }, 'KUBE_API_QPS=-1 turns the limit off');
    assert.deepEqual(parse(['--kube-api-qps=100'], { KUBE_API_QPS: '5' }).managerOptions.client, { qps: 100, burst: 30 });
    assert.equal(parse([], { METRICS_SECURE: 'false' }).managerOptions.metricsSecure, false, 'METRICS_SECURE=false serves plain HTTP');
    assert.equal(parse(['--metrics-secure'], { METRICS_SECURE: 'false' }).managerOptions.metricsSecure, true);
    assert.equal(parse([], { METRICS_CERT_DIR: '/tmp/k8s-metrics-server/metrics-certs' }).managerOptions.metricsCertDir, '/tmp/k8s-metrics-server/metrics-certs');
    assert.deepEqual(parse([], { WEBHOOK_PORT: '8443', WEBHOOK_CERT_DIR: '/certs' }).managerOptions['webhook'], { port: 8443, certDir: '/certs', certName: 'tls.crt', keyName: 'tls.key' });
    assert.deepEqual((parse(['--webhook-port=7443'], { WEBHOOK_PORT: '8443' }).managerOptions['webhook'] as { port: number }).port, 7443);
  });

  it('stops on a bad value with a FlagError naming the flag, from the command line or the environment', () => {
    rejects(['--leader-election-lease-duration=soon'], {}, '--leader-election-lease-duration', /'soon' is not a duration/);
    rejects([], { LEADER_ELECTION_RETRY_PERIOD: 'often' }, '--leader-election-retry-period', /'often' is not a duration/);
    rejects(['--leader-elect=maybe'], {}, '--leader-elect', /'maybe' is not a boolean/);
    rejects([], { WATCH_NAMESPACE: 'team-a,Team_B' }, '--watch-namespace', /contains 'Team_B', which is not a valid namespace name/);
    rejects(['--metrics-bind-address=8080'], {}, '--metrics-bind-address', /is not a bind address/);
    rejects(['--max-concurrent-reconciles=0'], {}, '--max-concurrent-reconciles', /at least 1/);
    rejects(['--kube-api-qps=0'], {}, '--kube-api-qps', /'0' must be positive, or negative/);
    rejects([], { KUBE_API_QPS: 'fast' }, '--kube-api-qps', /'fast' is not a number of requests per second/);
    rejects(['--kube-api-burst=0'], {}, '--kube-api-burst', /at least 1/);
    rejects(['--metrics-secure=sometimes'], {}, '--metrics-secure', /'sometimes' is not a boolean/);
    rejects(['--metrics-cert-name=certs/tls.crt'], {}, '--metrics-cert-name', /is not a file name/);
    rejects([], { METRICS_KEY_NAME: '' }, '--metrics-key-name', /is not a file name/);
    rejects(['--webhook-port=:9443'], {}, '--webhook-port', /':9443' is not a port/);
    rejects([], { WEBHOOK_PORT: '70000' }, '--webhook-port', /'70000' is not a port/);
    rejects(['--webhook-cert-name=certs/tls.crt'], {}, '--webhook-cert-name', /is not a file name/);
    rejects([], { WEBHOOK_KEY_NAME: '..' }, '--webhook-key-name', /is not a file name/);
    rejects(['--leader-election-id=Bad_Name'], {}, '--leader-election-id', /is not a valid object name/);
    rejects(['--leader-election-strategy=forever'], {}, '--leader-election-strategy', /'forever' is not a leader election strategy \(lease or for-life\)/);
    rejects([], { LEADER_ELECTION_STRATEGY: 'Lease' }, '--leader-election-strategy', /'Lease' is not a leader election strategy/);
    rejects(['--leader-election-for-life-max-backoff=0s'], {}, '--leader-election-for-life-max-backoff', /must be longer than zero/);
    rejects(['--leader-election-lease-duration=10s'], {}, '--leader-election-lease-duration', /\(10s\) must be greater than --leader-election-renew-deadline \(10s\)/);
    rejects(['--leader-election-retry-period=9s'], {}, '--leader-election-renew-deadline', /must be greater than 1\.2 × --leader-election-retry-period/);
  });

  const child = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { parseFlags } from ${JSON.stringify(pathToFileURL(file).href)}; parseFlags(['node', 'main', ...${JSON.stringify(args)}]);`], {
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !ENV_VARS.includes(k))),
    });

  it('--help lists every flag with its default and environment variable, and exits 0', () => {
    const help = child(['--help']);
    assert.equal(help.status, 0, help.stderr);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const name of ENV_VARS) assert.ok(text.includes(`env: ${name})`), `${name} in\n${help.stdout}`);
    for (const shown of ['default: 15s', 'default: 16s', 'default: lease,', 'default: 10s', 'default: 2s', 'default: 30s', 'default: :8081,', 'default: 0,', 'default: 9443,', 'default: "/tmp/k8s-webhook-server/serving-certs"', `default: ${String(initContext().leaderElectionId)},`, 'default: "info"', 'default: false']) {
      assert.ok(text.includes(shown), `${shown} in\n${help.stdout}`);
    }
  });

  it('an unknown flag or a bad choice exits 1 naming it', () => {
    const unknown = child(['--leader-elekt']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown option '--leader-elekt'[\s\S]*Did you mean --leader-elect\?/);
    const choice = child(['--log-level=loud']);
    assert.equal(choice.status, 1);
    assert.match(choice.stderr, /--log-level <level>' argument 'loud' is invalid\. Allowed choices are debug, info, warn, error/);
  });
});
