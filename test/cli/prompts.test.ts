import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cliEnv, ensureBuilt, repoRoot, runCli } from './cli-harness.js';

/** Prompts only happen on a terminal; these tests drive the real bin on a pseudo-terminal (python3 pty). */
const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;
const driver = join(repoRoot, 'test', 'cli', 'fixtures', 'pty-drive.py');
let work: string;

function onTty(args: string[], cwd: string, answers: string[]): { screen: string; code: number } {
  const r = spawnSync('python3', [driver, process.execPath, bin, ...args], {
    cwd, env: cliEnv({ ANSWERS: answers.join('|') }), encoding: 'utf8', timeout: 60_000,
  });
  const match = /exit (-?\d+)\s*$/.exec(r.stdout);
  return { screen: r.stdout, code: match ? Number(match[1]) : -999 };
}

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-tty-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('prompts on a terminal', { skip: hasPython ? false : 'python3 with pty is not installed' }, () => {
  it('init asks for domain and project name, re-asking on an invalid value', () => {
    const dir = join(work, 'tty-init');
    mkdirSync(dir);
    // The invalid answer stays on the line for editing: erase it (DEL) and type a valid one.
    const r = onTty(['init', '--skip-install'], dir, ['Bad_Domain', `${'\x7f'.repeat(10)}example.com`, 'my-op']);
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /domain 'Bad_Domain' must be a DNS-1123 subdomain/);
    assert.match(readFileSync(join(dir, 'PROJECT'), 'utf8'), /domain: example\.com\n[\s\S]*projectName: my-op/);
  });

  it('create api asks for missing values and Create Resource / Create Controller, re-asking non y/n answers', () => {
    const dir = join(work, 'tty-api');
    mkdirSync(dir);
    assert.equal(runCli(['init', '--skip-install', '--domain', 'example.com'], dir).code, 0);
    const r = onTty(['create', 'api'], dir, ['cache', '', 'Memcached', 'maybe', 'y', 'n']);
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /Create Resource \[y\/n\]/);
    assert.match(r.screen, /answer 'y' or 'n'/);
    assert.match(r.screen, /Create Controller \[y\/n\]/);
    assert.ok(existsSync(join(dir, 'src/api/v1alpha1/memcached.types.ts')));
    assert.equal(existsSync(join(dir, 'src/controllers/memcached.controller.ts')), false, 'answered n to Create Controller');
  });

  it('--yes accepts the defaults without asking', () => {
    const dir = join(work, 'tty-yes');
    mkdirSync(dir);
    const r = onTty(['init', '--skip-install', '--yes'], dir, []);
    assert.equal(r.code, 0, r.screen);
    assert.match(readFileSync(join(dir, 'PROJECT'), 'utf8'), /domain: my\.domain\n[\s\S]*projectName: tty-yes/);
  });
});
