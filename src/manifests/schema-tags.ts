import { ManifestError, type SourceLocation } from './errors.js';
import type { DocTag } from './jsdoc.js';
import type { JSONSchemaProps, SchemaType, ValidationRule } from './schema.js';
import type { SchemaTag } from './tag-names.js';
import {
  TagValueError, parseCount, parseFlag, parseJsonValue, parseKeyValues, parseList, parseNumber, parseOneOf, parseStringList,
} from './tag-syntax.js';

const NUMERIC: SchemaType[] = ['number', 'integer'];
const STRING_FORMATS = [
  'date-time', 'date', 'duration', 'byte', 'binary', 'password', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac',
  'uri', 'uuid', 'uuid3', 'uuid4', 'uuid5', 'bsonobjectid', 'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn',
  'hexcolor', 'rgbcolor',
];
const NUMBER_FORMATS = ['int32', 'int64', 'float', 'double'];
const VALIDATION_KEYS = ['rule', 'message', 'messageExpression', 'reason', 'fieldPath', 'optionalOldSelf'] as const;
const VALIDATION_REASONS = ['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'];

export interface TagSite {
  /** Location of a tag, for errors. */
  locate(tag: DocTag): SourceLocation;
}

/** A tagged schema plus the tag it is for: one place that turns TagValueError into ManifestError. */
type Tagged = { tag: DocTag; name: SchemaTag };

/**
 * Applies schema tags (`@minimum`, `@pattern`, `@validation`, ...) to a converted schema, in source
 * order. A scalar tag on an array field applies to its items (`@pattern` on `string[]`); a tag that
 * fits neither the field nor its items is an error naming both.
 */
export function applySchemaTags(schema: JSONSchemaProps, tags: Array<{ tag: DocTag; name: SchemaTag }>, site: TagSite): void {
  for (const t of tags) {
    try {
      applyOne(schema, t);
    } catch (err) {
      if (err instanceof TagValueError) {
        throw new ManifestError(err.message, { location: site.locate(t.tag), hint: 'See docs/manifests.md for the tag syntax.' });
      }
      throw err;
    }
  }
  checkCombinations(schema, tags, site);
}

function applyOne(schema: JSONSchemaProps, { tag, name }: Tagged): void {
  const v = tag.value;
  switch (name) {
    case 'minimum':
    case 'maximum':
    case 'multipleOf':
      target(schema, name, NUMERIC)[name] = parseNumber(name, v);
      return;
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const s = target(schema, name, NUMERIC);
      const bound = name === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      // `@exclusiveMinimum 0` is shorthand for `@minimum 0` + exclusive; a bare flag needs @minimum.
      if (v.trim() === '' || v.trim() === 'true' || v.trim() === 'false') s[name] = parseFlag(name, v);
      else {
        s[bound] = parseNumber(name, v);
        s[name] = true;
      }
      return;
    }
    case 'minLength':
    case 'maxLength':
      target(schema, name, ['string'])[name] = parseCount(name, v);
      return;
    case 'pattern': {
      const s = target(schema, name, ['string']);
      if (v === '') throw new TagValueError('@pattern needs a regular expression (example: @pattern ^[a-z]+$)');
      try {
        new RegExp(v, 'u');
      } catch (err) {
        throw new TagValueError(`@pattern '${v}' is not a valid regular expression: ${(err as Error).message}`);
      }
      s.pattern = v;
      return;
    }
    case 'format': {
      const f = v.trim();
      const s = target(schema, name, ['string', 'number', 'integer']);
      const allowed = s.type === 'string' ? STRING_FORMATS : NUMBER_FORMATS;
      if (!allowed.includes(f)) throw new TagValueError(`@format '${v}' is not a known ${s.type} format (known: ${allowed.join(', ')})`);
      if (f === 'int32' || f === 'int64') s.type = 'integer';
      s.format = f;
      return;
    }
    case 'integer':
      if (!parseFlag(name, v)) return;
      target(schema, name, NUMERIC).type = 'integer';
      return;
    case 'enum': {
      const s = target(schema, name, ['string', 'number', 'integer', 'boolean']);
      const raw = parseList(name, v);
      s.enum = raw.map((item) => coerceScalar(name, item, s.type!));
      return;
    }
    case 'default':
      schema.default = parseDefault(schema, v);
      return;
    case 'nullable':
      schema.nullable = parseFlag(name, v);
      return;
    case 'minItems':
    case 'maxItems':
      target(schema, name, ['array'])[name] = parseCount(name, v);
      return;
    case 'uniqueItems':
      // Kubernetes refuses `uniqueItems: true` (quadratic cost); a set-typed list is its equivalent.
      if (!parseFlag(name, v)) return;
      setListType(target(schema, name, ['array']), 'set');
      return;
    case 'listType':
      setListType(target(schema, name, ['array']), parseOneOf(name, v, ['atomic', 'set', 'map'] as const));
      return;
    case 'listMapKey': {
      const s = target(schema, name, ['array']);
      const keys = parseStringList(name, v);
      s['x-kubernetes-list-map-keys'] = [...(s['x-kubernetes-list-map-keys'] ?? []), ...keys];
      return;
    }
    case 'minProperties':
    case 'maxProperties':
      target(schema, name, ['object'])[name] = parseCount(name, v);
      return;
    case 'mapType':
      target(schema, name, ['object'])['x-kubernetes-map-type'] = parseOneOf(name, v, ['atomic', 'granular'] as const);
      return;
    case 'validation':
      schema['x-kubernetes-validations'] = [...(schema['x-kubernetes-validations'] ?? []), parseValidation(v)];
      return;
  }
}

/** The schema a tag applies to: the field itself, or its items when the field is an array. */
function target(schema: JSONSchemaProps, tag: string, types: SchemaType[]): JSONSchemaProps {
  if (schema.type !== undefined && types.includes(schema.type)) return schema;
  if (schema.type === 'array' && schema.items?.type !== undefined && types.includes(schema.items.type)) return schema.items;
  const actual = schema.type === 'array' ? `an array of ${schema.items?.type ?? 'untyped items'}` : (schema.type ?? 'an untyped value');
  throw new TagValueError(`@${tag} applies to ${types.join('/')} fields (or arrays of them), but this field is ${actual}`);
}

function setListType(s: JSONSchemaProps, type: 'atomic' | 'set' | 'map'): void {
  const existing = s['x-kubernetes-list-type'];
  if (existing !== undefined && existing !== type) throw new TagValueError(`list type is already '${existing}'; cannot also be '${type}'`);
  s['x-kubernetes-list-type'] = type;
}

function coerceScalar(tag: string, item: unknown, type: SchemaType): unknown {
  if (type === 'string') return typeof item === 'string' ? item : String(item);
  if (type === 'boolean') {
    if (item === true || item === 'true') return true;
    if (item === false || item === 'false') return false;
  } else {
    const n = typeof item === 'number' ? item : Number(item);
    if (Number.isFinite(n) && (type === 'number' || Number.isInteger(n))) return n;
  }
  throw new TagValueError(`@${tag} value '${String(item)}' is not a valid ${type}`);
}

function parseDefault(schema: JSONSchemaProps, v: string): unknown {
  const value = parseJsonValue('default', v, schema.type === 'string' || schema['x-kubernetes-int-or-string'] === true);
  const ok = matchesType(schema, value);
  if (!ok) throw new TagValueError(`@default ${v} does not match the field type ${describeType(schema)}`);
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    throw new TagValueError(`@default ${v} is not one of the allowed values ${JSON.stringify(schema.enum)}`);
  }
  return value;
}

function matchesType(schema: JSONSchemaProps, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  if (schema['x-kubernetes-preserve-unknown-fields'] && schema.type === undefined) return true;
  switch (schema.type) {
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value) && (schema.items === undefined || value.every((i) => matchesType(schema.items!, i)));
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    default: return true;
  }
}

function describeType(schema: JSONSchemaProps): string {
  return schema.type === 'array' ? `array of ${schema.items?.type ?? 'values'}` : (schema.type ?? 'int-or-string');
}

/** `@validation <CEL>` or `@validation rule=<CEL>, message=<text>, ...` (see docs/manifests.md). */
export function parseValidation(v: string): ValidationRule {
  const keyed = /^rule\s*=(?!=)/i.test(v.trim());
  const fields = keyed ? parseKeyValues('validation', v, VALIDATION_KEYS) : { rule: v.trim() };
  if (!fields.rule) throw new TagValueError(`@validation needs a CEL rule (example: @validation rule=self.size <= 10, message=size must be at most 10)`);
  const out: ValidationRule = { rule: fields.rule };
  if (fields.message !== undefined) out.message = fields.message;
  if (fields.messageExpression !== undefined) out.messageExpression = fields.messageExpression;
  if (fields.reason !== undefined) out.reason = parseOneOf('validation reason', fields.reason, VALIDATION_REASONS);
  if (fields.fieldPath !== undefined) {
    if (!fields.fieldPath.startsWith('.')) throw new TagValueError(`@validation fieldPath must start with '.', got '${fields.fieldPath}'`);
    out.fieldPath = fields.fieldPath;
  }
  if (fields.optionalOldSelf !== undefined) out.optionalOldSelf = parseFlag('validation optionalOldSelf', fields.optionalOldSelf);
  return out;
}

function checkCombinations(schema: JSONSchemaProps, tags: Tagged[], site: TagSite): void {
  const fail = (name: SchemaTag, message: string, hint: string): never => {
    const t = tags.find((x) => x.name === name)!;
    throw new ManifestError(message, { location: site.locate(t.tag), hint });
  };
  for (const s of [schema, schema.items]) {
    if (!s) continue;
    if (s.exclusiveMinimum && s.minimum === undefined) fail('exclusiveMinimum', '@exclusiveMinimum needs a @minimum to be exclusive of', 'Write `@exclusiveMinimum 0` or add `@minimum 0`.');
    if (s.exclusiveMaximum && s.maximum === undefined) fail('exclusiveMaximum', '@exclusiveMaximum needs a @maximum to be exclusive of', 'Write `@exclusiveMaximum 10` or add `@maximum 10`.');
  }
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  const listType = schema['x-kubernetes-list-type'];
  if (mapKeys && listType !== 'map') fail('listMapKey', '@listMapKey needs @listType map', 'Add `@listType map` to the field.');
  if (listType === 'map') {
    if (!mapKeys || mapKeys.length === 0) fail('listType', '@listType map needs at least one @listMapKey', 'Add `@listMapKey <field>` naming the item field that identifies an entry.');
    const items = schema.items;
    if (items?.type !== 'object') fail('listType', '@listType map needs a list of objects', 'Use @listType set or atomic for lists of scalars.');
    for (const key of mapKeys!) {
      const prop = items!.properties?.[key];
      if (!prop) fail('listMapKey', `@listMapKey '${key}' is not a field of the list items`, `Item fields: ${Object.keys(items!.properties ?? {}).join(', ') || '(none)'}.`);
      if (!(items!.required ?? []).includes(key) && prop!.default === undefined) {
        fail('listMapKey', `@listMapKey '${key}' must be a required field of the items (or have a @default)`, `Remove the '?' from '${key}' in the item type.`);
      }
    }
  }
  if (listType === 'set' && schema.items && !['string', 'integer', 'number', 'boolean'].includes(schema.items.type ?? '')) {
    fail(tags.some((t) => t.name === 'listType') ? 'listType' : 'uniqueItems', 'a set-typed list must hold scalars (strings, numbers or booleans)', 'Use @listType map with @listMapKey for lists of objects.');
  }
}
