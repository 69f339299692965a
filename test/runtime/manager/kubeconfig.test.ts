import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { KubeConfigError } from '../../../src/runtime/client/rest-transport.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';

// loadFromDefault reads the process environment, so each case sets it and puts it back.
describe('the default kubeconfig', () => {
  const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
  const dirs: string[] = [];
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('names a KUBECONFIG file that cannot be read, with a hint', () => {
    process.env.KUBECONFIG = '/nonexistent/kubeconfig';
    assert.throws(() => new Manager({ logger: silentLogger, healthProbeBindAddress: '0' }), (err: unknown) => {
      assert.ok(err instanceof KubeConfigError);
      assert.match(err.message, /KUBECONFIG=\/nonexistent\/kubeconfig/);
      assert.match(err.hint ?? '', /npm run dev/);
      return true;
    });
  });

  it('refuses to fall back to an unauthenticated localhost:8080 when there is no kubeconfig at all', () => {
    delete process.env.KUBECONFIG;
    const home = mkdtempSync(join(tmpdir(), 'operator-ts-home-'));
    dirs.push(home);
    process.env.HOME = home;
    assert.throws(() => new Manager({ logger: silentLogger, healthProbeBindAddress: '0' }), /no kubeconfig found/);
  });
});
