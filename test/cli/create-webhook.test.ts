/**
 * `operator-ts create webhook` through the real CLI: the bad inputs a new user tries each exit non-zero with one
 * clear error and a hint and leave the tree byte for byte as it was; --dry-run prints what the real run then writes;
 * an interrupted write is rolled back; --force regenerates one type.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, ensureBuilt, runCli, runCliAndSignal, type RunResult } from './cli-harness.js';
import { treeHash } from '../scaffold/tree-hash.js';

let work: string;
let withApi: string;
let twoVersions: string;
let counter = 0;

function copyOf(source: string): string {
  const dir = join(work, `case-${++counter}`, 'memcached-operator');
  cpSync(source, dir, { recursive: true });
  return dir;
}

const webhook = (...flags: string[]): string[] => ['create', 'webhook', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', ...flags];

function assertOneClearError(r: RunResult, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('Error:')).length, 1, `exactly one Error: line in ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /\nHint: /, 'a hint follows the error');
}

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-webhook-cli-'));
  withApi = join(work, 'base', 'memcached-operator');
  mkdirSync(withApi, { recursive: true });
  assert.equal(runCli(['init', '--domain', 'example.com', '--skip-install'], withApi).code, 0);
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], withApi).code, 0);
  twoVersions = join(work, 'base-two', 'memcached-operator');
  cpSync(withApi, twoVersions, { recursive: true });
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--resource', '--no-controller'], twoVersions).code, 0);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('create webhook: bad input leaves the tree unchanged', () => {
  const cases: Array<{ name: string; dir: () => string; args: string[]; code: number; message: RegExp }> = [
    { name: 'no flags', dir: () => copyOf(withApi), args: ['create', 'webhook'], code: 2, message: /missing required flags --group, --version, --kind/ },
    { name: 'no webhook type', dir: () => copyOf(withApi), args: webhook(), code: 2, message: /at least one of --defaulting, --programmatic-validation and --conversion/ },
    { name: 'a lowercase kind', dir: () => copyOf(withApi), args: ['create', 'webhook', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'memcached', '--defaulting'], code: 1, message: /kind 'memcached' must be PascalCase/ },
    { name: 'a kind not in PROJECT', dir: () => copyOf(withApi), args: ['create', 'webhook', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Redis', '--defaulting'], code: 1, message: /no API Redis \(cache\.example\.com\/v1alpha1\) is in PROJECT[\s\S]*Hint: create the API first: operator-ts create api --group cache --version v1alpha1 --kind Redis/ },
    { name: 'a version of the kind that is not there', dir: () => copyOf(withApi), args: ['create', 'webhook', '--group', 'cache', '--version', 'v2', '--kind', 'Memcached', '--defaulting'], code: 1, message: /Memcached \(cache\.example\.com\/v2\) is not in PROJECT: Memcached has the version v1alpha1/ },
    { name: '--conversion with one version', dir: () => copyOf(withApi), args: webhook('--conversion'), code: 1, message: /Memcached has only the version v1alpha1 in PROJECT/ },
    { name: '--spoke v9', dir: () => copyOf(twoVersions), args: ['create', 'webhook', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--conversion', '--spoke', 'v9'], code: 1, message: /spoke version 'v9' is not a version of Memcached .*; Memcached has v1, v1alpha1/ },
    { name: '--spoke without --conversion', dir: () => copyOf(twoVersions), args: webhook('--defaulting', '--spoke', 'v1'), code: 2, message: /--spoke v1 was given without --conversion/ },
    { name: 'outside a project', dir: () => { const d = join(work, `case-${++counter}`, 'empty'); mkdirSync(d, { recursive: true }); return d; }, args: webhook('--defaulting'), code: 1, message: /PROJECT/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = c.dir();
      const before = treeHash(join(dir, '..'));
      assertOneClearError(runCli(c.args, dir), c.code, c.message);
      assert.equal(treeHash(join(dir, '..')), before, 'file tree unchanged');
    });
  }

  it('the same type twice is refused without --force; --force rewrites only that type', () => {
    const dir = copyOf(withApi);
    assert.equal(runCli(webhook('--defaulting', '--programmatic-validation'), dir).code, 0);
    const validator = join(dir, 'src/webhooks/v1alpha1/memcached.validator.ts');
    const defaulter = join(dir, 'src/webhooks/v1alpha1/memcached.defaulter.ts');
    writeFileSync(validator, '// my validator\n');
    writeFileSync(defaulter, '// my defaulter\n');
    const before = treeHash(dir);
    assertOneClearError(runCli(webhook('--defaulting'), dir), 1, /already has a defaulting webhook[\s\S]*Hint: drop --defaulting, or pass --force/);
    assert.equal(treeHash(dir), before, 'file tree unchanged');
    const forced = runCli(webhook('--defaulting', '--force'), dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /REPLACE src\/webhooks\/v1alpha1\/memcached\.defaulter\.ts \(--force: your changes to this file are overwritten\)/);
    assert.match(readFileSync(defaulter, 'utf8'), /export const memcachedDefaulter: Defaulter<Memcached>/);
    assert.equal(readFileSync(validator, 'utf8'), '// my validator\n', 'the validator is not touched');
  });
});

describe('create webhook: dry run, real run, interrupt', () => {
  it('--dry-run prints the plan and writes nothing; the real run then writes exactly those files and prints next steps', () => {
    const dir = copyOf(withApi);
    const before = treeHash(dir);
    const dry = runCli(webhook('--defaulting', '--programmatic-validation', '--dry-run'), dir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(treeHash(dir), before, 'the dry run wrote nothing');
    const planned = dry.stdout.split('\n').filter((l) => /^(CREATE|UPDATE) /.test(l)).map((l) => l.split(' ')[1]).sort();
    assert.deepEqual(planned, [
      'PROJECT', 'config/certmanager/certificate-webhook.yaml', 'config/certmanager/issuer.yaml',
      'config/certmanager/kustomization.yaml', 'config/certmanager/kustomizeconfig.yaml', 'config/crd/kustomization.yaml',
      'config/crd/kustomizeconfig.yaml', 'config/default/certmanager_replacements.yaml', 'config/default/kustomization.yaml',
      'config/default/manager_webhook_patch.yaml', 'config/webhook/kustomization.yaml', 'config/webhook/manifests.yaml',
      'config/webhook/service.yaml', 'src/main.ts', 'src/webhooks/memcached.webhook.ts', 'src/webhooks/v1alpha1/memcached.defaulter.ts',
      'src/webhooks/v1alpha1/memcached.validator.ts', 'test/webhooks/v1alpha1/memcached.defaulter.test.ts', 'test/webhooks/v1alpha1/memcached.validator.test.ts',
    ]);
    const real = runCli(webhook('--defaulting', '--programmatic-validation'), dir);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Writing 19 files/);
    assert.match(real.stdout, /Next steps:\n {2}implement src\/webhooks\/v1alpha1\/memcached\.defaulter\.ts\n {2}implement src\/webhooks\/v1alpha1\/memcached\.validator\.ts\n {2}npm run build && npm test/);
    assert.match(readFileSync(join(dir, 'PROJECT'), 'utf8'), /webhooks:\n {6}defaulting: true\n {6}validation: true\n {6}webhookVersion: v1/);
  });

  it('SIGINT during the write phase rolls back and exits 130', async () => {
    const dir = copyOf(twoVersions);
    const before = treeHash(dir);
    const r = await runCliAndSignal(['create', 'webhook', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--conversion', '--defaulting'], dir,
      cliEnv({ OPERATOR_TS_TEST_COMMIT_STEP_MS: '40' }), 'Writing ', 'SIGINT');
    assert.ok(r.sent, `the write phase started: ${r.stdout} ${r.stderr}`);
    assertOneClearError(r, 130, /interrupted by SIGINT while writing files; every change was rolled back/);
    assert.equal(treeHash(dir), before, 'file tree unchanged');
  });
});
