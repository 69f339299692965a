import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateManifests, ManifestError } from '../../src/manifests/index.js';
import { planCrds, planError, TYPES_PATH, widgetTypes, withProject } from './helpers.js';

const CONTROLLER = 'src/controllers/widget.controller.ts';
const RBAC = "export const rbac = [{ groups: ['test.example.com'], resources: ['widgets'], verbs: ['get', 'list'] }];\n";

function lineOf(source: string, needle: string): number {
  const idx = source.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(idx >= 0, `fixture has no line with ${needle}`);
  return idx + 1;
}

/** Asserts a ManifestError that starts with `file:line (TSnnnn): ` and carries the compiler's message. */
async function expectCompilerError(files: Record<string, string>, file: string, line: number, code: string, message: RegExp): Promise<void> {
  const err = await planError(files);
  assert.ok(err instanceof ManifestError, `expected ManifestError, got ${err}`);
  assert.ok(err.message.startsWith(`${file}:${line} (${code}): `), err.message);
  assert.match(err.message, message);
}

describe('inputs that do not compile stop the generator with the compiler message', () => {
  it('an initializer inside an interface (a grammar error the checker reports)', async () => {
    const source = widgetTypes('  replicas?: number = 3;');
    await expectCompilerError({ [TYPES_PATH]: source }, TYPES_PATH, lineOf(source, 'replicas?:'), 'TS1246', /An interface property cannot have an initializer/);
  });

  it('a missing closing brace (a syntax error)', async () => {
    const source = widgetTypes('  a?: string;').replace('\n}\n/**', '\n/**');
    assert.notEqual(source, widgetTypes('  a?: string;'));
    const err = await planError({ [TYPES_PATH]: source });
    assert.ok(err instanceof ManifestError);
    assert.match(err.message, new RegExp(`^${TYPES_PATH.replaceAll('.', '\\.')}:\\d+ \\(TS1\\d{3}\\): .*expected`));
  });

  it('a type error', async () => {
    const source = widgetTypes('  a?: string;', "export const defaults: WidgetSpec = { a: 3 };");
    await expectCompilerError({ [TYPES_PATH]: source }, TYPES_PATH, lineOf(source, 'export const defaults'), 'TS2322', /Type 'number' is not assignable to type 'string'/);
  });

  it('a syntax error in a controller', async () => {
    const controller = `${RBAC}export function broken( {\n`;
    await expectCompilerError({ [TYPES_PATH]: widgetTypes('  a?: string;'), [CONTROLLER]: controller }, CONTROLLER, 3, 'TS1005', /expected/);
  });

  it('names from operator-ts/runtime the generator does not model, and packages that are not installed, are not errors', async () => {
    const extra = "import { Manager } from 'operator-ts/runtime';\nimport type { Thing } from 'not-installed-package';\nexport type Unused = [Manager, Thing];";
    const [crd] = await planCrds({ [TYPES_PATH]: widgetTypes('  a?: string;', extra) });
    assert.equal(crd!.doc.spec.names.kind, 'Widget');
  });

  it('generateManifests writes nothing when a type file does not compile', async () => {
    await withProject({ [TYPES_PATH]: widgetTypes('  replicas?: number = 3;'), [CONTROLLER]: RBAC }, async (dir) => {
      mkdirSync(join(dir, 'config', 'rbac'), { recursive: true });
      writeFileSync(join(dir, 'config/rbac/role.yaml'), 'old\n');
      await assert.rejects(generateManifests({ projectDir: dir }), /TS1246/);
      assert.equal(readFileSync(join(dir, 'config/rbac/role.yaml'), 'utf8'), 'old\n');
      assert.equal(existsSync(join(dir, 'config/crd/bases/test.example.com_widgets.yaml')), false);
    });
  });
});
