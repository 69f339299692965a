import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorTsError, ValidationError } from '../../src/errors.js';
import { InterruptedError, UsageError } from '../../src/scaffold/errors.js';
import { reportError } from '../../src/cli/exit.js';
import { main, rewriteHelp } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli-harness.js';

function capture(error: unknown): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = reportError(error, (l) => lines.push(l));
  return { code, lines };
}

function memoryIo(): CliIo & { stdout: string[]; stderrLines: string[] } {
  const stdout: string[] = [];
  const stderrLines: string[] = [];
  return {
    out: (l) => stdout.push(l), err: (l) => stderrLines.push(l), stderr: process.stderr, cwd: process.cwd(), env: {},
    interactive: false, stdout, stderrLines,
  };
}

describe('error reporting and exit codes', () => {
  it('prints Error and Hint for our errors; usage errors exit 2, interrupts 130, others 1', () => {
    assert.deepEqual(capture(new ValidationError("kind 'x' is bad.", { hint: 'for example: --kind X' })), {
      code: 1, lines: ["Error: kind 'x' is bad.", 'Hint: for example: --kind X'],
    });
    assert.equal(capture(new UsageError('missing flag', { hint: 'pass it' })).code, 2);
    assert.equal(capture(new InterruptedError('SIGINT')).code, 130);
    assert.equal(capture(new OperatorTsError('EX', 'no hint')).lines.length, 1);
  });

  it('turns unexpected errors into one message with a hint, exit 1', () => {
    const { code, lines } = capture(new TypeError('boom'));
    assert.equal(code, 1);
    assert.deepEqual(lines, ['Error: unexpected failure: boom', "Hint: this is a bug in operator-ts; run again with OPERATOR_TS_DEBUG=1 and report the output"]);
  });

  it('maps commander errors: help/version 0, usage 2', async () => {
    const io = memoryIo();
    assert.equal(await main(['node', 'operator-ts', '--version'], io), 0);
    assert.match(io.stdout.join('\n'), /^\d+\.\d+\.\d+$/);
    assert.equal(await main(['node', 'operator-ts', 'init', '--nope'], io), 2);
    assert.equal(io.stderrLines.filter((l) => l.startsWith('Error:')).length, 1);
    assert.equal(await main(['node', 'operator-ts', 'nope'], memoryIo()), 2);
    assert.equal(await main(['node', 'operator-ts'], memoryIo()), 2, 'no command: help on stderr, usage error');
  });

  it('the version flag works only alone; with other words it is never taken as the root flag', async () => {
    for (const flag of ['--version', '-V']) {
      const io = memoryIo();
      assert.equal(await main(['node', 'operator-ts', flag], io), 0);
      assert.equal(io.stdout.length, 1, flag);
      assert.match(io.stdout[0]!, /^\d+\.\d+\.\d+$/);
    }
    for (const args of [['creat', 'api', '--group', 'infra', '--version', 'v1', '--kind', 'Backup'], ['--group', 'infra', '--version', 'v1'], ['--version', 'v1']]) {
      const io = memoryIo();
      assert.equal(await main(['node', 'operator-ts', ...args], io), 2, args.join(' '));
      assert.deepEqual(io.stdout, [], `nothing on stdout for ${args.join(' ')}`);
      assert.equal(io.stderrLines.filter((l) => l.startsWith('Error:')).length, 1);
    }
  });

  it('reports file-system errors on user paths as user errors naming the path, but not errors inside the package', () => {
    let enoent: unknown;
    try {
      readFileSync('/nonexistent-operator-ts/dir/kc');
    } catch (error) {
      enoent = error;
    }
    const { code, lines } = capture(enoent);
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      'Error: cannot use /nonexistent-operator-ts/dir/kc: its directory /nonexistent-operator-ts/dir does not exist.',
      'Hint: create the directory first (mkdir -p /nonexistent-operator-ts/dir), or choose a path in an existing directory',
    ]);
    const inside = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open', path: join(repoRoot, 'templates', 'gone.hbs') });
    assert.match(capture(inside).lines[1]!, /this is a bug in operator-ts/);
  });

  it('rewrites help for nested commands', () => {
    assert.deepEqual(rewriteHelp(['node', 'x', 'help', 'create', 'api']), ['node', 'x', 'create', 'api', '--help']);
    assert.deepEqual(rewriteHelp(['node', 'x', 'help']), ['node', 'x', '--help']);
    assert.deepEqual(rewriteHelp(['node', 'x', 'init', 'help']), ['node', 'x', 'init', 'help']);
  });
});
