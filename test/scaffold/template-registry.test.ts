import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TemplateError } from '../../src/scaffold/errors.js';
import { renderTemplates } from '../../src/scaffold/template-registry.js';

let root: string;
function put(path: string, contents: string, mode = 0o644): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, contents, { mode });
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'operator-ts-templates-'));
  put('init/_gitignore', 'node_modules/\n');
  put('init/README.md.hbs', '# {{projectName}}\n{{#if vendored}}vendored{{else}}registry{{/if}}\n');
  put('init/hack/run.sh', '#!/bin/sh\necho {{verbatim}}\n', 0o755);
  put('init/raw.bin', '\u0000\u0001{{not rendered}}');
  put('api/resource/src/api/{{version}}/{{lowerKind}}.types.ts.hbs', 'export interface {{kind}} { apiVersion: \'{{apiVersion}}\' }\n');
  put('api/resource/config/crd/kustomization.yaml.hbs', '{{!-- ifExists: skip --}}\nresources:\n{{marker "crd"}}\n');
  put('api/controller/src/controllers/{{lowerKind}}.controller.ts.hbs', '// {{kind}} <&> "quotes"\n');
  put('bad/x.txt.hbs', '{{missing}}\n');
  put('evil/{{name}}.txt', 'x');
  put('wrongmarker/src/other.ts.hbs', '{{marker "imports"}}\n');
  put('unknownmarker/src/main.ts.hbs', '{{marker "nope"}}\n');
  put('badpolicy/x.txt.hbs', '{{!-- ifExists: sometimes --}}\nx\n');
  put('overwrite/x.txt.hbs', '{{!-- ifExists: overwrite --}}\nx\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

const apiContext = { kind: 'Memcached', lowerKind: 'memcached', version: 'v1alpha1', apiVersion: 'cache.example.com/v1alpha1', resource: true, controller: true };

describe('renderTemplates', () => {
  it('renders .hbs files, copies others verbatim, renames _dotfiles and keeps the executable bit', () => {
    const files = renderTemplates({ set: 'init', templatesDir: root, context: { projectName: 'demo', vendored: true } });
    const byPath = new Map(files.map((f) => [f.path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ['.gitignore', 'README.md', 'hack/run.sh', 'raw.bin']);
    assert.equal(byPath.get('README.md')!.contents.toString(), '# demo\nvendored\n');
    assert.equal(byPath.get('hack/run.sh')!.contents.toString(), '#!/bin/sh\necho {{verbatim}}\n');
    assert.equal(byPath.get('hack/run.sh')!.mode, 0o755);
    assert.equal(byPath.get('raw.bin')!.contents.toString(), '\u0000\u0001{{not rendered}}');
    assert.ok(files.every((f) => f.policy === 'error'));
  });

  it('renders path placeholders, does not escape, and honours resource/controller', () => {
    const all = renderTemplates({ set: 'api', templatesDir: root, context: apiContext });
    assert.deepEqual(all.map((f) => f.path).sort(), [
      'config/crd/kustomization.yaml', 'src/api/v1alpha1/memcached.types.ts', 'src/controllers/memcached.controller.ts',
    ]);
    assert.equal(all.find((f) => f.path.endsWith('.controller.ts'))!.contents.toString(), '// Memcached <&> "quotes"\n');
    const kustomization = all.find((f) => f.path === 'config/crd/kustomization.yaml')!;
    assert.equal(kustomization.policy, 'skip');
    assert.equal(kustomization.contents.toString(), 'resources:\n# +operator-ts:scaffold:crdkustomizeresource\n', 'the policy header is not written');
    const noController = renderTemplates({ set: 'api', templatesDir: root, context: { ...apiContext, controller: false } });
    assert.equal(noController.some((f) => f.path.includes('controllers')), false);
    const noResource = renderTemplates({ set: 'api', templatesDir: root, context: { ...apiContext, resource: false } });
    assert.deepEqual(noResource.map((f) => f.path), ['src/controllers/memcached.controller.ts']);
  });

  it('fails on a missing context value (strict mode) naming the template', () => {
    assert.throws(() => renderTemplates({ set: 'bad' as 'init', templatesDir: root, context: {} }), (error: unknown) => {
      assert.ok(error instanceof TemplateError);
      assert.match(error.message, /templates\/bad\/x\.txt\.hbs/);
      assert.match(error.message, /missing/);
      return true;
    });
  });

  it('takes the write policy from the template header and refuses an unknown one', () => {
    assert.equal(renderTemplates({ set: 'overwrite' as 'init', templatesDir: root, context: {} })[0]!.policy, 'overwrite');
    assert.throws(() => renderTemplates({ set: 'badpolicy' as 'init', templatesDir: root, context: {} }), /ifExists 'sometimes' is not one of error, skip, overwrite/);
  });

  it('writes a marker only into the file it belongs to, and refuses unknown markers', () => {
    assert.throws(() => renderTemplates({ set: 'wrongmarker' as 'init', templatesDir: root, context: {} }), /marker 'imports' belongs to src\/main\.ts, not src\/other\.ts/);
    assert.throws(() => renderTemplates({ set: 'unknownmarker' as 'init', templatesDir: root, context: {} }), /unknown marker "nope"/);
  });

  it('refuses a path segment that renders to a path separator', () => {
    assert.throws(() => renderTemplates({ set: 'evil' as 'init', templatesDir: root, context: { name: '../x' } }), /unsafe name/);
  });

  it('fails clearly when the template set is missing', () => {
    assert.throws(() => renderTemplates({ set: 'none' as 'init', templatesDir: root, context: {} }), /template directory .* cannot be read/);
  });
});
