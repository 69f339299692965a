import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, SchemaCompileError } from '../../../src/testing/validation/index.js';

const withList = (list: object, rule: string) => ({
  type: 'object',
  properties: { spec: { type: 'object', properties: { items: { ...list, 'x-kubernetes-validations': [{ rule }] } } } },
});
const refusal = (schema: object): string | undefined => {
  try {
    compileCrdSchema(schema);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof SchemaCompileError, String(err));
    return err.message;
  }
};
const NESTED = 'self.all(x, self.all(y, x == y))';

describe('CEL cost limits at CRD creation', () => {
  it('refuses a nested comprehension over an unbounded list, with the server\'s message', () => {
    const message = refusal(withList({ type: 'array', items: { type: 'string' } }, NESTED));
    assert.equal(
      message,
      'openAPIV3Schema.properties[spec].properties[items].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)',
    );
  });

  it('accepts the same rule once maxItems bounds the list', () => {
    assert.equal(refusal(withList({ type: 'array', maxItems: 100, items: { type: 'string' } }, NESTED)), undefined);
  });

  it('accepts a single comprehension over an unbounded list', () => {
    assert.equal(refusal(withList({ type: 'array', items: { type: 'string' } }, 'self.all(x, x.size() < 10)')), undefined);
  });

  it('counts how often the rule\'s node can occur: a comprehension in every item of an unbounded list', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            groups: {
              type: 'array',
              items: { type: 'object', properties: { ports: { type: 'array', items: { type: 'integer' } } }, 'x-kubernetes-validations': [{ rule: 'self.ports.all(p, p > 0)' }] },
            },
          },
        },
      },
    };
    assert.match(refusal(schema) ?? '', /properties\[groups\]\.items\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x/);
    (schema.properties.spec.properties.groups as any).maxItems = 10;
    (schema.properties.spec.properties.groups.items.properties.ports as any).maxItems = 10;
    assert.equal(refusal(schema), undefined);
  });

  it('refuses when the rules together exceed the CRD budget', () => {
    const rule = 'self.all(x, x > 0)';
    const properties: Record<string, object> = {};
    for (let i = 0; i < 40; i++) properties[`l${i}`] = { type: 'array', maxItems: 1_000_000, items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule }] };
    const message = refusal({ type: 'object', properties: { spec: { type: 'object', properties } } });
    assert.match(message ?? '', /^openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of at least/);
  });
});
