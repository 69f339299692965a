import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateManifests, ManifestError } from '../../src/manifests/index.js';
import { planError, TYPES_PATH, widgetTypes, withProject } from './helpers.js';

/** 1-based line of the first line containing `needle`. */
function lineOf(source: string, needle: string): number {
  const idx = source.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(idx >= 0, `fixture has no line with ${needle}`);
  return idx + 1;
}

/** Plans a Widget whose spec body is `body`; asserts the error names file:line, the subject, and matches `message`. */
async function expectFieldError(body: string, needle: string, subject: string, message: RegExp, extra = ''): Promise<void> {
  const source = widgetTypes(body, extra);
  const err = await planError({ [TYPES_PATH]: source });
  assert.ok(err instanceof ManifestError, `expected ManifestError, got ${err}`);
  assert.equal(err.code, 'EMANIFEST');
  assert.ok(err.message.startsWith(`${TYPES_PATH}:${lineOf(source, needle)} (${subject}): `), err.message);
  assert.match(err.message, message);
}

describe('bad input is a clear error naming file, line and type', () => {
  it('unsupported types', async () => {
    await expectFieldError('  f?: () => void;', 'f?:', 'WidgetSpec.f', /function/);
    await expectFieldError('  f?: symbol;', 'f?:', 'WidgetSpec.f', /symbol/);
    await expectFieldError('  f?: bigint;', 'f?:', 'WidgetSpec.f', /bigint/);
    await expectFieldError('  f?: any;', 'f?:', 'WidgetSpec.f', /'any'/);
    await expectFieldError('  f?: NotDeclaredAnywhere;', 'f?:', 'WidgetSpec.f', /'NotDeclaredAnywhere' resolves to 'any'/);
    await expectFieldError('  f?: [string, number];', 'f?:', 'WidgetSpec.f', /tuple/);
    await expectFieldError('  f?: string | boolean;', 'f?:', 'WidgetSpec.f', /union type 'string \| boolean'/);
    await expectFieldError('  f?: Map<string, string>;', 'f?:', 'WidgetSpec.f', /'Map' is not plain JSON data/);
    await expectFieldError('  f?: unknown;', 'f?:', 'WidgetSpec.f', /@preserveUnknownFields/);
    await expectFieldError('  f?: Node;', 'next?:', 'Node.next', /refers to itself/, 'export interface Node { next?: Node }');
    await expectFieldError('  f(): void;', 'f():', 'WidgetSpec.f', /method/);
  });

  it('an unresolved generic type parameter', async () => {
    const source = widgetTypes('  a?: string;').replace('export interface Widget {', 'export interface Widget<T = never> {\n  extra?: T;');
    const err = await planError({ [TYPES_PATH]: source });
    assert.match(err.message, new RegExp(`^${TYPES_PATH}:${lineOf(source, 'extra?:')} \\(Widget\\.extra\\): type parameter 'T' is an unresolved generic`));
  });

  it('bad tag values name the tag line', async () => {
    const body = '  /**\n   * Size.\n   * @minimum abc\n   */\n  f?: number;';
    await expectFieldError(body, '@minimum abc', 'WidgetSpec.f', /@minimum expects a number, got 'abc'/);
    await expectFieldError('  /** @minumum 1 */\n  f?: number;', '@minumum', 'WidgetSpec.f', /unknown tag @minumum/);
    await expectFieldError('  /** @pattern ([a-z */\n  f?: string;', '@pattern', 'WidgetSpec.f', /not a valid regular expression/);
    await expectFieldError('  /** @minimum 1 */\n  f?: string;', '@minimum', 'WidgetSpec.f', /@minimum applies to number\/integer fields .* this field is string/);
    await expectFieldError('  /** @default "x" */\n  f?: number;', '@default', 'WidgetSpec.f', /does not match the field type number/);
    await expectFieldError('  /** @format int99 */\n  f?: number;', '@format', 'WidgetSpec.f', /not a known number format/);
    await expectFieldError('  /** @listType map */\n  f?: string[];', '@listType', 'WidgetSpec.f', /needs at least one @listMapKey/);
    await expectFieldError('  /**\n   * @listType map\n   * @listMapKey name\n   */\n  f?: Array<{ name?: string }>;', '@listMapKey', 'WidgetSpec.f', /must be a required field/);
    await expectFieldError('  /** @plural widgets */\n  f?: string;', '@plural', 'WidgetSpec.f', /belongs on the root type/);
    await expectFieldError('  /** @validation rule=, message=x */\n  f?: string;', '@validation', 'WidgetSpec.f', /needs a CEL rule/);
  });

  it('bad root tags', async () => {
    for (const [tag, message] of [
      ['@scope Global', /@scope must be one of Namespaced, Cluster, got 'Global'/],
      ['@printcolumn name=Size,JSONPath=.spec.size', /@printcolumn needs type=/],
      ['@printcolumn name=Size,type=int,JSONPath=.spec.size', /printcolumn type must be one of/],
      ['@printcolumn name=Size,type=integer,JSONPath=.spec.size,colour=red', /unknown key 'colour'/],
      ['@shortName Bad_Name', /DNS-1035/],
      ['@subresource logs', /@subresource must be one of status, scale/],
    ] as const) {
      const source = widgetTypes('  a?: string;', '', tag);
      const err = await planError({ [TYPES_PATH]: source });
      assert.ok(err.message.startsWith(`${TYPES_PATH}:${lineOf(source, tag)} (Widget): `), err.message);
      assert.match(err.message, message);
    }
  });

  it('a root-type tag on an interface that is not a root', async () => {
    const source = widgetTypes('  a?: string;', '/** @shortName x */\nexport interface Helper { a: string }');
    const err = await planError({ [TYPES_PATH]: source });
    assert.match(err.message, new RegExp(`^${TYPES_PATH}:${lineOf(source, '@shortName x')} \\(Helper\\): @shortName is a root-type tag`));
  });

  it('two storage versions, or none among several', async () => {
    const v = (version: string, tags: string): string =>
      widgetTypes('  a?: string;', '', tags).replace("'test.example.com/v1'", `'test.example.com/${version}'`);
    const two = await planError({ 'src/api/v1/widget.types.ts': v('v1', '@storageversion'), 'src/api/v2/widget.types.ts': v('v2', '@storageversion') });
    assert.match(two.message, /Widget has 2 versions marked @storageversion: v2 \(src\/api\/v2\/widget.types.ts:\d+\), v1 \(src\/api\/v1\/widget.types.ts:\d+\)/);
    const none = await planError({ 'src/api/v1/widget.types.ts': v('v1', '@shortName w'), 'src/api/v2/widget.types.ts': v('v2', '@shortName w') });
    assert.match(none.message, /Widget has 2 versions but none is marked @storageversion/);
  });

  it('a resource listed in PROJECT without a root type', async () => {
    const project = [
      'version: "3"', 'domain: example.com', 'layout: typescript/v1', 'projectName: demo', 'leaderElectionId: 1234abcd.example.com',
      'resources:', '  - group: cache', '    domain: example.com', '    version: v1', '    kind: Memcached', '    plural: memcacheds',
      '    api:', '      crdVersion: v1', '      namespaced: true', '',
    ].join('\n');
    const err = await planError({ PROJECT: project, 'src/api/v1/memcached.types.ts': 'export interface MemcachedSpec { size?: number }\n' });
    assert.match(err.message, /^src\/api\/v1\/memcached.types.ts:1 \(Memcached\): PROJECT lists Memcached \(cache.example.com\/v1\) but no root type declares it/);
    assert.match((err as ManifestError).hint!, /Export an interface Memcached/);
  });

  it('dynamic RBAC values name the controller file and line', async () => {
    const controller = "const verbs = ['get'];\nexport const rbac = [\n  { groups: [''], resources: ['pods'], verbs },\n];\n";
    const err = await planError({ 'src/controllers/pod.controller.ts': controller });
    assert.match(err.message, /^src\/controllers\/pod.controller.ts:3 \(rbac\): 'verbs' must be an array of string literals, got the variable 'verbs'/);
    const spread = "const more = ['list'];\nexport const rbac = [{ groups: [''], resources: ['pods'], verbs: ['get', ...more] }];\n";
    assert.match((await planError({ 'src/controllers/pod.controller.ts': spread })).message, /pod.controller.ts:2 \(rbac\): 'verbs' entries must be string literals, got '...more'/);
    const verb = "export const rbac = [{ groups: [''], resources: ['pods'], verbs: ['read'] }];\n";
    assert.match((await planError({ 'src/controllers/pod.controller.ts': verb })).message, /unknown verb 'read'/);
  });

  it('generateManifests writes nothing when any input is bad', async () => {
    const good = widgetTypes('  a?: string;');
    const bad = "export const rbac = [{ groups: [''], resources: ['pods'], verbs: [process.env.VERB] }];\n";
    await withProject({ [TYPES_PATH]: good, 'src/controllers/pod.controller.ts': bad }, async (dir) => {
      mkdirSync(join(dir, 'config', 'rbac'), { recursive: true });
      writeFileSync(join(dir, 'config/rbac/role.yaml'), 'old\n');
      await assert.rejects(generateManifests({ projectDir: dir }), ManifestError);
      assert.equal(readFileSync(join(dir, 'config/rbac/role.yaml'), 'utf8'), 'old\n');
      assert.equal(existsSync(join(dir, 'config/crd/bases/test.example.com_widgets.yaml')), false);
    });
  });
});
