/**
 * CRD schema handling for the embedded API server: structural OpenAPI v3 validation with ajv, pruning of
 * unknown fields, defaulting, list-type uniqueness and `x-kubernetes-validations` CEL rules.
 *
 * Order the server should use on create/update of a custom resource:
 *   schema.applyDefaults(obj)        // prunes unknown fields, then fills defaults (mutates obj)
 *   const errors = schema.validate(obj, oldObj)   // [] when valid; else answer 422 Invalid
 */
import { compileAjvValidator, instanceSegments, toFieldErrors } from './ajv-schema.js';
import { checkRuleCosts } from './cel-cost.js';
import { compileRules, runRules, type CompiledRule } from './cel-rules.js';
import { SchemaCompileError } from './errors.js';
import type { FieldError } from './field-error.js';
import { checkListTypes, canonicalJson } from './list-types.js';
import { applySchemaDefaults, pruneUnknownFields } from './prune-and-default.js';
import { isObject, joinFieldPath, propertySchema, type JsonObject, type SchemaNode } from './schema-node.js';
import { checkSchemaPattern } from './re2-pattern.js';
import { childCorrelation, isRatchetedAt, isUnchanged, rootCorrelation, type Correlation } from './ratcheting.js';
import { checkStructural } from './structural-check.js';

export { SchemaCompileError } from './errors.js';
export { formatFieldError, invalidObjectMessage, statusCauses, type FieldError, type FieldErrorType } from './field-error.js';

export interface CompiledSchema {
  /**
   * Checks an object (already defaulted). With `oldObj` (an update) transition rules run, and errors on
   * values unchanged from `oldObj` are ratcheted (not reported), as the API server does.
   */
  validate(obj: object, oldObj?: object): FieldError[];
  /** Prunes unknown fields (unless preserved) and applies defaults, in place, as the server does on decode. */
  applyDefaults(obj: object): void;
  /** Prunes only; returns the removed field paths. */
  prune(obj: object): string[];
}

export interface CompileOptions {
  /** Kind the schema belongs to, used in error messages. */
  kind?: string;
}

export function compileCrdSchema(openAPIV3Schema: object, opts: CompileOptions = {}): CompiledSchema {
  const where = opts.kind ? `openAPIV3Schema (kind ${opts.kind})` : 'openAPIV3Schema';
  if (!isObject(openAPIV3Schema)) throw new SchemaCompileError(where, 'the schema must be an object');
  const root = openAPIV3Schema as SchemaNode;
  if (root.type !== 'object') {
    throw new SchemaCompileError(`${where}.type`, `Unsupported value: ${JSON.stringify(root.type)}: supported values: "object"`, {
      hint: 'The root of a CRD schema is type: object with properties such as spec and status.',
    });
  }
  const rules = new Map<SchemaNode, CompiledRule[]>();
  checkStructural(root, 'openAPIV3Schema', (node, path) => {
    checkSchemaPattern(node as Record<string, unknown>, path);
    const compiled = compileRules(node, path);
    if (compiled.length > 0) rules.set(node, compiled);
  });
  checkRuleCosts(root, rules);
  const ajvValidate = compileAjvValidator(root);

  return {
    validate(obj: object, oldObj?: object): FieldError[] {
      const errors: FieldError[] = [];
      if (!ajvValidate(obj)) {
        const raised = ajvValidate.errors ?? [];
        const kept = oldObj === undefined ? raised : raised.filter((error) => !isRatchetedAt(root, obj, oldObj, instanceSegments(error.instancePath)));
        errors.push(...toFieldErrors(kept));
      }
      const schemaErrors = errors.length;
      // Duplicates ratchet as a whole: an old object that already had some may keep them.
      if (oldObj === undefined || listTypeErrors(oldObj, root).length === 0) checkListTypes(obj, root, '', errors);
      // Rules assume the shape the schema promises, so they only run on well-typed objects; duplicate list
      // keys do not break that shape, and the server reports rule failures next to them.
      if (schemaErrors === 0 && rules.size > 0) {
        const correlation = oldObj === undefined ? undefined : rootCorrelation(obj, oldObj);
        runAllRules(rules, root, obj, oldObj, '', errors, correlation);
      }
      return errors;
    },
    applyDefaults(obj: object): void {
      pruneUnknownFields(obj as JsonObject, root);
      applySchemaDefaults(obj as JsonObject, root);
      pruneUnknownFields(obj as JsonObject, root); // defaults may carry fields the schema does not keep
    },
    prune(obj: object): string[] {
      return pruneUnknownFields(obj as JsonObject, root);
    },
  };
}

function listTypeErrors(obj: object, root: SchemaNode): FieldError[] {
  const errors: FieldError[] = [];
  checkListTypes(obj, root, '', errors);
  return errors;
}

/** Runs every rule of the tree; `correlation` (on update) ratchets rules without oldSelf on unchanged values. */
function runAllRules(rules: Map<SchemaNode, CompiledRule[]>, schema: SchemaNode, value: unknown, oldValue: unknown, path: string, errors: FieldError[], correlation?: Correlation): void {
  if (value === undefined || value === null) return;
  const own = rules.get(schema);
  if (own) {
    const ratchet = correlation !== undefined && isUnchanged(correlation);
    const active = ratchet ? own.filter((rule) => rule.transition) : own;
    if (active.length > 0) errors.push(...runRules(active, schema, value, oldValue, path));
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (path === '' && key === 'metadata') continue;
      const childSchema = propertySchema(schema, key);
      if (!childSchema) continue;
      const oldChild = isObject(oldValue) ? oldValue[key] : undefined;
      const childLink = correlation && childCorrelation(correlation, schema, key, path === '');
      runAllRules(rules, childSchema, child, oldChild, joinFieldPath(path, key), errors, childLink);
    }
    return;
  }
  if (Array.isArray(value) && schema.items) {
    const oldItems = correlateItems(schema, value, oldValue);
    value.forEach((item, index) => {
      const childLink = correlation && childCorrelation(correlation, schema, index);
      runAllRules(rules, schema.items!, item, oldItems[index], joinFieldPath(path, index), errors, childLink);
    });
  }
}

/** Old counterparts of list items: by key for map lists, by value for sets; other lists do not correlate. */
function correlateItems(schema: SchemaNode, items: unknown[], oldValue: unknown): unknown[] {
  if (!Array.isArray(oldValue)) return [];
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') return items.map((item) => oldValue.find((old) => canonicalJson(old) === canonicalJson(item)));
  if (listType !== 'map') return [];
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const keyOf = (item: unknown): string => (isObject(item) ? canonicalJson(keys.map((key) => item[key])) : '');
  return items.map((item) => oldValue.find((old) => keyOf(old) === keyOf(item)));
}
