import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runCli } from './cli-harness.js';

/** --force regenerates what create api owns, says when it replaces user code, and removes what it no longer produces. */
let dir: string;
before(() => {
  ensureBuilt();
  dir = join(mkdtempSync(join(tmpdir(), 'operator-ts-force-')), 'memcached-operator');
  mkdirSync(dir);
  assert.equal(runCli(['init', '--domain', 'example.com', '--skip-install'], dir).code, 0);
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], dir).code, 0);
});
after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('create api --force', () => {
  it('with a new plural, deletes the old CRD and its kustomization entry and names the replaced user files', () => {
    writeFileSync(join(dir, 'src/controllers/memcached.controller.ts'), '// my reconciler\n');
    const dry = runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--plural', 'memcachedz', '--force', '--dry-run'], dir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^DELETE config\/crd\/bases\/cache\.example\.com_memcacheds\.yaml \(generated earlier, no longer produced\)$/m);
    assert.match(dry.stdout, /^REPLACE src\/controllers\/memcached\.controller\.ts \(--force: your changes to this file are overwritten\)$/m);
    assert.ok(existsSync(join(dir, 'config/crd/bases/cache.example.com_memcacheds.yaml')), 'a dry run deletes nothing');

    const run = runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--plural', 'memcachedz', '--force'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}REPLACE src\/controllers\/memcached\.controller\.ts/m, 'a real run says it too');
    assert.match(run.stdout, /^ {2}DELETE config\/crd\/bases\/cache\.example\.com_memcacheds\.yaml/m);
    assert.equal(existsSync(join(dir, 'config/crd/bases/cache.example.com_memcacheds.yaml')), false);
    assert.ok(existsSync(join(dir, 'config/crd/bases/cache.example.com_memcachedz.yaml')));
    const kustomization = readFileSync(join(dir, 'config/crd/kustomization.yaml'), 'utf8');
    assert.match(kustomization, /^- bases\/cache\.example\.com_memcachedz\.yaml$/m);
    assert.doesNotMatch(kustomization, /memcacheds\.yaml/);
    assert.match(readFileSync(join(dir, 'PROJECT'), 'utf8'), /plural: memcachedz/);
  });
});
