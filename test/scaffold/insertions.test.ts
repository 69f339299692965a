import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MarkerNotFoundError } from '../../src/scaffold/errors.js';
import {
  apiInsertions, applyApiInsertions, enableCrdInDefaultKustomization, insertAtMarker, removeLines,
} from '../../src/scaffold/insertions.js';
import { MARKERS } from '../../src/scaffold/markers.js';
import { MemoryView, PlanBuilder } from '../../src/scaffold/plan.js';

const MAIN = `import { Manager } from 'operator-ts/runtime';
// +operator-ts:scaffold:imports

async function main() {
  const manager = new Manager();
  // +operator-ts:scaffold:controllers
  await manager.start();
}
`;

describe('insertAtMarker', () => {
  it('inserts above the marker with its indentation', () => {
    const out = insertAtMarker(MAIN, 'src/main.ts', MARKERS.controllers.text, ['setupFooController(manager);']);
    assert.match(out, /\n {2}setupFooController\(manager\);\n {2}\/\/ \+operator-ts:scaffold:controllers\n/);
  });
  it('is idempotent', () => {
    const once = insertAtMarker(MAIN, 'src/main.ts', MARKERS.imports.text, ["import { a } from './a.js';"]);
    const twice = insertAtMarker(once, 'src/main.ts', MARKERS.imports.text, ["import { a } from './a.js';"]);
    assert.equal(twice, once);
    assert.equal(once.split("import { a } from './a.js';").length, 2);
  });
  it('inserts only the missing lines of a multi-line fragment', () => {
    const text = 'resources:\n- a.yaml\n# +operator-ts:scaffold:rbac\n';
    assert.equal(insertAtMarker(text, 'k.yaml', MARKERS.rbac.text, ['- a.yaml', '- b.yaml']), 'resources:\n- a.yaml\n- b.yaml\n# +operator-ts:scaffold:rbac\n');
  });
  it('keeps CRLF line endings', () => {
    const out = insertAtMarker('a\r\n# +operator-ts:scaffold:rbac\r\n', 'k.yaml', MARKERS.rbac.text, ['- x.yaml']);
    assert.equal(out, 'a\r\n- x.yaml\r\n# +operator-ts:scaffold:rbac\r\n');
  });
  it('fails clearly when the marker is gone', () => {
    assert.throws(() => insertAtMarker('no markers here\n', 'src/main.ts', MARKERS.imports.text, ['x']), (error: unknown) => {
      assert.ok(error instanceof MarkerNotFoundError);
      assert.match(error.message, /src\/main\.ts has no line containing the marker '\/\/ \+operator-ts:scaffold:imports'/);
      return true;
    });
  });
});

describe('removeLines', () => {
  it('removes exactly the given entries, whatever their indentation, and keeps CRLF', () => {
    assert.equal(removeLines('resources:\n- bases/a.yaml\n  - bases/b.yaml\n# marker\n', ['- bases/b.yaml']), 'resources:\n- bases/a.yaml\n# marker\n');
    assert.equal(removeLines('a\r\n- x\r\nb\r\n', ['- x']), 'a\r\nb\r\n');
    assert.equal(removeLines('- bases/ab.yaml\n', ['- bases/a.yaml']), '- bases/ab.yaml\n');
  });
});

describe('enableCrdInDefaultKustomization', () => {
  it('uncomments #- ../crd once', () => {
    const text = 'resources:\n#- ../crd\n- ../rbac\n';
    const out = enableCrdInDefaultKustomization(text);
    assert.equal(out, 'resources:\n- ../crd\n- ../rbac\n');
    assert.equal(enableCrdInDefaultKustomization(out), out);
  });
  it('keeps indentation and accepts "# - ../crd"', () => {
    assert.equal(enableCrdInDefaultKustomization('resources:\n  # - ../crd\n'), 'resources:\n  - ../crd\n');
  });
  it('fails when neither form is present', () => {
    assert.throws(() => enableCrdInDefaultKustomization('resources:\n- ../rbac\n'), MarkerNotFoundError);
  });
});

describe('apiInsertions / applyApiInsertions', () => {
  const ctx = { kind: 'Memcached', lowerKind: 'memcached', crdFile: 'cache.example.com_memcacheds.yaml', sampleFile: 'cache_v1alpha1_memcached.yaml', resource: true, controller: true };

  it('wires controller and resource fragments per the contract', () => {
    const all = apiInsertions(ctx).flatMap((i) => i.lines);
    assert.deepEqual(all, [
      "import { setupMemcachedController } from './controllers/memcached.controller.js';",
      'setupMemcachedController(manager);',
      '- bases/cache.example.com_memcacheds.yaml',
      '- memcached_admin_role.yaml', '- memcached_editor_role.yaml', '- memcached_viewer_role.yaml',
      '- cache_v1alpha1_memcached.yaml',
    ]);
    assert.equal(apiInsertions({ ...ctx, resource: false }).length, 2);
    assert.equal(apiInsertions({ ...ctx, controller: false }).length, 3);
  });

  it('updates the planned tree and reports a missing file clearly', () => {
    const files = {
      'src/main.ts': MAIN,
      'config/crd/kustomization.yaml': `resources:\n${MARKERS.crd.text}\n`,
      'config/rbac/kustomization.yaml': `resources:\n- role.yaml\n${MARKERS.rbac.text}\n`,
      'config/samples/kustomization.yaml': `resources:\n${MARKERS.samples.text}\n`,
      'config/default/kustomization.yaml': 'resources:\n#- ../crd\n- ../rbac\n',
    };
    const builder = new PlanBuilder(new MemoryView(files));
    applyApiInsertions(builder, ctx);
    const plan = builder.build();
    assert.deepEqual(plan.entries.map((e) => `${e.action} ${e.path}`), [
      'update config/crd/kustomization.yaml', 'update config/default/kustomization.yaml',
      'update config/rbac/kustomization.yaml', 'update config/samples/kustomization.yaml', 'update src/main.ts',
    ]);
    const { 'src/main.ts': _main, ...noMain } = files;
    assert.throws(() => applyApiInsertions(new PlanBuilder(new MemoryView(noMain)), ctx), /src\/main\.ts does not exist/);
  });
});
