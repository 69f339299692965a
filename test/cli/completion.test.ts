import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { ensureBuilt, runCli } from './cli-harness.js';

/** Sources the generated bash script and asks it to complete `words` (the last one is being typed). */
function complete(script: string, words: string[]): string[] {
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _operator_ts_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;

describe('bash completion', { skip: hasBash ? false : 'bash is not installed' }, () => {
  let script = '';
  before(() => {
    ensureBuilt();
    script = runCli(['completion', 'bash'], tmpdir()).stdout;
  });

  it('completes commands, subcommands, flags and shells', () => {
    assert.deepEqual(complete(script, ['operator-ts', 'cr']), ['create']);
    assert.deepEqual(complete(script, ['operator-ts', 'create', '']), ['api', '--help']);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--gr']), ['--group']);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--group', 'cache', '--ki']), ['--kind']);
    assert.deepEqual(complete(script, ['operator-ts', 'completion', '']).sort(), ['--help', 'bash', 'fish', 'zsh']);
    assert.ok(complete(script, ['operator-ts', 'init', '--']).includes('--skip-install'));
  });
});
