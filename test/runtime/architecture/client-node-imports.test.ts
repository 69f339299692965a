import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const RUNTIME = fileURLToPath(new URL('../../../src/runtime', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Static imports that bring in client-node's package root at run time (not `import type`, not an
 * import whose every name is `type`). The root loads every generated model (~2,500 modules, ~70 MB RSS).
 */
function rootValueImports(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const stmt of source.statements) {
    if (!ts.isImportDeclaration(stmt) && !ts.isExportDeclaration(stmt)) continue;
    const spec = stmt.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || spec.text !== '@kubernetes/client-node') continue;
    if (ts.isImportDeclaration(stmt)) {
      const clause = stmt.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const named = clause.namedBindings;
      if (!clause.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly)) continue;
    } else if (stmt.isTypeOnly) continue;
    found.push(`${name}: ${stmt.getText(source).split('\n')[0]}`);
  }
  return found;
}

test('the runtime imports only types from the package root of client-node', () => {
  const files = sourceFiles(RUNTIME);
  assert.ok(files.length > 50, 'the walk sees the runtime sources');
  assert.deepEqual(files.flatMap((f) => rootValueImports(relative(RUNTIME, f), readFileSync(f, 'utf8'))), []);
});

test('the check tells value imports from type-only ones', () => {
  const text = [
    "import { KubeConfig } from '@kubernetes/client-node';",
    "import { type V1Pod, type V1Lease } from '@kubernetes/client-node';",
    "import type { KubernetesObject } from '@kubernetes/client-node';",
    "export { Watch } from '@kubernetes/client-node';",
    "import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';",
  ].join('\n');
  assert.deepEqual(rootValueImports('x.ts', text), [
    "x.ts: import { KubeConfig } from '@kubernetes/client-node';",
    "x.ts: export { Watch } from '@kubernetes/client-node';",
  ]);
});
