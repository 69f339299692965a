import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SourceFile, ts as TsTypes } from 'ts-morph';
import { Project, ts } from './ts-morph.js';
import { RUNTIME_SHIM } from './well-known.js';
import { apiSourceFiles, apiTypeFiles } from './scan.js';

const CLIENT_NODE = '@kubernetes/client-node';
const RUNTIME_MODULES = new Set(['operator-ts/runtime', 'operator-ts']);

export interface ApiSources {
  project: Project;
  /** The `src/api/**\/*.types.ts` files, sorted. */
  typeFiles: SourceFile[];
  /** Path of the in-memory stand-in for operator-ts/runtime (its `Condition` is the well-known one). */
  runtimeShimPath: string;
}

const COMPILER_OPTIONS: TsTypes.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  // No DOM and no @types/*: API types need neither, and they cost most of the parse time.
  lib: ['lib.es2022.d.ts'],
  types: [],
};

/**
 * Loads the project's API type files into a ts-morph project. `operator-ts/runtime` resolves to a
 * small stand-in, and named imports from @kubernetes/client-node resolve straight to their model
 * files, so only the models a schema really uses are parsed (generation stays well under a second).
 */
export function loadApiSources(projectDir: string): ApiSources {
  const runtimeShimPath = join(projectDir, '__operator_ts_runtime__.d.ts');
  const typePaths = apiTypeFiles(projectDir);
  const clientNode = planClientNodeShim(projectDir, apiSourceFiles(projectDir));

  const project = new Project({
    compilerOptions: COMPILER_OPTIONS,
    skipAddingFilesFromTsConfig: true,
    resolutionHost: (host, getOptions) => ({
      resolveModuleNames: (names, containingFile) =>
        names.map((name) => {
          const inProject = !containingFile.includes('/node_modules/');
          if (inProject && RUNTIME_MODULES.has(name)) return dts(runtimeShimPath);
          if (inProject && name === CLIENT_NODE && clientNode.shimPath) return dts(clientNode.shimPath);
          return ts.resolveModuleName(name, containingFile, getOptions(), host).resolvedModule;
        }),
    }),
  });
  project.createSourceFile(runtimeShimPath, RUNTIME_SHIM, { overwrite: true });
  if (clientNode.shimPath) project.createSourceFile(clientNode.shimPath, clientNode.text, { overwrite: true });
  const typeFiles = typePaths.map((p) => project.addSourceFileAtPath(p));
  return { project, typeFiles, runtimeShimPath };
}

function dts(path: string): TsTypes.ResolvedModuleFull {
  return { resolvedFileName: path, extension: ts.Extension.Dts, isExternalLibraryImport: false };
}

interface ClientNodeShim {
  shimPath?: string;
  text: string;
}

/**
 * Builds a module that re-exports, from client-node's model files, every name the API files import
 * from it. A namespace import (`import * as k8s`) cannot be narrowed that way, so it turns the shim
 * off and the full package is loaded (slower, still correct).
 */
function planClientNodeShim(projectDir: string, files: string[]): ClientNodeShim {
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes(CLIENT_NODE)) continue;
    if (/import\s+\*\s+as\s+\w+\s+from\s+['"]@kubernetes\/client-node['"]/.test(text)) return { text: '' };
    for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]@kubernetes\/client-node['"]/g)) {
      for (const part of m[1]!.split(',')) {
        const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
        if (name) names.add(name);
      }
    }
  }
  const resolved = ts.resolveModuleName(CLIENT_NODE, join(projectDir, 'src', 'api', 'index.ts'), COMPILER_OPTIONS, ts.sys).resolvedModule;
  if (!resolved) return { text: '' }; // not installed: imports stay unresolved and are reported where used
  const modelsDir = join(dirname(resolved.resolvedFileName), 'gen', 'models');
  if (!existsSync(modelsDir)) return { text: '' };
  const lines = [...names]
    .sort()
    .filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && existsSync(join(modelsDir, `${n}.d.ts`)))
    .map((n) => `export type { ${n} } from './${n}.js';`);
  return { shimPath: join(modelsDir, '__operator_ts_models__.d.ts'), text: lines.join('\n') + '\n' };
}
