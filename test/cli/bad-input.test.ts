import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cliEnv, ensureBuilt, fakeNpmEnv, runCli, runCliAndSignal, type RunResult } from './cli-harness.js';
import { treeHash } from '../scaffold/tree-hash.js';

/**
 * The bad-input table of the issue: each case must exit non-zero with exactly one clear message and
 * leave the file tree byte-for-byte as it was.
 */
let work: string;
let initialised: string;
let withApi: string;
let counter = 0;

function copyOf(source: string): string {
  const dir = join(work, `case-${++counter}`, 'memcached-operator');
  cpSync(source, dir, { recursive: true });
  return dir;
}

function emptyDir(name = 'memcached-operator'): string {
  const dir = join(work, `case-${++counter}`, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-bad-'));
  initialised = join(work, 'base', 'memcached-operator');
  mkdirSync(initialised, { recursive: true });
  assert.equal(runCli(['init', '--domain', 'example.com', '--skip-install'], initialised).code, 0);
  withApi = join(work, 'base-api', 'memcached-operator');
  cpSync(initialised, withApi, { recursive: true });
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], withApi).code, 0);
});
after(() => rmSync(work, { recursive: true, force: true }));

interface BadCase {
  name: string;
  dir: () => string;
  args: string[];
  code: number;
  message: RegExp;
}

const api = (over: Record<string, string>): string[] => {
  const flags = { '--group': 'cache', '--version': 'v1alpha1', '--kind': 'Memcached', ...over };
  return ['create', 'api', ...Object.entries(flags).flatMap(([k, v]) => [k, v])];
};

const cases: BadCase[] = [
  { name: 'lowercase kind', dir: () => copyOf(initialised), args: api({ '--kind': 'memcached' }), code: 1, message: /kind 'memcached' must be PascalCase/ },
  { name: 'kind starting with a digit', dir: () => copyOf(initialised), args: api({ '--kind': '1Memcached' }), code: 1, message: /kind '1Memcached' starts with a digit/ },
  { name: 'kind with a dot', dir: () => copyOf(initialised), args: api({ '--kind': 'Mem.cached' }), code: 1, message: /kind 'Mem\.cached' must be PascalCase/ },
  { name: 'kind with a space', dir: () => copyOf(initialised), args: api({ '--kind': 'Mem cached' }), code: 1, message: /kind 'Mem cached' contains whitespace/ },
  { name: 'kind with a path separator', dir: () => copyOf(initialised), args: api({ '--kind': 'Mem/cached' }), code: 1, message: /kind 'Mem\/cached' contains a path separator/ },
  { name: 'kind that is a reserved word', dir: () => copyOf(initialised), args: api({ '--kind': 'Class' }), code: 1, message: /kind 'Class' is reserved/ },
  { name: 'kind starting with -', dir: () => copyOf(initialised), args: api({ '--kind': '-Memcached' }), code: 1, message: /kind '-Memcached' starts with '-'/ },
  { name: 'invalid group', dir: () => copyOf(initialised), args: api({ '--group': 'Cache_1' }), code: 1, message: /group 'Cache_1' joined with the domain/ },
  { name: 'invalid version', dir: () => copyOf(initialised), args: api({ '--version': 'v1.0' }), code: 1, message: /version 'v1\.0' must match/ },
  { name: 'invalid plural', dir: () => copyOf(initialised), args: [...api({}), '--plural', 'Memcacheds'], code: 1, message: /plural 'Memcacheds' must be a DNS-1035 label/ },
  { name: 'controller for a kind without types', dir: () => copyOf(initialised), args: [...api({ '--kind': 'Backup' }), '--no-resource', '--controller'], code: 1, message: /Backup \(cache\.example\.com\/v1alpha1\) has no API types in this project: the controller would import src\/api\/v1alpha1\/backup\.types\.ts, which does not exist/ },
  { name: 'second controller for another version of a kind', dir: () => copyOf(withApi), args: [...api({ '--version': 'v1' }), '--controller', '--resource'], code: 1, message: /Memcached already has a controller \(src\/controllers\/memcached\.controller\.ts, scaffolded with v1alpha1\)/ },
  { name: 'group that repeats the domain', dir: () => copyOf(initialised), args: api({ '--group': 'cache.example.com' }), code: 1, message: /group 'cache\.example\.com' already ends with the project domain 'example\.com'[\s\S]*for example: --group cache/ },
  { name: 'project name whose namespace is too long', dir: () => emptyDir(), args: ['init', '--project-name', `p${'x'.repeat(58)}9`, '--skip-install'], code: 1, message: /makes the manager namespace '.*-system' 67 characters long, but it must be a DNS-1123 label of at most 63; --project-name can have at most 56 characters/ },
  { name: 'invalid domain', dir: () => emptyDir(), args: ['init', '--domain', 'Example_COM', '--skip-install'], code: 1, message: /domain 'Example_COM' must be a DNS-1123 subdomain/ },
  { name: 'invalid project name', dir: () => emptyDir(), args: ['init', '--project-name', 'My Operator', '--skip-install'], code: 1, message: /project name 'My Operator' must be a DNS-1123 label/ },
  { name: 'invalid directory name as project name', dir: () => emptyDir('My_Operator'), args: ['init', '--skip-install'], code: 2, message: /directory name 'My_Operator' cannot be the project name/ },
  { name: 'domain starting with -', dir: () => emptyDir(), args: ['init', '--domain', '-example.com', '--skip-install'], code: 1, message: /domain '-example\.com' starts with '-'/ },
  { name: 'create api twice', dir: () => copyOf(withApi), args: api({}), code: 1, message: /^Error: API resource already exists: Memcached/ },
  {
    name: 'second API whose files exist',
    dir: () => {
      const dir = copyOf(withApi);
      mkdirSync(join(dir, 'src', 'controllers'), { recursive: true });
      writeFileSync(join(dir, 'src', 'controllers', 'backup.controller.ts'), '// mine\n');
      return dir;
    },
    args: api({ '--kind': 'Backup' }),
    code: 1,
    message: /a file this command would write already exists: src\/controllers\/backup\.controller\.ts/,
  },
  { name: 'init in an initialised directory', dir: () => copyOf(initialised), args: ['init', '--skip-install'], code: 1, message: /already holds an operator-ts project \(PROJECT exists\)/ },
  {
    name: 'corrupt PROJECT',
    dir: () => {
      const dir = copyOf(initialised);
      writeFileSync(join(dir, 'PROJECT'), 'version: "3"\ndomain: [oops\n');
      return dir;
    },
    args: api({}),
    code: 1,
    message: /the PROJECT file is not valid: it is not parsable YAML/,
  },
  {
    name: 'unknown-version PROJECT',
    dir: () => {
      const dir = copyOf(initialised);
      writeFileSync(join(dir, 'PROJECT'), 'version: "7"\ndomain: example.com\nlayout: typescript/v1\nprojectName: x\n');
      return dir;
    },
    args: api({}),
    code: 1,
    message: /PROJECT file has version '7'/,
  },
  { name: 'create api outside a project', dir: () => emptyDir(), args: api({}), code: 1, message: /has no PROJECT file/ },
  { name: 'missing flags without a TTY', dir: () => copyOf(initialised), args: ['create', 'api', '--group', 'cache'], code: 2, message: /missing required flags --version, --kind: values can only be asked for on a terminal/ },
  { name: 'unknown option', dir: () => copyOf(initialised), args: [...api({}), '--frobnicate'], code: 2, message: /unknown option '--frobnicate'/ },
  { name: 'namespaced and cluster-scoped', dir: () => copyOf(initialised), args: [...api({}), '--namespaced', '--cluster-scoped'], code: 2, message: /--namespaced and --cluster-scoped were both given/ },
  { name: 'no resource and no controller', dir: () => copyOf(initialised), args: [...api({}), '--no-resource', '--no-controller'], code: 2, message: /nothing to scaffold/ },
  { name: 'bad license', dir: () => emptyDir(), args: ['init', '--license', 'gpl', '--skip-install'], code: 2, message: /'gpl' is invalid.*apache2, mit, none/ },
  { name: 'mistyped command with --version among its flags', dir: () => emptyDir(), args: ['creat', 'api', '--group', 'infra', '--version', 'v1', '--kind', 'Backup'], code: 2, message: /unknown command 'creat' \(Did you mean create\?\)/ },
  { name: 'flags without a command', dir: () => emptyDir(), args: ['--group', 'infra', '--version', 'v1', '--kind', 'Backup'], code: 2, message: /flags were given without a command: '--group infra --version v1 --kind Backup'[\s\S]*Hint: put the command first, for example: operator-ts create api --group infra/ },
  { name: 'an unknown short flag without a command', dir: () => emptyDir(), args: ['-x'], code: 2, message: /flags were given without a command: '-x'[\s\S]*Hint: run 'operator-ts help' to see the commands/ },
  { name: '--version with other words', dir: () => emptyDir(), args: ['--version', 'v1', '--kind', 'Backup'], code: 2, message: /--version prints the operator-ts version only as the sole argument/ },
  { name: 'a value flag followed by a flag', dir: () => copyOf(initialised), args: ['create', 'api', '--group', 'cache', '--version', '--kind', 'Backup'], code: 2, message: /--version needs a value, but the next word is the flag --kind/ },
  { name: 'help for an unknown command', dir: () => emptyDir(), args: ['help', 'creat'], code: 2, message: /unknown command 'creat' \(Did you mean create\?\)/ },
  { name: 'empty --kind=', dir: () => copyOf(initialised), args: ['create', 'api', '--group', 'cache', '--version', 'v1', '--kind='], code: 1, message: /kind must not be empty \(--kind\)/ },
  { name: 'testenv kubeconfig in a missing directory', dir: () => emptyDir(), args: ['testenv', '--kubeconfig', 'missing-dir/kc'], code: 1, message: /^Error: cannot use \/\S+\/missing-dir\/kc: its directory \/\S+\/missing-dir does not exist\.\nHint: create the directory first \(mkdir -p \/\S+\/missing-dir\)/ },
  { name: 'testenv kubeconfig that is a directory', dir: () => emptyDir(), args: ['testenv', '--kubeconfig', '.'], code: 1, message: /^Error: \/\S+\/memcached-operator is a directory, but a file is needed here\./ },
  { name: 'removed marker', dir: () => { const d = copyOf(initialised); writeFileSync(join(d, 'src', 'main.ts'), '// hand-edited\n'); return d; }, args: api({}), code: 1, message: /src\/main\.ts has no line containing the marker/ },
];

function assertOneClearError(r: RunResult, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error:'));
  assert.equal(errors.length, 1, `exactly one Error: line in ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /\nHint: /, 'a hint follows the error');
}

describe('bad input leaves the tree unchanged', () => {
  for (const c of cases) {
    it(c.name, () => {
      const dir = c.dir();
      const parent = join(dir, '..');
      const before = treeHash(parent);
      const r = runCli(c.args, dir);
      assertOneClearError(r, c.code, c.message);
      assert.equal(treeHash(parent), before, 'file tree unchanged');
    });
  }

  it('an unwritable target', () => {
    const dir = copyOf(initialised);
    const parent = join(dir, '..');
    chmodSync(join(dir, 'config'), 0o555);
    chmodSync(dir, 0o555);
    const before = treeHash(parent);
    let r: RunResult;
    if (process.getuid?.() === 0) {
      // root ignores permissions: run the CLI as nobody (the repo and node are world-readable).
      chmodSync(join(work, `case-${counter}`), 0o777);
      const p = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...api({})], {
        cwd: dir, env: cliEnv({ HOME: parent }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
      r = { code: p.status, signal: p.signal, stdout: p.stdout, stderr: p.stderr };
    } else {
      r = runCli(api({}), dir);
    }
    try {
      assertOneClearError(r, 1, /permission denied|EACCES/);
      assert.equal(treeHash(parent), before, 'file tree unchanged');
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'config'), 0o755);
    }
  });

  for (const [name, dirOf, args] of [
    ['create api', () => copyOf(initialised), api({})],
    ['init into an existing directory', () => emptyDir(), ['init', '--skip-install']],
    ['init into a new directory (staged)', () => join(emptyDir('parent'), 'new-op'), ['init', '--skip-install', '--project-dir', '.']],
  ] as Array<[string, () => string, string[]]>) {
    it(`SIGINT during the write phase of ${name} rolls back and exits 130`, async () => {
      const dir = dirOf();
      const root = join(work, `case-${counter}`);
      const cwd = name.includes('staged') ? join(dir, '..') : dir;
      const finalArgs = name.includes('staged') ? ['init', '--skip-install', '--project-dir', 'new-op'] : args;
      const before = treeHash(root);
      const r = await runCliAndSignal(finalArgs, cwd, cliEnv({ OPERATOR_TS_TEST_COMMIT_STEP_MS: '40' }), 'Writing ', 'SIGINT');
      assert.ok(r.sent, `the write phase started: ${r.stdout} ${r.stderr}`);
      assertOneClearError(r, 130, /interrupted by SIGINT while writing files; every change was rolled back/);
      assert.equal(treeHash(root), before, 'file tree unchanged');
    });
  }
});

describe('init when npm install does not complete', () => {
  it('Ctrl-C during npm install exits 130 and says the project is written but not installed', () => {
    const parent = emptyDir('parent');
    const marker = join(work, `npm-marker-${counter}`);
    const r = runCli(['init', '--project-dir', 'new-op'], parent, fakeNpmEnv('interrupt', { FAKE_NPM_MARKER: marker }));
    assertOneClearError(r, 130, /^Error: npm install was interrupted by SIGINT: the project is written at \S+new-op, but its dependencies are not installed/m);
    assert.match(r.stderr, /\nHint: finish the install with: cd new-op && npm install\n/);
    assert.equal(readFileSync(marker, 'utf8'), 'SIGINT\n', 'npm itself got SIGINT');
    assert.ok(existsSync(join(parent, 'new-op', 'PROJECT')), 'the files written before the install stay');
  });

  it('a failing npm install exits 1 with what npm said and the command to finish', () => {
    const dir = emptyDir();
    const r = runCli(['init'], dir, fakeNpmEnv('fail'));
    assertOneClearError(r, 1, /^Error: npm install failed \(exit code 1\): the project is written at \S+, but its dependencies are not installed\. npm said:\n {2}npm error code E404/m);
    assert.match(r.stderr, /\nHint: fix the problem npm reported, then run: npm install\n/);
  });
});
