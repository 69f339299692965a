import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldSchema } from './helpers.js';

const field = (tags: string, type: string, optional = true): string =>
  `  /**\n${tags.split('\n').map((t) => `   * ${t}`).join('\n')}\n   */\n  f${optional ? '?' : ''}: ${type};`;

describe('schema tags', () => {
  it('numeric bounds', async () => {
    assert.deepEqual(await fieldSchema(field('@minimum 1\n@maximum 10\n@multipleOf 0.5', 'number')), {
      type: 'number', minimum: 1, maximum: 10, multipleOf: 0.5,
    });
  });

  it('@exclusiveMinimum with a number sets the bound; as a flag it needs @minimum', async () => {
    assert.deepEqual(await fieldSchema(field('@exclusiveMinimum 0', 'number')), { type: 'number', minimum: 0, exclusiveMinimum: true });
    assert.deepEqual(await fieldSchema(field('@maximum 5\n@exclusiveMaximum', 'number')), { type: 'number', maximum: 5, exclusiveMaximum: true });
  });

  it('string length, pattern and format', async () => {
    assert.deepEqual(await fieldSchema(field('@minLength 1\n@maxLength 63\n@pattern ^[a-z]([-a-z0-9]*[a-z0-9])?$', 'string')), {
      type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
    });
    assert.deepEqual(await fieldSchema(field('@format email', 'string')), { type: 'string', format: 'email' });
  });

  it('number becomes integer with @integer or @format int32/int64', async () => {
    assert.deepEqual(await fieldSchema(field('@integer', 'number')), { type: 'integer' });
    assert.deepEqual(await fieldSchema(field('@format int32', 'number')), { type: 'integer', format: 'int32' });
    assert.deepEqual(await fieldSchema(field('@format int64', 'number')), { type: 'integer', format: 'int64' });
    assert.deepEqual(await fieldSchema(field('', 'number')), { type: 'number' });
  });

  it('@enum as a list or a JSON array, typed by the field', async () => {
    assert.deepEqual(await fieldSchema(field('@enum Always, Never', 'string')), { type: 'string', enum: ['Always', 'Never'] });
    assert.deepEqual(await fieldSchema(field('@enum [1, 2, 3]\n@integer', 'number')), { type: 'integer', enum: [1, 2, 3] });
  });

  it('@default parses JSON, and bare text for strings', async () => {
    assert.deepEqual(await fieldSchema(field('@default info', 'string')), { type: 'string', default: 'info' });
    assert.deepEqual(await fieldSchema(field('@default "a, b"', 'string')), { type: 'string', default: 'a, b' });
    assert.deepEqual(await fieldSchema(field('@default 3', 'number')), { type: 'number', default: 3 });
    assert.deepEqual(await fieldSchema(field('@default false', 'boolean')), { type: 'boolean', default: false });
    assert.deepEqual(await fieldSchema(field('@default ["x"]', 'string[]')), { type: 'array', items: { type: 'string' }, default: ['x'] });
    assert.deepEqual(await fieldSchema(field('@default {"a": "b"}', 'Record<string, string>')), {
      type: 'object', additionalProperties: { type: 'string' }, default: { a: 'b' },
    });
  });

  it('@nullable', async () => {
    assert.deepEqual(await fieldSchema(field('@nullable', 'string')), { type: 'string', nullable: true });
  });

  it('array tags, and scalar tags on an array apply to its items', async () => {
    assert.deepEqual(await fieldSchema(field('@minItems 1\n@maxItems 5\n@pattern ^[a-z]+$\n@maxLength 10', 'string[]')), {
      type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', pattern: '^[a-z]+$', maxLength: 10 },
    });
  });

  it('@uniqueItems becomes a set-typed list (Kubernetes refuses uniqueItems: true)', async () => {
    assert.deepEqual(await fieldSchema(field('@uniqueItems', 'string[]')), { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' });
  });

  it('@listType map with @listMapKey', async () => {
    const s = await fieldSchema(field('@listType map\n@listMapKey name', 'Port[]'), 'export interface Port { name: string; port?: number }');
    assert.equal(s['x-kubernetes-list-type'], 'map');
    assert.deepEqual(s['x-kubernetes-list-map-keys'], ['name']);
    assert.deepEqual(s.items!.required, ['name']);
  });

  it('@listType atomic, @mapType and property counts', async () => {
    assert.equal((await fieldSchema(field('@listType atomic', 'string[]')))['x-kubernetes-list-type'], 'atomic');
    assert.deepEqual(await fieldSchema(field('@mapType atomic\n@minProperties 1\n@maxProperties 3', 'Record<string, string>')), {
      type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic', minProperties: 1, maxProperties: 3,
    });
  });

  it('@validation: a bare rule, key=value with commas in the CEL, and a quoted message', async () => {
    const s = await fieldSchema(
      field(
        [
          '@validation self.size() > 0',
          '@validation rule=self.all(x, x.size() < 10), message=each entry is shorter than 10',
          '@validation rule=self.size() <= 3, message="at most three, please", reason=FieldValueForbidden',
        ].join('\n'),
        'string[]',
      ),
    );
    assert.deepEqual(s['x-kubernetes-validations'], [
      { rule: 'self.size() > 0' },
      { rule: 'self.all(x, x.size() < 10)', message: 'each entry is shorter than 10' },
      { rule: 'self.size() <= 3', message: 'at most three, please', reason: 'FieldValueForbidden' },
    ]);
  });

  it('type-level tags on an alias and an interface apply wherever the type is used', async () => {
    const extra = [
      '/** A port number.\n * @minimum 1\n * @maximum 65535\n * @integer */',
      'export type PortNumber = number;',
      '/** @validation rule=self.min <= self.max, message=min must not exceed max */',
      'export interface Range { min: number; max: number }',
    ].join('\n');
    const spec = await fieldSchema('  f?: { port?: PortNumber; range?: Range };', extra);
    assert.deepEqual(spec.properties!.port, { description: 'A port number.', type: 'integer', minimum: 1, maximum: 65535 });
    assert.deepEqual(spec.properties!.range!['x-kubernetes-validations'], [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }]);
  });

  it('conversion tags: @preserveUnknownFields, @intOrString, @embeddedResource', async () => {
    assert.deepEqual(await fieldSchema(field('@preserveUnknownFields', 'unknown')), { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(await fieldSchema(field('@preserveUnknownFields', 'Record<string, unknown>')), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(await fieldSchema(field('@intOrString', 'string')), {
      anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true,
    });
    assert.deepEqual(await fieldSchema(field('@embeddedResource', 'object')), {
      type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('tag names are case-insensitive and ordinary doc tags are ignored', async () => {
    assert.deepEqual(await fieldSchema(field('@MinLength 2\n@see https://example.com', 'string')), { type: 'string', minLength: 2 });
  });
});
