/**
 * End to end: the real CLI scaffolds a project, adds an API and its defaulting and validating webhooks, and the
 * project builds and passes its own generated tests — the webhook tests run against the embedded API server with
 * the webhook configurations `create webhook` writes to config/webhook.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from './process.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const cli = join(repoRoot, 'bin', 'operator-ts.js');

describe('generated project with webhooks', { concurrency: false }, () => {
  let workDir: string;
  let project: string;

  before(async () => {
    assert.ok(existsSync(join(repoRoot, 'dist', 'cli', 'main.js')), 'run `npm run build` before the end-to-end tests');
    workDir = await mkdtemp(join(tmpdir(), 'operator-ts-e2e-webhook-'));
    project = join(workDir, 'memcached-operator');
    await mkdir(project);
  });

  after(async () => {
    if (workDir && !process.env.OPERATOR_TS_KEEP_E2E) await rm(workDir, { recursive: true, force: true });
  });

  it('create webhook adds a defaulter and a validator to a new API, registered in src/main.ts', async () => {
    await run(process.execPath, [cli, 'init', '--domain', 'example.com', '--yes'], { cwd: project });
    await run(process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], { cwd: project });
    const out = await run(process.execPath, [cli, 'create', 'webhook', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--defaulting', '--programmatic-validation'], { cwd: project });
    assert.match(out.stdout, /Next steps:/);
    assert.match(await readFile(join(project, 'src', 'main.ts'), 'utf8'), /setupMemcachedWebhooks\(manager\);/);
    assert.match(await readFile(join(project, 'PROJECT'), 'utf8'), /webhooks:\n {6}defaulting: true\n {6}validation: true/);
  });

  it('create webhook --conversion makes a second version the hub, with a converter for the first', async () => {
    await run(process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--resource', '--no-controller'], { cwd: project });
    await run(process.execPath, [cli, 'create', 'webhook', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--conversion'], { cwd: project });
    assert.match(await readFile(join(project, 'config', 'crd', 'bases', 'cache.example.com_memcacheds.yaml'), 'utf8'), /conversion:\n {4}strategy: Webhook/);
    assert.match(await readFile(join(project, 'src', 'webhooks', 'memcached.webhook.ts'), 'utf8'), /withConversion\(\{ hub: 'v1', spokes: \{ v1alpha1: v1alpha1Converter \} \}\)/);
  });

  it('builds, and its generated webhook tests pass against the embedded API server', async () => {
    await run('npm', ['run', 'manifests'], { cwd: project });
    assert.ok(existsSync(join(project, 'config', 'webhook', 'manifests.yaml')), 'npm run manifests wrote config/webhook/manifests.yaml');
    await run('npm', ['run', 'build'], { cwd: project });
    const test = await run('npm', ['test'], { cwd: project });
    assert.match(test.stdout, /# fail 0/);
    assert.match(test.stdout, /^ {4}ok \d+ - sets the defaulted label on create$/m);
    assert.match(test.stdout, /^ {4}ok \d+ - allows a valid Memcached and denies an invalid one with the validator's message$/m);
    assert.match(test.stdout, /^ {4}ok \d+ - round-trips a v1alpha1 object through the hub$/m);
    assert.match(test.stdout, /^ {8}ok \d+ - serves a v1alpha1 object as v1 and back as it was created$/m);
  });
});
