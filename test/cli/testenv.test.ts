import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cliEnv, ensureBuilt, runCli } from './cli-harness.js';

let work: string;
before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-testenv-cli-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

describe('operator-ts testenv', () => {
  it('rejects a bad port as a usage error', () => {
    const r = runCli(['testenv', '--port', 'http'], work);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'http' is not a port number/);
  });

  it('serves until SIGINT, writes the kubeconfig kubectl uses, then exits 0', { skip: hasKubectl ? false : 'kubectl is not installed' }, async () => {
    const kubeconfig = join(work, 'testenv.kubeconfig');
    const child = spawn(process.execPath, [bin, 'testenv', '--kubeconfig', kubeconfig], { cwd: work, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('export KUBECONFIG=')) resolve();
      });
      child.on('close', () => reject(new Error(`testenv exited early: ${stdout} ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await ready;
    assert.match(stdout, /http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(existsSync(kubeconfig));
    const get = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'name'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(get.status, 0, get.stderr);
    assert.match(get.stdout, /namespace\/default/);
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
  });
});
