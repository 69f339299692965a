import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceFile } from 'ts-morph';
import type { ProjectResource } from '../project/project-file.js';
import type { AdmissionOperation } from '../runtime/webhook/types.js';
import { assertParses } from './diagnostics.js';
import { ManifestError } from './errors.js';
import { locationOf } from './location.js';
import { unwrap } from './rbac.js';
import { Node, Project } from './ts-morph.js';
import { ADMISSION_OPERATIONS, validatorOperationsName, validatorPath } from './webhooks.js';

/**
 * The operations of each validating webhook in PROJECT, keyed by its validator file (src/webhooks/<version>/
 * <kind>.validator.ts), read as syntax like the controllers' rbac arrays: the value must be an array literal of
 * string literals. A missing file or one without the export is not in the map (buildWebhookManifests then uses
 * DEFAULT_OPERATIONS, which projects generated before the export existed had).
 */
export function readValidatingOperations(resources: ProjectResource[], projectDir: string): Map<string, readonly AdmissionOperation[]> {
  const out = new Map<string, readonly AdmissionOperation[]>();
  const present = resources
    .filter((r) => r.webhooks?.validation)
    .map((r) => ({ r, path: validatorPath(r) }))
    .filter(({ path }) => existsSync(join(projectDir, path)));
  if (present.length === 0) return out;
  // No lib and no imports: only the parser's diagnostics are asked for, and they need neither.
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { noEmit: true, noLib: true, noResolve: true, types: [] },
  });
  const files = present.map(({ path }) => project.addSourceFileAtPath(join(projectDir, path)));
  assertParses(project, files, projectDir);
  present.forEach(({ r, path }, i) => {
    const ops = readFileOperations(files[i]!, validatorOperationsName(r.kind), projectDir);
    if (ops) out.set(path, ops);
  });
  return out;
}

function readFileOperations(file: SourceFile, name: string, projectDir: string): AdmissionOperation[] | undefined {
  const decl = file.getVariableDeclaration(name);
  if (!decl) return undefined;
  const fail = (node: Node, message: string): never => {
    throw new ManifestError(message, {
      location: locationOf(node, projectDir, name),
      hint: `Write the operations as a literal list, e.g. export const ${name} = ['CREATE', 'UPDATE', 'DELETE'] as const satisfies readonly AdmissionOperation[]; (valid: ${ADMISSION_OPERATIONS.join(', ')}).`,
    });
  };
  if (!decl.getVariableStatement()?.isExported()) return fail(decl, `${name} is declared but not exported, so it would be ignored`);
  const init = unwrap(decl.getInitializer());
  if (!init || !Node.isArrayLiteralExpression(init)) return fail(init ?? decl, `${name} must be an array literal of string literals, got '${init?.getText() ?? '(no value)'}' (the generator does not run code)`);
  const ops: AdmissionOperation[] = [];
  for (const element of init.getElements()) {
    const v = unwrap(element);
    if (!v || !(Node.isStringLiteral(v) || Node.isNoSubstitutionTemplateLiteral(v))) {
      return fail(element, `${name} entries must be string literals, got '${element.getText()}' (the generator does not run code)`);
    }
    const op = v.getLiteralValue();
    if (!(ADMISSION_OPERATIONS as readonly string[]).includes(op)) {
      return fail(element, `unknown admission operation '${op}' in ${name} (valid: ${ADMISSION_OPERATIONS.join(', ')})`);
    }
    if (ops.includes(op as AdmissionOperation)) return fail(element, `'${op}' is listed twice in ${name}`);
    ops.push(op as AdmissionOperation);
  }
  if (ops.length === 0) return fail(init, `${name} is empty; the API server requires at least one operation`);
  return ops;
}
