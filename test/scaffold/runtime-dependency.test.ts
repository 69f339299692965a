import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRuntimeDependency } from '../../src/scaffold/runtime-dependency.js';
import { runsFromSourceCheckout, type PackageInfo } from '../../src/scaffold/package-info.js';

let root: string;
let cacheDir: string;
let info: PackageInfo;

before(() => {
  const base = mkdtempSync(join(tmpdir(), 'operator-ts-vendor-'));
  root = join(base, 'pkg');
  cacheDir = join(base, 'cache');
  mkdirSync(join(root, 'dist', 'runtime'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fake-operator-ts', version: '1.2.3', files: ['dist/'] }));
  writeFileSync(join(root, 'dist', 'runtime', 'index.js'), 'export {};\n');
  info = { root, name: 'fake-operator-ts', version: '1.2.3', clientNodeRange: '^1.4.0', commanderRange: '^14.0.3' };
});
after(() => rmSync(join(root, '..'), { recursive: true, force: true }));

/** Runs fn with npm unreachable, so any attempt to pack fails. */
async function withoutNpm<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env['PATH'];
  process.env['PATH'] = '/nonexistent';
  try {
    return await fn();
  } finally {
    process.env['PATH'] = saved;
  }
}

describe('runtime dependency of generated projects', () => {
  it('is a semver range when installed from a registry', async () => {
    assert.deepEqual(await resolveRuntimeDependency({ info, fromSource: false }), { spec: '^1.2.3', vendored: false });
  });

  it('honours an explicit spec', async () => {
    assert.deepEqual(await resolveRuntimeDependency({ info, overrideSpec: 'file:/src/operator-ts' }), { spec: 'file:/src/operator-ts', vendored: false });
  });

  it('detects a source checkout by not living in node_modules', () => {
    assert.equal(runsFromSourceCheckout('/home/me/operator-ts'), true);
    assert.equal(runsFromSourceCheckout('/app/node_modules/operator-ts'), false);
  });

  it('packs the package into vendor/ from a source checkout, then reuses the cached tarball', async () => {
    const dep = await resolveRuntimeDependency({ info, fromSource: true, cacheDir });
    assert.equal(dep.spec, 'file:vendor/fake-operator-ts-1.2.3.tgz');
    assert.equal(dep.vendored, true);
    assert.equal(dep.tarball!.path, 'vendor/fake-operator-ts-1.2.3.tgz');
    assert.deepEqual([...dep.tarball!.contents.subarray(0, 2)], [0x1f, 0x8b], 'a gzip tarball');
    const again = await withoutNpm(() => resolveRuntimeDependency({ info, fromSource: true, cacheDir }));
    assert.ok(again.tarball!.contents.equals(dep.tarball!.contents), 'served from the cache without npm');
  });

  it('packs again after a rebuild, and reports a failing npm pack clearly', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'dist', 'runtime', 'index.js'), later, later);
    await assert.rejects(withoutNpm(() => resolveRuntimeDependency({ info, fromSource: true, cacheDir })), /packing the operator-ts runtime from .* with 'npm pack' failed/);
  });

  it('asks for a build when dist/ is missing', async () => {
    await assert.rejects(resolveRuntimeDependency({ info: { ...info, root: join(root, 'nowhere') }, fromSource: true, cacheDir }), (error: unknown) => {
      assert.match((error as Error).message, /runtime is not built/);
      assert.match((error as { hint: string }).hint, /npm run build/);
      return true;
    });
  });
});
