import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { SchemaCompileError } from './errors.js';
import type { FieldError } from './field-error.js';
import { registerFormats, supportedFormat } from './formats.js';
import { re2PatternError, re2RegExpEngine } from './re2-pattern.js';
import { describeValue, isObject, joinFieldPath, type JsonObject, type SchemaNode } from './schema-node.js';

/**
 * Turns a CRD's structural schema into a JSON Schema ajv understands (Kubernetes extensions translated,
 * unknown formats dropped, root metadata left to the server), validates with it, and rewords ajv's errors
 * the way the API server words them.
 */

let sharedAjv: Ajv | undefined;
function ajvInstance(): Ajv {
  if (!sharedAjv) {
    sharedAjv = new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: true, code: { regExp: re2RegExpEngine } });
    registerFormats(sharedAjv);
  }
  return sharedAjv;
}

export function compileAjvValidator(schema: SchemaNode): ValidateFunction {
  const translated = translate(schema, true);
  try {
    return ajvInstance().compile(translated);
  } catch (err) {
    throw new SchemaCompileError('openAPIV3Schema', `the schema is not valid JSON Schema: ${(err as Error).message}`, {
      hint: 'Check keywords and their value types (for example minimum must be a number, required a list of names).',
      cause: err,
    });
  }
}

const DROPPED_KEYWORDS = new Set(['nullable', 'format', 'default', 'example', 'externalDocs', 'description']);

function translate(schema: SchemaNode, isRoot: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword.startsWith('x-kubernetes-') || DROPPED_KEYWORDS.has(keyword)) continue;
    if (keyword === 'properties' && isObject(value)) {
      const properties: JsonObject = {};
      for (const [name, child] of Object.entries(value)) {
        properties[name] = isRoot && name === 'metadata' ? metadataSchema(child as SchemaNode) : translate(child as SchemaNode, false);
      }
      out.properties = properties;
    } else if ((keyword === 'items' || keyword === 'not' || keyword === 'additionalProperties') && isObject(value)) {
      out[keyword] = translate(value as SchemaNode, false);
    } else if ((keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') && Array.isArray(value)) {
      out[keyword] = value.map((child) => translate(child as SchemaNode, false));
    } else {
      out[keyword] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true && schema.type === undefined) out.type = ['integer', 'string'];
  if (typeof schema.format === 'string') {
    const format = supportedFormat(schema.format);
    if (format !== undefined) out.format = format;
  }
  // OpenAPI 3.0 (what CRDs use) writes exclusive bounds as a boolean next to minimum/maximum; ajv speaks
  // JSON Schema draft 7, where the exclusive bound is the number itself.
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  if (schema.nullable === true && out.type !== undefined) out.type = [...(Array.isArray(out.type) ? out.type : [out.type]), 'null'];
  if (schema.nullable === true && Array.isArray(out.enum)) out.enum = [...out.enum, null];
  if (schema['x-kubernetes-embedded-resource'] === true) {
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }
  // Additional properties are pruned before validation, so `false` would never fire; leave it out.
  if (out.additionalProperties === false) delete out.additionalProperties;
  return out;
}

/** Root metadata is the server's; only constraints on the name are honoured, as the real server does. */
function metadataSchema(schema: SchemaNode): JsonObject {
  const name = schema.properties?.name;
  const nameRules: JsonObject = {};
  for (const keyword of ['pattern', 'maxLength', 'minLength', 'enum']) if (name?.[keyword] !== undefined) nameRules[keyword] = name[keyword];
  return { type: 'object', properties: { name: nameRules } };
}

/** The segments of an ajv instance path: `/spec/items/0` → ['spec', 'items', 0]. */
export function instanceSegments(instancePath: string): Array<string | number> {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function fieldPathOf(instancePath: string): string {
  return instanceSegments(instancePath).reduce<string>((path, segment) => joinFieldPath(path, segment), '');
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** ajv errors → API-server-worded FieldErrors; branch errors of anyOf/oneOf are folded into their parent. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors ?? []) {
    if (/\/(anyOf|oneOf|not)\/\d+\//.test(error.schemaPath) || /\/not\//.test(error.schemaPath)) continue;
    const mapped = mapError(error);
    if (!out.some((existing) => existing.path === mapped.path && existing.message === mapped.message)) out.push(mapped);
  }
  return out;
}

function mapError(error: ErrorObject): FieldError {
  const path = fieldPathOf(error.instancePath);
  const value = error.data;
  const shown = describeValue(value);
  const params = error.params as Record<string, unknown>;
  const inBody = `${path} in body`;
  switch (error.keyword) {
    case 'required': {
      return { path: joinFieldPath(path, String(params.missingProperty)), message: 'Required value', type: 'FieldValueRequired' };
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path, message: `Unsupported value: ${shown}: supported values: ${allowed}`, type: 'FieldValueNotSupported', value };
    }
    case 'type': {
      const actual = jsonTypeOf(value);
      const expected = Array.isArray(params.type) ? (params.type as string[]).join(',') : String(params.type);
      return { path, message: `Invalid value: "${actual}": ${inBody} must be of type ${expected}: "${actual}"`, type: 'FieldValueTypeInvalid', value };
    }
    case 'maximum':
      return invalid(path, value, `${inBody} should be less than or equal to ${String(params.limit)}`);
    case 'exclusiveMaximum':
      return invalid(path, value, `${inBody} should be less than ${String(params.limit)}`);
    case 'minimum':
      return invalid(path, value, `${inBody} should be greater than or equal to ${String(params.limit)}`);
    case 'exclusiveMinimum':
      return invalid(path, value, `${inBody} should be greater than ${String(params.limit)}`);
    case 'multipleOf':
      return invalid(path, value, `${inBody} should be a multiple of ${String(params.multipleOf)}`);
    case 'maxLength':
      return { path, message: `Too long: may not be more than ${String(params.limit)} bytes`, type: 'FieldValueTooLong', value };
    case 'minLength':
      return invalid(path, value, `${inBody} should be at least ${String(params.limit)} chars long`);
    case 'pattern': {
      // Like the server: a pattern Go cannot compile is accepted in the schema and reported on each value.
      const pattern = String(params.pattern);
      const bad = re2PatternError(pattern);
      return invalid(path, value, `${inBody} should match '${bad === undefined ? pattern : `${pattern}, but pattern is invalid: ${bad}`}'`);
    }
    case 'format':
      return invalid(path, value, `${inBody} must be of type ${String(params.format)}: ${JSON.stringify(value)}`);
    case 'maxItems':
      return { path, message: `Too many: ${(value as unknown[]).length}: must have at most ${String(params.limit)} items`, type: 'FieldValueTooMany', value };
    case 'minItems':
      return invalid(path, value, `${inBody} should have at least ${String(params.limit)} items`);
    case 'maxProperties':
      return { path, message: `Too many: ${Object.keys(value as object).length}: must have at most ${String(params.limit)} items`, type: 'FieldValueTooMany', value };
    case 'minProperties':
      return invalid(path, value, `${inBody} should have at least ${String(params.limit)} properties`);
    case 'uniqueItems':
      return { path: joinFieldPath(path, Number(params.i)), message: `Duplicate value: ${JSON.stringify((value as unknown[])[Number(params.i)])}`, type: 'FieldValueDuplicate' };
    case 'anyOf':
      return invalid(path, value, `${inBody} must validate at least one schema (anyOf)`);
    case 'oneOf':
      return invalid(path, value, `${inBody} must validate one and only one schema (oneOf)`);
    case 'not':
      return invalid(path, value, `${inBody} must not validate the schema (not)`);
    default:
      return invalid(path, value, `${inBody} ${error.message ?? `fails ${error.keyword}`}`);
  }
}

function invalid(path: string, value: unknown, detail: string): FieldError {
  return { path, message: `Invalid value: ${describeValue(value)}: ${detail}`, type: 'FieldValueInvalid', value };
}
