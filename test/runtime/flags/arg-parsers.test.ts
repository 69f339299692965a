import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindAddressArg, booleanArg, durationArg, flagEnvVar, namespaceArg, namespaceListArg, portArg, positiveIntArg, qpsArg, resourceNameArg } from '../../../src/runtime/flags/arg-parsers.js';
import { FlagError } from '../../../src/runtime/flags/flag-error.js';
import { formatDuration, parseDuration } from '../../../src/runtime/flags/duration.js';

function rejects(parse: (value: string) => unknown, value: string, flag: string, rule: RegExp) {
  assert.throws(
    () => parse(value),
    (err: unknown) => {
      assert.ok(err instanceof FlagError, String(err));
      assert.equal(err.code, 'EFLAG');
      assert.equal(err.flag, flag);
      assert.ok(err.message.includes(`${flag} '${value}'`), err.message);
      assert.match(err.message, rule);
      assert.match(err.hint ?? '', new RegExp(`use e\\.g\\. ${flag}=\\S+ \\(the value comes from ${flag} or, without it, from ${flagEnvVar(flag)}\\)`));
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

test('the environment variable of a flag is its name in upper case with underscores', () => {
  assert.equal(flagEnvVar('--leader-elect'), 'LEADER_ELECT');
  assert.equal(flagEnvVar('--health-probe-bind-address'), 'HEALTH_PROBE_BIND_ADDRESS');
});

test('durationArg reads Go durations longer than zero', () => {
  const parse = durationArg('--leader-election-lease-duration');
  assert.equal(parse('15s'), 15_000);
  assert.equal(parse('1m30s'), 90_000);
  rejects(parse, 'soon', '--leader-election-lease-duration', /is not a duration/);
  rejects(parse, '15', '--leader-election-lease-duration', /is not a duration/);
  rejects(parse, '0', '--leader-election-lease-duration', /must be longer than zero/);
  rejects(parse, '0s', '--leader-election-lease-duration', /must be longer than zero/);
});

test('booleanArg reads true/false the Go way, so FLAG=false means false', () => {
  const parse = booleanArg('--leader-elect');
  for (const t of ['true', 'TRUE', '1', 't', 'yes']) assert.equal(parse(t), true, t);
  for (const f of ['false', 'False', '0', 'f', 'no']) assert.equal(parse(f), false, f);
  rejects(parse, 'maybe', '--leader-elect', /is not a boolean/);
  rejects(parse, '', '--leader-elect', /is not a boolean/);
});

test('bindAddressArg accepts host:port, :port and 0, and returns the text', () => {
  const parse = bindAddressArg('--metrics-bind-address');
  assert.equal(parse(':8080'), ':8080');
  assert.equal(parse('127.0.0.1:0'), '127.0.0.1:0');
  assert.equal(parse('[::1]:8080'), '[::1]:8080');
  assert.equal(parse('0'), '0');
  rejects(parse, '8080', '--metrics-bind-address', /is not a bind address/);
  rejects(parse, ':99999', '--metrics-bind-address', /is not a bind address/);
});

test("bindAddressArg's hint turns a bare port into ':port' and otherwise shows ':8080'", () => {
  const hint = (flag: string, value: string) => {
    try {
      bindAddressArg(flag)(value);
    } catch (err) {
      return (err as { hint?: string }).hint;
    }
    assert.fail(`${value} was accepted`);
  };
  assert.match(hint('--health-probe-bind-address', '9090')!, /--health-probe-bind-address=:9090 /);
  assert.match(hint('--metrics-bind-address', 'localhost')!, /--metrics-bind-address=:8080 /);
  assert.match(hint('--metrics-bind-address', '99999')!, /--metrics-bind-address=:8080 /);
});

test('portArg reads a listening port from 1 to 65535 and refuses 0, ranges and bind addresses', () => {
  assert.equal(portArg('--webhook-port')('9443'), 9443);
  assert.equal(portArg('--webhook-port')(' 1 '), 1);
  assert.equal(portArg('--webhook-port')('65535'), 65535);
  for (const bad of ['0', '65536', '-1', ':9443', '9443.0', 'abc', '', '123456']) rejects(portArg('--webhook-port'), bad, '--webhook-port', /is not a port \(a whole number from 1 to 65535\)/);
});

test('positiveIntArg reads whole numbers of at least 1', () => {
  const parse = positiveIntArg('--max-concurrent-reconciles');
  assert.equal(parse('1'), 1);
  assert.equal(parse('16'), 16);
  for (const bad of ['0', '-1', '1.5', 'two', '', '1e3']) rejects(parse, bad, '--max-concurrent-reconciles', /is not a whole number of at least 1/);
});

test('qpsArg reads a positive rate, fractions allowed, or a negative one that turns the limit off; refuses 0', () => {
  const parse = qpsArg('--kube-api-qps');
  assert.equal(parse('20'), 20);
  assert.equal(parse(' 0.5 '), 0.5);
  assert.equal(parse('.5'), 0.5);
  assert.equal(parse('-1'), -1);
  for (const bad of ['', 'fast', '1e3', 'Infinity', '20qps', '0x10', '1,5']) rejects(parse, bad, '--kube-api-qps', /is not a number of requests per second/);
  for (const zero of ['0', '0.0', '-0']) rejects(parse, zero, '--kube-api-qps', /must be positive, or negative \(e\.g\. -1\) to turn the client-side rate limit off/);
});

test('resourceNameArg and namespaceArg follow the Kubernetes name rules', () => {
  const name = resourceNameArg('--leader-election-id');
  assert.equal(name('86f835c3.example.com'), '86f835c3.example.com');
  rejects(name, 'Not_A_Name', '--leader-election-id', /is not a valid object name/);
  const ns = namespaceArg('--leader-election-namespace');
  assert.equal(ns('ops'), 'ops');
  rejects(ns, 'a.b', '--leader-election-namespace', /is not a valid namespace name/);
  rejects(ns, '', '--leader-election-namespace', /is not a valid namespace name/);
});

test('namespaceListArg reads WATCH_NAMESPACE as Operator SDK does: a comma list, empty for all namespaces', () => {
  const parse = namespaceListArg('--watch-namespace');
  assert.deepEqual(parse(''), []);
  assert.deepEqual(parse('team-a'), ['team-a']);
  assert.deepEqual(parse('team-a, team-b,,team-a'), ['team-a', 'team-b']);
  rejects(parse, 'team-a,Team_B', '--watch-namespace', /contains 'Team_B', which is not a valid namespace name/);
});

test('the runtime does not import commander: the generated project owns its command line', () => {
  const root = fileURLToPath(new URL('../../../src/runtime', import.meta.url));
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(files.includes(join('flags', 'arg-parsers.ts')), 'the walk sees the flag parsers');
  const importing = files.filter((f) => /from 'commander'|import\('commander'\)|require\('commander'\)/.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(importing, []);
});
