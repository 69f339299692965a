import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { guardOutput } from '../../src/cli/closed-output.js';
import { bin, cliEnv, ensureBuilt } from './cli-harness.js';

/** A stream whose every write fails with `code`, and one that records what it gets. */
function failing(code: string): Writable & { attempts: number } {
  const stream = Object.assign(new Writable({
    write(_chunk, _enc, callback) {
      stream.attempts++;
      callback(Object.assign(new Error(`write ${code}`), { code }));
    },
  }), { attempts: 0 });
  return stream;
}
function recording(): Writable & { text: string } {
  const stream = Object.assign(new Writable({
    write(chunk: Buffer, _enc, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }), { text: '' });
  return stream;
}
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('closed output streams', () => {
  it('EPIPE closes the stream quietly: no throw, no failure, later writes dropped', async () => {
    const out = failing('EPIPE');
    const err = recording();
    let failures = 0;
    const guard = guardOutput(out, err, () => failures++);
    guard.out.write('line 1\n');
    await tick();
    assert.equal(guard.out.closed, true);
    guard.out.write('line 2\n');
    await tick();
    assert.equal(out.attempts, 1, 'nothing is written after the reader went away');
    assert.equal(guard.failed, false);
    assert.equal(failures, 0);
    assert.equal(err.text, '');
  });

  it('another write error is a failure, reported on the other stream', async () => {
    const out = failing('ENOSPC');
    const err = recording();
    let failures = 0;
    const guard = guardOutput(out, err, () => failures++);
    guard.out.write('data\n');
    await tick();
    assert.equal(guard.failed, true);
    assert.equal(failures, 1);
    assert.match(err.text, /^Error: writing to stdout failed \(ENOSPC\); the output is incomplete\.\n$/);
  });

  it('`operator-ts help create api` into a closed pipe exits 0 without a stack trace', { skip: process.platform === 'win32' }, async () => {
    ensureBuilt();
    const child = spawn(process.execPath, [bin, 'help', 'create', 'api'], { cwd: tmpdir(), env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    // Close the reading end before the CLI has started: every write it makes gets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });
});
