import { celEnv, CelScalar, isCelError, parse, plan, type CelEnv, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { kubernetesFormatFunctions } from './cel-kubernetes-format.js';
import { kubernetesIpFunctions } from './cel-kubernetes-ip.js';
import { kubernetesListFunctions } from './cel-kubernetes-lists.js';
import { kubernetesQuantityFunctions } from './cel-kubernetes-quantity.js';
import { kubernetesRegexFunctions } from './cel-kubernetes-regex.js';
import { kubernetesSetsFunctions } from './cel-kubernetes-sets.js';
import { kubernetesUrlFunctions } from './cel-kubernetes-url.js';
import { optionalFunctions } from './cel-optional.js';
import { maskOptionalMarkers, rewriteOptionalSyntax, USER_FACING_NAMES } from './cel-optional-syntax.js';
import { fieldPathProblem } from './cel-field-path.js';
import { SchemaCompileError } from './errors.js';
import { re2PatternError } from './re2-pattern.js';
import type { FieldError, FieldErrorType } from './field-error.js';
import { isObject, joinFieldPath, type JsonObject, type SchemaNode } from './schema-node.js';

/**
 * `x-kubernetes-validations` rules, compiled once with @bufbuild/cel and run against the value of the
 * schema node they sit on (`self`) and, for transition rules, its previous value (`oldSelf`, only on update
 * when the old value exists). The environment is what a v1.32 server offers new CRD rules: the standard
 * library, strings extension, sets extension, optional types, and the Kubernetes list, regex, URL, IP/CIDR,
 * quantity and format libraries. A rule that does not parse, or calls a function this environment lacks
 * (two-variable comprehensions, for one), fails compilation instead of being skipped.
 */

type Evaluate = (bindings: { self: unknown; oldSelf?: unknown }) => CelResult;

export interface CompiledRule {
  rule: string;
  message?: string;
  messageExpression?: Evaluate;
  fieldPath?: string;
  reason: FieldErrorType;
  transition: boolean;
  evaluate: Evaluate;
  /** Where the rule sits in the schema, e.g. `openAPIV3Schema.properties[spec].x-kubernetes-validations[0]`. */
  where: string;
  /** The parsed rule (a cel.expr.Expr), for cost estimation. */
  expr: unknown;
}

/** The variables of CRD validation rules. */
const RULE_VARIABLES = ['self', 'oldSelf'] as const;

/** One environment per set of variable names (CRD rules; admission match conditions). */
const environments = new Map<string, CelEnv>();
function celEnvironment(variables: readonly string[] = RULE_VARIABLES): CelEnv {
  const key = variables.join(',');
  const known = environments.get(key);
  if (known) return known;
  const funcs = [
    ...strings,
    ...kubernetesListFunctions,
    ...kubernetesRegexFunctions,
    ...kubernetesSetsFunctions,
    ...kubernetesUrlFunctions,
    ...kubernetesIpFunctions,
    ...kubernetesQuantityFunctions,
    ...kubernetesFormatFunctions,
    ...optionalFunctions,
  ];
  const env = celEnv({ funcs, variables: Object.fromEntries(variables.map((name) => [name, CelScalar.DYN])) }) as unknown as CelEnv;
  environments.set(key, env);
  return env;
}

const REASONS: Record<string, FieldErrorType> = {
  FieldValueInvalid: 'FieldValueInvalid',
  FieldValueForbidden: 'FieldValueForbidden',
  FieldValueRequired: 'FieldValueRequired',
  FieldValueDuplicate: 'FieldValueDuplicate',
};

export function compileRules(schema: SchemaNode, schemaPath: string): CompiledRule[] {
  const raw = schema['x-kubernetes-validations'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new SchemaCompileError(`${schemaPath}.x-kubernetes-validations`, 'must be a list of rules');
  return raw.map((entry, index) => {
    const where = `${schemaPath}.x-kubernetes-validations[${index}]`;
    if (!isObject(entry) || typeof entry.rule !== 'string' || entry.rule.trim() === '') {
      throw new SchemaCompileError(where, 'each validation needs a non-empty "rule" string', { hint: 'For example rule: "self.replicas <= self.maxReplicas".' });
    }
    const rule = entry.rule;
    const { evaluate, identifiers, expr } = compileExpression(rule, where, 'rule');
    const reason = entry.reason === undefined ? 'FieldValueInvalid' : REASONS[String(entry.reason)];
    if (reason === undefined) {
      throw new SchemaCompileError(where, `reason ${JSON.stringify(entry.reason)} is not supported; use one of ${Object.keys(REASONS).join(', ')}`);
    }
    if (entry.fieldPath !== undefined) {
      const problem = typeof entry.fieldPath === 'string' ? fieldPathProblem(schema, entry.fieldPath) : 'fieldPath must be a string';
      if (problem !== undefined) {
        throw new SchemaCompileError(`${where}.fieldPath`, `Invalid value: ${JSON.stringify(entry.fieldPath)}: ${problem}`, {
          hint: 'fieldPath names a field below the node the rule sits on, such as ".replicas" or ".labels[\'app.kubernetes.io/name\']".',
        });
      }
    }
    return {
      rule,
      message: typeof entry.message === 'string' ? entry.message : undefined,
      messageExpression: typeof entry.messageExpression === 'string' ? compileExpression(entry.messageExpression, where, 'messageExpression').evaluate : undefined,
      fieldPath: entry.fieldPath as string | undefined,
      reason,
      transition: identifiers.has('oldSelf'),
      evaluate,
      where,
      expr,
    };
  });
}

/**
 * Compiles one CEL expression in the environment with `variables` (all dynamically typed), refusing what the
 * server's compiler refuses that this environment can tell: syntax errors, unknown functions, argument counts
 * no overload takes, and `matches()` literals RE2 cannot compile. Throws SchemaCompileError at `where`.
 */
export function compileExpression(
  expression: string, where: string, what: string, variables: readonly string[] = RULE_VARIABLES,
): { evaluate: (bindings: Record<string, unknown>) => CelResult; identifiers: Set<string>; expr: unknown } {
  let parsed: ReturnType<typeof parse>;
  try {
    // The blanked form keeps the user's offsets in syntax errors; the rewritten one is what runs.
    const rewritten = rewriteOptionalSyntax(expression);
    parse(maskOptionalMarkers(expression));
    parsed = parse(rewritten);
  } catch (err) {
    throw new SchemaCompileError(where, `${what} ${JSON.stringify(expression)} does not compile: ${(err as Error).message}`, {
      hint: 'Fix the CEL syntax; the rule sees the value of this schema node as `self`.',
      cause: err,
    });
  }
  const calls: CallSite[] = [];
  const identifiers = new Set<string>();
  collectNames(parsed.expr, calls, identifiers, variables);
  const environment = celEnvironment(variables);
  // `sets.contains(a, b)` parses as a method call on `sets`; either reading may name a function.
  const known = (site: CallSite) => site.readings.some((reading) => environment.funcs.find(reading.name));
  const unsupported = [...new Set(calls.filter((site) => !known(site)).map((site) => site.readings[site.readings.length - 1]!.name))].sort();
  if (unsupported.length > 0) {
    const names = unsupported.map((name) => `${name}()`).join(', ');
    // The server's checker words this as one "undeclared reference" per name.
    const references = unsupported.map((name) => `undeclared reference to '${name}'`).join(', ');
    throw new SchemaCompileError(where, `${what} ${JSON.stringify(expression)} calls ${names}, which the embedded API server's CEL environment does not support (${references})`, {
      hint: 'Supported: the CEL standard library, the strings and sets extensions, optional types (optional.of, a.?b, m[?k], [?x], {?k: v}, optMap, optFlatMap), and the Kubernetes list, regex (find, findAll), URL, IP/CIDR, quantity and format libraries. Two-variable comprehensions are refused.',
    });
  }
  // Like the server's type checker, a call with an argument count no overload takes fails compilation.
  const misfit = calls.find((site) => !site.readings.some((reading) => takesArgumentCount(environment, reading)));
  if (misfit !== undefined) {
    const reading = misfit.readings[misfit.readings.length - 1]!;
    const counts = [...new Set([...(environment.funcs.find(reading.name) ?? [])].map((fn) => fn.arguments.length))].sort();
    throw new SchemaCompileError(where, `${what} ${JSON.stringify(expression)}: compilation failed: found no matching overload for '${reading.name}' applied to ${reading.args} argument${reading.args === 1 ? '' : 's'}${reading.method ? ' on a target' : ''} (it takes ${counts.join(' or ')})`, {
      hint: `Call ${reading.name}() with the arguments it takes.`,
    });
  }
  const badPattern = invalidMatchesLiteral(parsed.expr);
  if (badPattern !== undefined) {
    throw new SchemaCompileError(where, `${what} ${JSON.stringify(expression)}: compilation failed: invalid matches argument (${badPattern})`, {
      hint: 'matches() takes a Go RE2 expression: no lookaround or backreferences.',
    });
  }
  const program = plan(environment, parsed) as unknown as (bindings: Record<string, unknown>) => CelResult;
  return { evaluate: program, identifiers, expr: parsed.expr };
}

/** Like the server, a literal `matches()` pattern RE2 refuses fails compilation; returns Go's error text. */
function invalidMatchesLiteral(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = invalidMatchesLiteral(child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const record = node as JsonObject;
  if (record.$typeName === 'cel.expr.Expr.Call' && record.function === 'matches' && Array.isArray(record.args)) {
    const pattern = record.args.length > 0 ? literalString(record.args[record.args.length - 1]) : undefined;
    const error = pattern === undefined ? undefined : re2PatternError(pattern);
    if (error !== undefined) return error;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === '$typeName') continue;
    const found = invalidMatchesLiteral(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

function literalString(expr: unknown): string | undefined {
  const kind = (expr as { exprKind?: { case?: string; value?: { constantKind?: { case?: string; value?: unknown } } } }).exprKind;
  return kind?.case === 'constExpr' && kind.value?.constantKind?.case === 'stringValue' ? String(kind.value.constantKind.value) : undefined;
}

/** One way to read a call: a method of its target or a (possibly namespaced) global function. */
interface CallReading {
  name: string;
  method: boolean;
  args: number;
}
interface CallSite {
  readings: CallReading[];
}

/** Whether some overload of the reading's function takes its argument count. */
function takesArgumentCount(environment: CelEnv, reading: CallReading): boolean {
  for (const fn of environment.funcs.find(reading.name) ?? []) {
    if (fn.arguments.length === reading.args && (fn.target !== undefined) === reading.method) return true;
    // The library declares some standard functions in one form only (`size(x)` and `x.size()` both resolve).
    if (reading.method && fn.target === undefined && fn.arguments.length === reading.args + 1) return true;
    if (!reading.method && fn.target !== undefined && fn.arguments.length === reading.args - 1) return true;
  }
  return false;
}

/** Operators are internal call names such as `_&&_`, `!_`, `@in`; only named functions need resolving. */
function collectNames(node: unknown, calls: CallSite[], identifiers: Set<string>, variables: readonly string[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectNames(child, calls, identifiers, variables);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as JsonObject;
  if (record.$typeName === 'cel.expr.Expr.Call' && typeof record.function === 'string' && /^[A-Za-z]/.test(record.function)) {
    const target = (record.target as JsonObject | undefined)?.exprKind as JsonObject | undefined;
    const namespace = target?.case === 'identExpr' ? (target.value as JsonObject).name : undefined;
    const namespaced = typeof namespace === 'string' && !variables.includes(namespace);
    const args = Array.isArray(record.args) ? record.args.length : 0;
    const plain: CallReading = { name: record.function, method: record.target !== undefined, args };
    calls.push({ readings: namespaced ? [plain, { name: `${namespace}.${record.function}`, method: false, args }] : [plain] });
  }
  if (record.$typeName === 'cel.expr.Expr.Ident' && typeof record.name === 'string') identifiers.add(record.name);
  for (const [key, value] of Object.entries(record)) if (key !== '$typeName') collectNames(value, calls, identifiers, variables);
}

/** JSON to CEL: integers become CEL ints (bigint) unless the schema says number, objects stay maps. */
export function toCelValue(value: unknown, schema: SchemaNode | undefined): unknown {
  if (typeof value === 'number') {
    const integer = schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'] === true || (schema?.type !== 'number' && Number.isInteger(value));
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, schema?.items));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema?.properties?.[key] ?? (isObject(schema?.additionalProperties) ? (schema!.additionalProperties as SchemaNode) : undefined);
      out[key] = toCelValue(child, childSchema);
    }
    return out;
  }
  return value;
}

/** Runs the rules of one node; returns the failures as FieldErrors at `path` (or at the rule's fieldPath). */
export function runRules(rules: CompiledRule[], schema: SchemaNode, value: unknown, oldValue: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const typeName = typeNameOf(value, schema);
  for (const rule of rules) {
    if (rule.transition && oldValue === undefined) continue;
    const bindings = { self: toCelValue(value, schema), oldSelf: oldValue === undefined ? undefined : toCelValue(oldValue, schema) };
    let result: CelResult;
    try {
      result = rule.evaluate(bindings);
    } catch (err) {
      result = err as CelResult;
    }
    const at = rule.fieldPath ? joinRelative(path, rule.fieldPath) : path;
    if (result === true) continue;
    if (isCelError(result) || result instanceof Error) {
      errors.push({ path: at, message: `Invalid value: "${typeName}": ${userFacing((result as Error).message)} evaluating rule: ${rule.rule}`, type: 'FieldValueInvalid' });
      continue;
    }
    if (result !== false) {
      errors.push({ path: at, message: `Invalid value: "${typeName}": rule did not evaluate to a bool: ${rule.rule}`, type: 'FieldValueInvalid' });
      continue;
    }
    errors.push({ path: at, message: ruleMessage(rule, bindings, typeName), type: rule.reason });
  }
  return errors;
}

/** A run-time error message with the names the optional syntax is rewritten into replaced by cel-go's. */
function userFacing(message: string): string {
  return Object.entries(USER_FACING_NAMES).reduce((text, [internal, shown]) => text.split(internal).join(shown), message);
}

function ruleMessage(rule: CompiledRule, bindings: { self: unknown; oldSelf?: unknown }, typeName: string): string {
  let text = rule.message ?? `failed rule: ${rule.rule}`;
  if (rule.messageExpression) {
    const produced = rule.messageExpression(bindings);
    if (typeof produced === 'string' && produced.trim() !== '') text = produced;
  }
  if (rule.reason === 'FieldValueRequired') return `Required value: ${text}`;
  if (rule.reason === 'FieldValueForbidden') return `Forbidden: ${text}`;
  // The server reports a duplicate with the node's type as the value, not the rule's message.
  if (rule.reason === 'FieldValueDuplicate') return `Duplicate value: ${JSON.stringify(typeName)}`;
  return `Invalid value: "${typeName}": ${text}`;
}

function typeNameOf(value: unknown, schema: SchemaNode): string {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(value)) return 'array';
  if (isObject(value)) return 'object';
  return typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
}

/** `.spec.replicas` or `.items['a.b']` relative to `path`. */
function joinRelative(path: string, fieldPath: string): string {
  const segments = fieldPath.match(/\.[^.[]+|\[[^\]]*\]/g) ?? [];
  return segments.reduce((acc, segment) => {
    if (segment.startsWith('.')) return joinFieldPath(acc, segment.slice(1));
    const inner = segment.slice(1, -1).replace(/^'(.*)'$/, '$1');
    return /^\d+$/.test(inner) ? joinFieldPath(acc, Number(inner)) : joinFieldPath(acc, inner);
  }, path);
}
