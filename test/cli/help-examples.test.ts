import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { bin, cliEnv, ensureBuilt, fakeNpmDir, runCli } from './cli-harness.js';

/**
 * Every example in every command's --help must work as printed: each `$ ...` line that calls
 * operator-ts runs in bash, in a fresh directory prepared for its command (an empty directory for
 * init, a project for create api, one with two versions of an API for create webhook, a project with an API for generate and testenv, one with a bundle for bundle, and with a built stand-in
 * operator for dev), with operator-ts
 * and a fake npm on PATH. testenv examples run until they print the kubeconfig, then get Ctrl-C.
 */
let work: string;
let pathDir: string;
let home: string;
let initialised: string;
let withApi: string;
let built: string;
let withBundle: string;
let withVersions: string;
let counter = 0;

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const program = buildProgram({
  out: () => undefined, err: () => undefined, stderr: process.stderr, cwd: process.cwd(), env: {}, interactive: false,
});
const pages: string[][] = [[], ...commandPaths(program)];

/** The `$ ...` lines under Examples:, without the prompt and trailing comments. */
function examplesOf(help: string): string[] {
  const at = help.search(/^Examples?:$/m);
  if (at < 0) return [];
  return help.slice(at).split('\n').slice(1)
    .filter((line) => line.startsWith('  $ '))
    .map((line) => line.slice(4).replace(/\s+#.*$/, '').trim());
}

function fixtureFor(example: string): string | undefined {
  const word = /operator-ts\s+(\S+)/.exec(example)?.[1];
  if (word === 'create') return /operator-ts\s+create\s+webhook/.test(example) ? withVersions : initialised;
  if (word === 'generate' || word === 'testenv') return withApi;
  if (word === 'dev') return built;
  if (word === 'bundle') return withBundle;
  return undefined;
}

/** W/memcached-operator holds the fixture (or is empty); examples with --project-dir run in W. */
function workdirFor(example: string): string {
  const root = join(work, `example-${++counter}`);
  const project = join(root, 'memcached-operator');
  const fixture = fixtureFor(example);
  if (fixture === undefined) mkdirSync(project, { recursive: true });
  else cpSync(fixture, project, { recursive: true });
  return example.includes('--project-dir') ? root : project;
}

function env(): NodeJS.ProcessEnv {
  return cliEnv({ PATH: `${pathDir}${delimiter}${fakeNpmDir}${delimiter}${process.env['PATH'] ?? ''}`, HOME: home, FAKE_NPM: 'ok' });
}

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-examples-'));
  pathDir = join(work, 'bin');
  mkdirSync(pathDir);
  writeFileSync(join(pathDir, 'operator-ts'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(join(pathDir, 'operator-ts'), 0o755);
  home = join(work, 'home');
  mkdirSync(join(home, '.config', 'fish', 'completions'), { recursive: true });
  initialised = join(work, 'fixtures', 'initialised');
  mkdirSync(initialised, { recursive: true });
  assert.equal(runCli(['init', '--domain', 'example.com', '--project-name', 'memcached-operator', '--skip-install'], initialised).code, 0);
  withApi = join(work, 'fixtures', 'with-api');
  cpSync(initialised, withApi, { recursive: true });
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], withApi).code, 0);
  // create webhook examples need an API, and --conversion a second version of its kind.
  withVersions = join(work, 'fixtures', 'with-versions');
  cpSync(withApi, withVersions, { recursive: true });
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--resource', '--no-controller'], withVersions).code, 0);
  withBundle = join(work, 'fixtures', 'with-bundle');
  cpSync(withApi, withBundle, { recursive: true });
  assert.equal(runCli(['generate', 'bundle'], withBundle).code, 0);
  // dev runs the built operator; a stand-in entry that checks it can reach the server and exits 0 is enough here.
  built = join(work, 'fixtures', 'built');
  cpSync(withApi, built, { recursive: true });
  mkdirSync(join(built, 'dist'));
  writeFileSync(join(built, 'dist', 'main.js'), "if (!process.env.KUBECONFIG) process.exit(1);\n");
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs a long-running example until it prints the kubeconfig line, then interrupts it like Ctrl-C. */
function runUntilReady(example: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // exec: the signal reaches operator-ts itself, not the shell in front of it.
    const child = spawn('bash', ['-c', `exec ${example}`], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!sent && output.includes('export KUBECONFIG=')) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('every --help example works', () => {
  let total = 0;
  after(() => assert.ok(total >= 15, `found ${total} examples that call operator-ts; the extraction is broken`));

  for (const page of pages) {
    it(`operator-ts ${[...page, '--help'].join(' ')}`, async () => {
      const help = runCli([...page, '--help'], work);
      assert.equal(help.code, 0, help.stderr);
      const examples = examplesOf(help.stdout).filter((e) => /(^|[\s(])operator-ts\s/.test(e));
      assert.ok(examples.length > 0 || page.length === 1 && ['create', 'generate', 'bundle'].includes(page[0]!), `no examples in ${page.join(' ')} --help`);
      for (const example of examples) {
        total++;
        const cwd = workdirFor(example);
        if (/operator-ts testenv/.test(example)) {
          const r = await runUntilReady(example, cwd);
          assert.equal(r.code, 0, `${example}\n${r.output}`);
          continue;
        }
        // zsh examples run in zsh when it is installed; otherwise their operator-ts command alone.
        const zsh = /completion zsh/.test(example);
        const hasZsh = zsh && spawnSync('zsh', ['-c', 'true']).status === 0;
        const line = zsh && !hasZsh ? /operator-ts completion zsh/.exec(example)![0] : example;
        const r = spawnSync(hasZsh ? 'zsh' : 'bash', ['-c', `set -e\n${line}`], { cwd, env: env(), encoding: 'utf8' });
        assert.equal(r.status, 0, `${example}\n${r.stdout}\n${r.stderr}`);
      }
    });
  }
});
