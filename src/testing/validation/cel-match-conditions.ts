import { isCelError, type CelResult } from '@bufbuild/cel';
import { compileExpression, toCelValue } from './cel-rules.js';
import { SchemaCompileError } from './errors.js';

/**
 * `matchConditions` of admission webhooks: CEL expressions over `object`, `oldObject` and `request`, in the
 * environment CRD rules use. `authorizer` and `params` are not declared, so an expression naming them is
 * refused when the configuration is written.
 */
export const MATCH_CONDITION_VARIABLES = ['object', 'oldObject', 'request'] as const;

export interface CompiledMatchCondition {
  name: string;
  expression: string;
  evaluate: (bindings: Record<string, unknown>) => CelResult;
}

/** Why an expression cannot be a match condition, in the words after `Invalid value: "<expression>": `. */
export class MatchConditionCompileError extends Error {}

/**
 * The server's checker requires a bool: a bare field (`object.metadata.name`) is dynamically typed and refused
 * as `must evaluate to bool but got dyn`, a literal of another type by its type. Other forms are accepted.
 */
function resultTypeProblem(expr: any): string | undefined {
  const kind = expr?.exprKind;
  switch (kind?.case) {
    case 'identExpr':
    case 'selectExpr':
      return kind.case === 'selectExpr' && kind.value?.testOnly ? undefined : 'dyn';
    case 'constExpr': {
      const constant = kind.value?.constantKind?.case as string | undefined;
      const names: Record<string, string> = { int64Value: 'int', uint64Value: 'uint', doubleValue: 'double', stringValue: 'string', bytesValue: 'bytes', nullValue: 'null_type' };
      return constant === 'boolValue' || constant === undefined ? undefined : names[constant];
    }
    case 'callExpr':
      return kind.value?.function === '_[_]' ? 'dyn' : undefined;
    case 'listExpr':
      return 'list(dyn)';
    case 'structExpr':
      return 'map(dyn, dyn)';
    default:
      return undefined;
  }
}

/** Names a comprehension binds (macro variables), which are not undeclared references. */
function boundNames(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) boundNames(child, into);
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (record.$typeName === 'cel.expr.Expr.Comprehension') {
      for (const key of ['iterVar', 'iterVar2', 'accuVar']) if (typeof record[key] === 'string' && record[key] !== '') into.add(record[key] as string);
    }
    for (const [key, value] of Object.entries(record)) if (key !== '$typeName') boundNames(value, into);
  }
  return into;
}

/** Compiles one condition; throws MatchConditionCompileError with the server's words where it can match them. */
export function compileMatchCondition(name: string, expression: string): CompiledMatchCondition {
  let compiled: ReturnType<typeof compileExpression>;
  try {
    compiled = compileExpression(expression, 'expression', 'expression', MATCH_CONDITION_VARIABLES);
  } catch (err) {
    if (/\bauthorizer\b/.test(expression)) throw new MatchConditionCompileError(`compilation failed: undeclared reference to 'authorizer' (the embedded API server does not offer authorizer checks)`);
    if (err instanceof SchemaCompileError) throw new MatchConditionCompileError(`compilation failed: ${err.message.replace(/^expression: /, '')}`);
    throw err;
  }
  const bound = boundNames(compiled.expr, new Set());
  const undeclared = [...compiled.identifiers].filter((id) => !(MATCH_CONDITION_VARIABLES as readonly string[]).includes(id) && !bound.has(id));
  if (undeclared.length > 0) {
    throw new MatchConditionCompileError(`compilation failed: ${undeclared.map((id) => `undeclared reference to '${id}'`).join(', ')} (the embedded API server declares object, oldObject and request; not authorizer)`);
  }
  const wrongType = resultTypeProblem(compiled.expr);
  if (wrongType !== undefined) throw new MatchConditionCompileError(`must evaluate to bool but got ${wrongType}`);
  return { name, expression, evaluate: compiled.evaluate };
}

export type MatchConditionsResult = { matches: true } | { matches: false; failedCondition: string } | { error: string };

/**
 * Evaluates a webhook's conditions as the real server does: any false skips the webhook (even when another
 * one failed to evaluate); otherwise evaluation errors are returned (the caller applies failurePolicy), in the
 * server's words, several joined as Go joins an aggregate error.
 */
export function evaluateMatchConditions(conditions: CompiledMatchCondition[], variables: { object: unknown; oldObject: unknown; request: unknown }): MatchConditionsResult {
  const bindings = { object: toCelValue(variables.object ?? null, undefined), oldObject: toCelValue(variables.oldObject ?? null, undefined), request: toCelValue(variables.request, undefined) };
  const errors: string[] = [];
  for (const condition of conditions) {
    let result: CelResult;
    try {
      result = condition.evaluate(bindings);
    } catch (err) {
      result = err as CelResult;
    }
    if (result === false) return { matches: false, failedCondition: condition.name };
    if (result === true) continue;
    // cel-go's words for a missing map key.
    const why = isCelError(result) || result instanceof Error ? (result as Error).message.replace(/^field not found: /, 'no such key: ') : `expected bool, got ${typeof result}`;
    errors.push(`expression '${condition.expression}' resulted in error: ${why}`);
  }
  if (errors.length === 0) return { matches: true };
  return { error: errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]` };
}
