import type { Expression, SourceFile } from 'ts-morph';
import { Node, Project } from './ts-morph.js';
import { assertParses } from './diagnostics.js';
import { ManifestError } from './errors.js';
import { locationOf } from './location.js';
import type { DeclaredRule } from './rbac-rules.js';

export { clusterRole, mergeRules, type DeclaredRule, type PolicyRule } from './rbac-rules.js';

const KNOWN_VERBS = new Set([
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', '*',
]);
const RULE_KEYS = ['groups', 'resources', 'verbs', 'resourceNames'] as const;

/**
 * Reads `export const rbac = [...]` from each controller file without type-checking (syntax only, so
 * it is fast and independent of imports). Values must be literals; anything computed is an error
 * naming the file and line, because the generator cannot run the code.
 */
export function readControllerRbac(paths: string[], projectDir: string): DeclaredRule[] {
  // No lib and no imports: only the parser's diagnostics are asked for, and they need neither.
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { noEmit: true, noLib: true, noResolve: true, types: [] },
  });
  const files = paths.map((path) => project.addSourceFileAtPath(path));
  assertParses(project, files, projectDir);
  return files.flatMap((file) => readFileRules(file, projectDir));
}

function readFileRules(file: SourceFile, projectDir: string): DeclaredRule[] {
  const decl = file.getVariableDeclaration('rbac');
  if (!decl || !decl.getVariableStatement()?.isExported()) return [];
  const fail = (node: Node, message: string): never => {
    throw new ManifestError(message, {
      location: locationOf(node, projectDir, 'rbac'),
      hint: "Write the rules as literals: export const rbac: RbacRule[] = [{ groups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }];",
    });
  };
  const init = unwrap(decl.getInitializer());
  if (!init || !Node.isArrayLiteralExpression(init)) return fail(init ?? decl, 'rbac must be initialised with an array literal');
  return init.getElements().map((element) => {
    const obj = unwrap(element);
    if (!obj || !Node.isObjectLiteralExpression(obj)) return fail(element, `each rbac rule must be an object literal, got '${element.getText()}'`);
    const rule: Partial<DeclaredRule> = {};
    for (const prop of obj.getProperties()) {
      if (Node.isShorthandPropertyAssignment(prop)) return fail(prop, `'${prop.getName()}' must be an array of string literals, got the variable '${prop.getName()}' (the generator does not run code)`);
      if (!Node.isPropertyAssignment(prop)) return fail(prop, `rbac rule entries must be 'key: [...]', got '${prop.getText()}'`);
      const key = prop.getName().replace(/^['"]|['"]$/g, '');
      if (!(RULE_KEYS as readonly string[]).includes(key)) return fail(prop, `unknown rbac rule key '${key}' (known: ${RULE_KEYS.join(', ')})`);
      rule[key as (typeof RULE_KEYS)[number]] = stringArray(prop.getInitializer(), fail, key);
    }
    for (const key of ['groups', 'resources', 'verbs'] as const) {
      if (!rule[key]) return fail(obj, `rbac rule is missing '${key}'`);
      if (key !== 'groups' && rule[key].length === 0) return fail(obj, `rbac rule has an empty '${key}' list`);
    }
    if (rule.groups!.length === 0) return fail(obj, "rbac rule has an empty 'groups' list (use [''] for the core group)");
    for (const verb of rule.verbs!) if (!KNOWN_VERBS.has(verb)) return fail(obj, `unknown verb '${verb}' (known: ${[...KNOWN_VERBS].join(', ')})`);
    for (const res of rule.resources!) {
      if (!/^(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z]+)?)$/.test(res)) return fail(obj, `resource '${res}' is not a lowercase plural (optionally with /subresource)`);
    }
    return rule as DeclaredRule;
  });
}

function stringArray(expr: Expression | undefined, fail: (n: Node, m: string) => never, key: string): string[] {
  const e = unwrap(expr);
  if (!e || !Node.isArrayLiteralExpression(e)) return fail(expr!, `'${key}' must be an array of string literals, got '${expr?.getText()}'`);
  return e.getElements().map((el) => {
    const v = unwrap(el);
    if (v && (Node.isStringLiteral(v) || Node.isNoSubstitutionTemplateLiteral(v))) return v.getLiteralValue();
    return fail(el, `'${key}' entries must be string literals, got '${el.getText()}' (the generator does not run code)`);
  });
}

/** `x as const`, `x satisfies T`, `(x)` → x. */
export function unwrap(expr: Node | undefined): Node | undefined {
  let e = expr;
  while (e && (Node.isAsExpression(e) || Node.isSatisfiesExpression(e) || Node.isParenthesizedExpression(e))) e = e.getExpression();
  return e;
}
