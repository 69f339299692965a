/**
 * The webhook templates as `create webhook` writes them: a project rendered in memory (init, APIs, then webhooks of
 * every type on a namespaced and a cluster-scoped kind) is written out and typechecked with the project's own
 * tsconfig against the built operator-ts, so a template that does not compile fails here, not in a user's project.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { planCreateWebhook, type WebhookPlanInput } from '../../src/scaffold/webhook-plan.js';
import { packageInfo } from '../../src/scaffold/package-info.js';
import { MemoryView, assertNoConflicts } from '../../src/scaffold/plan.js';
import { ensureBuilt, repoRoot } from '../cli/cli-harness.js';
import { renderProject, writeProject } from './render.js';

type Hooks = Pick<WebhookPlanInput, 'group' | 'version' | 'kind' | 'defaulting' | 'validation' | 'conversion'>;

async function withWebhooks(files: Map<string, string>, hooks: Hooks[]): Promise<Map<string, string>> {
  for (const h of hooks) {
    const { plan } = await planCreateWebhook({
      view: new MemoryView(Object.fromEntries(files)), force: false, year: 2026, info: packageInfo(), manifests: async () => [], ...h,
    }, '/memory/project');
    assertNoConflicts(plan);
    for (const e of plan.entries) if (e.action !== 'skip') files.set(e.path, e.contents.toString('utf8'));
  }
  return files;
}

/** node_modules of the written project: the repository's dependencies, and operator-ts itself as built. */
function linkModules(dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
    if (!entry.startsWith('.')) symlinkSync(join(repoRoot, 'node_modules', entry), join(modules, entry), 'dir');
  }
  symlinkSync(repoRoot, join(modules, 'operator-ts'), 'dir');
}

function typecheck(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('webhook templates', () => {
  let dir: string;
  let files: Map<string, string>;

  before(async () => {
    ensureBuilt();
    files = await renderProject({}, [
      { group: 'cache', version: 'v1alpha1', kind: 'Memcached' },
      { group: 'cache', version: 'v1', kind: 'Memcached', controller: false },
      { group: 'cache', version: 'v1beta1', kind: 'Memcached', controller: false },
      { group: 'ops', version: 'v1', kind: 'StaticSite', namespaced: false },
    ]);
    await withWebhooks(files, [
      { group: 'cache', version: 'v1alpha1', kind: 'Memcached', defaulting: true, validation: false, conversion: false },
      { group: 'cache', version: 'v1alpha1', kind: 'Memcached', defaulting: false, validation: true, conversion: false },
      { group: 'cache', version: 'v1', kind: 'Memcached', defaulting: true, validation: true, conversion: true },
      { group: 'ops', version: 'v1', kind: 'StaticSite', defaulting: true, validation: true, conversion: false },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'operator-ts-webhook-templates-'));
    writeProject(dir, files);
    linkModules(dir);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one file per version, kind and type, a test for each, and one registration per kind', () => {
    const webhookFiles = [...files.keys()].filter((p) => p.includes('webhooks/')).sort();
    assert.deepEqual(webhookFiles, [
      'src/webhooks/memcached.webhook.ts',
      'src/webhooks/staticsite.webhook.ts',
      'src/webhooks/v1/memcached.defaulter.ts',
      'src/webhooks/v1/memcached.validator.ts',
      'src/webhooks/v1/staticsite.defaulter.ts',
      'src/webhooks/v1/staticsite.validator.ts',
      'src/webhooks/v1alpha1/memcached.conversion.ts',
      'src/webhooks/v1alpha1/memcached.defaulter.ts',
      'src/webhooks/v1alpha1/memcached.validator.ts',
      'src/webhooks/v1beta1/memcached.conversion.ts',
      'test/webhooks/v1/memcached.defaulter.test.ts',
      'test/webhooks/v1/memcached.validator.test.ts',
      'test/webhooks/v1/staticsite.defaulter.test.ts',
      'test/webhooks/v1/staticsite.validator.test.ts',
      'test/webhooks/v1alpha1/memcached.conversion.test.ts',
      'test/webhooks/v1alpha1/memcached.defaulter.test.ts',
      'test/webhooks/v1alpha1/memcached.validator.test.ts',
      'test/webhooks/v1beta1/memcached.conversion.test.ts',
    ]);
    const main = files.get('src/main.ts')!;
    assert.equal(main.split('setupMemcachedWebhooks(manager);').length, 2);
    assert.equal(main.split('setupStaticSiteWebhooks(manager);').length, 2);
  });

  it('tests defaulting and validation through the embedded server with the webhook configurations of config/webhook', () => {
    for (const type of ['defaulter', 'validator']) {
      const test = files.get(`test/webhooks/v1alpha1/memcached.${type}.test.ts`)!;
      assert.match(test, /startTestEnv\(\{ crds: \['config\/crd\/bases'\], webhooks: \{ paths: \['config\/webhook'\] \} \}\)/);
      assert.match(test, /const \{ host, port, certDir \} = env\.webhookInstallOptions!;[\s\S]*webhook: \{ host, port, certDir \}/);
      assert.match(test, /setupMemcachedWebhooks\(manager\);/);
    }
    assert.match(files.get('test/webhooks/v1/staticsite.defaulter.test.ts')!, /cluster-scoped: its objects have no namespace/);
  });

  it('typechecks with the generated tsconfig against the built operator-ts', () => {
    assert.deepEqual(typecheck(dir), []);
  });
});
