import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runCli } from './cli-harness.js';

/** Sources the generated bash script and asks it to complete `words` (the last one is being typed). */
function complete(script: string, words: string[], cwd = tmpdir()): string[] {
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _operator_ts_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8', cwd });
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
    assert.deepEqual(complete(script, ['operator-ts', 'create', '']), ['api', 'webhook', '--help']);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'webhook', '--prog']), ['--programmatic-validation']);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--gr']), ['--group']);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--group', 'cache', '--ki']), ['--kind']);
    assert.deepEqual(complete(script, ['operator-ts', 'completion', '']).sort(), ['--help', 'bash', 'fish', 'zsh']);
    assert.ok(complete(script, ['operator-ts', 'init', '--']).includes('--skip-install'));
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--group', 'cache', '']).filter((w) => !w.startsWith('--')), [], 'a flag value is not a command');
  });

  it('offers the choices after --license, also as --license=', () => {
    assert.deepEqual(complete(script, ['operator-ts', 'init', '--license', '']), ['apache2', 'mit', 'none']);
    assert.deepEqual(complete(script, ['operator-ts', 'init', '--license', 'm']), ['mit']);
    assert.deepEqual(complete(script, ['operator-ts', 'init', '--license', '=', '']), ['apache2', 'mit', 'none']);
    assert.deepEqual(complete(script, ['operator-ts', 'init', '--license', 'mit', '--sk']), ['--skip-install'], 'flags again after the value');
  });

  it('offers nothing after a value flag such as --domain, --group or --kind', () => {
    assert.deepEqual(complete(script, ['operator-ts', 'init', '--domain', '']), []);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--group', '']), []);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--group', 'cache', '--kind', '']), []);
    assert.deepEqual(complete(script, ['operator-ts', 'create', 'api', '--version', '--']), [], 'a value may start with -');
  });

  it('offers file names after path flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'operator-ts-completion-'));
    try {
      mkdirSync(join(dir, 'config'));
      assert.deepEqual(complete(script, ['operator-ts', 'testenv', '--crds', 'con'], dir), ['config']);
      assert.deepEqual(complete(script, ['operator-ts', 'init', '--project-dir', ''], dir), ['config']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
