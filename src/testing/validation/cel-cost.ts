import type { CompiledRule } from './cel-rules.js';
import { SchemaCompileError } from './errors.js';
import { isObject, type JsonObject, type SchemaNode } from './schema-node.js';
import { comparesOptionals, UNBOUNDED_COST } from './cel-optional-cost.js';

/**
 * The CEL cost limits a v1.32 server applies when a CRD is written: a rule's estimated cost, times the
 * number of times its schema node can occur in one request, may not exceed 10,000,000, and all rules
 * together may not exceed 100,000,000. The server's estimate comes from cel-go's cost model; this one is
 * a lower bound of it (each variable read costs 1, comprehensions iterate over the largest list or map
 * the schema allows), so a CRD refused here is refused by the server too, while some rules the server
 * finds too expensive pass here.
 */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;

/** The smallest JSON a value of this schema can be, as the server reckons it (larger where unsure). */
function minSerializedSize(schema: SchemaNode | undefined): number {
  if (!schema) return MAX_REQUEST_SIZE_BYTES;
  if (schema['x-kubernetes-int-or-string'] === true) return 1;
  switch (schema.type) {
    case 'string':
      return typeof schema.format === 'string' && ['duration', 'date', 'date-time'].includes(schema.format) ? 40 : 2;
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return 4;
    case 'array':
      return 2;
    case 'object': {
      if (isObject(schema.additionalProperties)) return 2;
      let size = 2;
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const typed = property.type !== undefined || property['x-kubernetes-int-or-string'] === true;
        if (required.has(name) && property.default === undefined && typed) size += name.length + minSerializedSize(property) + 4;
      }
      return size;
    }
    default:
      return MAX_REQUEST_SIZE_BYTES;
  }
}

/** How many elements a list or map of this schema can hold in one request; undefined for other schemas. */
function maxElements(schema: SchemaNode | undefined): number | undefined {
  if (!schema) return undefined;
  if (schema.type === 'array' && isObject(schema.items)) {
    return typeof schema.maxItems === 'number' ? schema.maxItems : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (minSerializedSize(schema.items) + 1));
  }
  if (schema.type === 'object' && isObject(schema.additionalProperties)) {
    return typeof schema.maxProperties === 'number'
      ? schema.maxProperties
      : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (minSerializedSize(schema.additionalProperties as SchemaNode) + 6));
  }
  return undefined;
}

type Bindings = ReadonlyMap<string, SchemaNode | undefined>;
type Expr = { exprKind?: { case?: string; value?: JsonObject } };

/** The schema an expression's value follows, when it is a path from a bound variable. */
function schemaOf(expr: Expr, bindings: Bindings): SchemaNode | undefined {
  const kind = expr.exprKind;
  if (kind?.case === 'identExpr') return bindings.get(String(kind.value?.name));
  if (kind?.case === 'selectExpr' && kind.value?.testOnly !== true) {
    const operand = schemaOf(kind.value?.operand as Expr, bindings);
    const field = String(kind.value?.field);
    return operand?.properties?.[field] ?? (isObject(operand?.additionalProperties) ? (operand!.additionalProperties as SchemaNode) : undefined);
  }
  return undefined;
}

/** The element schema a comprehension's variable takes: list items, or map keys (strings). */
function elementOf(range: SchemaNode | undefined): SchemaNode | undefined {
  if (range?.type === 'array' && isObject(range.items)) return range.items;
  if (range?.type === 'object' && isObject(range.additionalProperties)) return { type: 'string' };
  return undefined;
}

export function costLowerBound(expr: unknown, bindings: Bindings): number {
  const node = expr as Expr;
  const kind = node?.exprKind;
  const value = kind?.value ?? {};
  const sum = (children: unknown[]) => children.reduce<number>((total, child) => total + costLowerBound(child, bindings), 0);
  switch (kind?.case) {
    case 'identExpr':
      return 1;
    case 'selectExpr':
      return costLowerBound(value.operand, bindings);
    case 'callExpr':
      if (comparesOptionals(node)) return UNBOUNDED_COST;
      return sum([...(value.target ? [value.target] : []), ...((value.args as unknown[]) ?? [])]);
    case 'listExpr':
      return sum((value.elements as unknown[]) ?? []);
    case 'structExpr':
      return sum(((value.entries as JsonObject[]) ?? []).flatMap((entry) => [entry.keyKind && (entry.keyKind as JsonObject).value, entry.value]).filter(Boolean));
    case 'comprehensionExpr': {
      const range = schemaOf(value.iterRange as Expr, bindings);
      const iterations = maxElements(range) ?? 0;
      const inner = new Map(bindings);
      inner.set(String(value.iterVar), elementOf(range));
      if (value.iterVar2) inner.set(String(value.iterVar2), undefined);
      inner.set(String(value.accuVar), undefined);
      const perIteration = costLowerBound(value.loopCondition, inner) + costLowerBound(value.loopStep, inner);
      return costLowerBound(value.iterRange, bindings) + costLowerBound(value.accuInit, bindings) + iterations * perIteration + costLowerBound(value.result, inner);
    }
    default:
      return 0;
  }
}

/** The cost factor text of the server's message; exact when the factor is over 100. */
function factorText(cost: number, limit: number): string {
  const factor = cost / limit;
  return factor > 100 ? 'more than 100x' : `at least ${factor.toFixed(1)}x`;
}

function budgetMessage(what: string, cost: number, limit: number): string {
  return `Forbidden: ${what} exceeds budget by factor of ${factorText(cost, limit)} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

/** Refuses rules whose cost lower bound is over the per-rule or the per-CRD budget. */
export function checkRuleCosts(root: SchemaNode, rules: ReadonlyMap<SchemaNode, CompiledRule[]>): void {
  let total = 0;
  const visit = (schema: SchemaNode, cardinality: number | undefined): void => {
    for (const rule of rules.get(schema) ?? []) {
      const bindings = new Map<string, SchemaNode | undefined>([['self', schema], ['oldSelf', schema]]);
      const times = cardinality ?? Math.floor(MAX_REQUEST_SIZE_BYTES / (minSerializedSize(schema) + 1));
      const cost = costLowerBound(rule.expr, bindings) * times;
      if (cost > STATIC_ESTIMATED_COST_LIMIT) throw new SchemaCompileError(`${rule.where}.rule`, budgetMessage('estimated rule cost', cost, STATIC_ESTIMATED_COST_LIMIT));
      total += cost;
    }
    const bound = maxElements(schema);
    const childCardinality = schema.type === 'array' || isObject(schema.additionalProperties) ? (cardinality === undefined || bound === undefined || !hasExplicitBound(schema) ? undefined : cardinality * bound) : cardinality;
    for (const child of Object.values(schema.properties ?? {})) visit(child, childCardinality);
    if (isObject(schema.additionalProperties)) visit(schema.additionalProperties as SchemaNode, childCardinality);
    if (isObject(schema.items)) visit(schema.items, childCardinality);
  };
  visit(root, 1);
  if (total > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    throw new SchemaCompileError('openAPIV3Schema', budgetMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', total, STATIC_ESTIMATED_CRD_COST_LIMIT));
  }
}

/** Only maxItems / maxProperties bound the cardinality of what lies below; an estimate does not. */
function hasExplicitBound(schema: SchemaNode): boolean {
  return schema.type === 'array' ? typeof schema.maxItems === 'number' : typeof schema.maxProperties === 'number';
}
