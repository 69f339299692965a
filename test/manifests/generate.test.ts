import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateManifests, planManifests } from '../../src/manifests/index.js';
import { fixturesDir, withProject } from './helpers.js';

describe('generateManifests', () => {
  it('is deterministic: two plans give byte-identical files', async () => {
    const dir = join(fixturesDir, 'memcached');
    const a = await planManifests({ projectDir: dir });
    const b = await planManifests({ projectDir: dir });
    assert.deepEqual(a, b);
    assert.ok(a[0]!.contents.startsWith('---\napiVersion: apiextensions.k8s.io/v1\n'));
  });

  it('writes changed files only, and matches the checked-in expected output', async () => {
    await withProject({}, async (dir) => {
      cpSync(join(fixturesDir, 'memcached'), dir, { recursive: true, filter: (src) => !src.includes('/expected') });
      const first = await generateManifests({ projectDir: dir });
      assert.deepEqual(first, { written: ['config/crd/bases/cache.example.com_memcacheds.yaml', 'config/rbac/role.yaml'], unchanged: [], stale: [] });
      const second = await generateManifests({ projectDir: dir });
      assert.deepEqual(second, { written: [], unchanged: first.written, stale: [] });
      for (const path of first.written) {
        assert.equal(readFileSync(join(dir, path), 'utf8'), readFileSync(join(fixturesDir, 'memcached', 'expected', path), 'utf8'), path);
      }
      assert.deepEqual(readdirSync(join(dir, 'config', 'rbac')), ['role.yaml'], 'no temp files left behind');
    });
  });
});
