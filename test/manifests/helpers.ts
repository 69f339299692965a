import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { planManifests, type JSONSchemaProps } from '../../src/manifests/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(repoRoot, 'test', 'manifests', 'fixtures');

/** Writes `files` into a fresh temp project (with the repo's node_modules linked in) and runs `fn`. */
export async function withProject<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'operator-ts-manifests-'));
  try {
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const [path, contents] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), contents);
    }
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const TYPES_PATH = 'src/api/v1/widget.types.ts';

/** A types file whose root `Widget` has `spec: WidgetSpec` with the given body, plus extra declarations. */
export function widgetTypes(specBody: string, extra = '', rootTags = '@subresource status'): string {
  return `import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Condition } from 'operator-ts/runtime';
${extra}
/** WidgetSpec is the desired state. */
export interface WidgetSpec {
${specBody}
}
/**
 * Widget is a test kind.
 * ${rootTags.split('\n').join('\n * ')}
 */
export interface Widget {
  apiVersion: 'test.example.com/v1';
  kind: 'Widget';
  metadata: V1ObjectMeta;
  spec?: WidgetSpec;
  status?: { conditions?: Condition[] };
}
`;
}

export async function planCrds(files: Record<string, string>): Promise<Array<{ path: string; doc: any }>> {
  return withProject(files, async (dir) => (await planManifests({ projectDir: dir })).map((f) => ({ path: f.path, doc: parse(f.contents) })));
}

/** The generated schema of `WidgetSpec` for a spec body. */
export async function specSchema(specBody: string, extra = ''): Promise<JSONSchemaProps> {
  const [crd] = await planCrds({ [TYPES_PATH]: widgetTypes(specBody, extra) });
  return crd!.doc.spec.versions[0].schema.openAPIV3Schema.properties.spec;
}

/** The schema of the field `f` in a spec whose body is `specBody`. */
export async function fieldSchema(specBody: string, extra = ''): Promise<JSONSchemaProps> {
  return (await specSchema(specBody, extra)).properties!.f!;
}

/** Runs planManifests and returns the error it throws (fails the test if nothing is thrown). */
export async function planError(files: Record<string, string>): Promise<Error & { code?: string }> {
  return withProject(files, async (dir) => {
    try {
      await planManifests({ projectDir: dir });
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected planManifests to throw');
  });
}

