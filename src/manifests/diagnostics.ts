import { relative, sep } from 'node:path';
import type { SourceFile, ts as TsTypes } from 'ts-morph';
import { ts, type Project } from './ts-morph.js';
import { ManifestError } from './errors.js';

/**
 * "Cannot find module" and friends: a project whose dependencies are not installed yet (e.g. right
 * after `init --skip-install`) still generates; a field whose type cannot be resolved is reported
 * by the schema converter at that field.
 */
const UNRESOLVED_MODULE_CODES = new Set([2307, 2792, 7016]);
/**
 * "Module has no exported member": operator-ts/runtime and @kubernetes/client-node are replaced by
 * small stand-ins that hold only what schemas need, so other names imported from them are not errors.
 */
const MISSING_EXPORT_CODES = new Set([2305, 2614]);
const SHIMMED_MODULES = /['"](operator-ts\/runtime|operator-ts|@kubernetes\/client-node)['"]/;
const SHOWN = 5;

/**
 * Syntax errors only (the parser's, no type checker, no lib): cheap, and enough for files that are
 * read as syntax, like the controllers' rbac arrays.
 */
export function assertParses(project: Project, files: SourceFile[], projectDir: string): void {
  const program = project.getProgram().compilerObject;
  fail(files.flatMap((f) => program.getSyntacticDiagnostics(f.compilerNode)), projectDir);
}

/**
 * Syntax first (cheap, and a file that does not parse is not worth checking), then the checker's
 * diagnostics for the API type files: grammar errors such as an initializer in an interface
 * (TS1246) and type errors. The checker is built anyway to read the types, so this adds little.
 */
export function assertCompiles(project: Project, files: SourceFile[], projectDir: string): void {
  assertParses(project, files, projectDir);
  const program = project.getProgram().compilerObject;
  const semantic = files.flatMap((f) => program.getSemanticDiagnostics(f.compilerNode)).filter((d) => !ignorable(d));
  fail(semantic, projectDir);
}

function ignorable(d: TsTypes.Diagnostic): boolean {
  if (UNRESOLVED_MODULE_CODES.has(d.code)) return true;
  return MISSING_EXPORT_CODES.has(d.code) && SHIMMED_MODULES.test(ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

function fail(diagnostics: readonly TsTypes.Diagnostic[], projectDir: string): void {
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return;
  const [first, ...rest] = errors.map((d) => describe(d, projectDir));
  const more = rest.slice(0, SHOWN - 1).map((d) => `\n  ${d.file}:${d.line}: ${d.text}`).join('')
    + (rest.length >= SHOWN ? `\n  … and ${rest.length - (SHOWN - 1)} more` : '');
  throw new ManifestError(`${first!.text}${more}`, {
    location: { file: first!.file, line: first!.line, subject: first!.code },
    hint: 'Fix the TypeScript error (npx tsc --noEmit shows the same); nothing was written.',
  });
}

function describe(d: TsTypes.Diagnostic, projectDir: string): { file: string; line: number; code: string; text: string } {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  if (!d.file || d.start === undefined) return { file: '(compiler)', line: 0, code: `TS${d.code}`, text };
  const file = relative(projectDir, d.file.fileName).split(sep).join('/');
  return { file, line: d.file.getLineAndCharacterOfPosition(d.start).line + 1, code: `TS${d.code}`, text };
}
