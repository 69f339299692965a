import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { compileCrdSchema, SchemaCompileError, startTestServer, testKubeConfig } from '../../src/testing/index.js';

const HEAVY = ['@kubernetes/client-node', 'ajv', 'ajv-formats', '@bufbuild/cel', '@bufbuild/cel/ext', 're2js', 'node-forge'];
const entry = fileURLToPath(new URL('../../src/testing/index.ts', import.meta.url));

/** Packages reached from `file` through static, non-type-only imports and re-exports (what `import` loads at once). */
function eagerPackages(file: string, seen = new Map<string, string>(), from = 'src/testing/index.ts'): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    const name = specifier.text;
    if (name.startsWith('.')) {
      const target = resolve(dirname(file), name.replace(/\.js$/, '.ts'));
      if (!seen.has(target)) {
        seen.set(target, from);
        eagerPackages(target, seen, target);
      }
    } else if (!seen.has(name)) seen.set(name, file);
  }
  return seen;
}

describe('operator-ts/testing entry point', () => {
  it('loads neither client-node nor the CRD schema compiler (ajv, CEL, RE2) on import', () => {
    const reached = eagerPackages(entry);
    assert.ok(reached.has('yaml'), 'the walk follows re-exports down to the packages the server needs');
    for (const name of HEAVY) assert.equal(reached.get(name), undefined, `${name} is imported eagerly by ${reached.get(name)}`);
  });

  it('compileCrdSchema loads the compiler on first call and compiles like the server', async () => {
    const schema = await compileCrdSchema({ type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', maximum: 3 } } } } }, { kind: 'Widget' });
    assert.deepEqual(schema.validate({ spec: { size: 2 } }), []);
    assert.equal(schema.validate({ spec: { size: 4 } })[0]?.path, 'spec.size');
    await assert.rejects(compileCrdSchema({ type: 'string' }), (err: unknown) => err instanceof SchemaCompileError && /type/.test(err.message));
  });

  it('testKubeConfig resolves to a client-node KubeConfig for the server', async () => {
    const server = await startTestServer();
    try {
      const kc = await testKubeConfig(server.url, 'secret');
      assert.equal(kc.getCurrentCluster()?.server, server.url);
      assert.equal(kc.getCurrentUser()?.token, 'secret');
      assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, 'default');
    } finally {
      await server.stop();
    }
  });
});
