import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, formatFieldError, invalidObjectMessage, SchemaCompileError, statusCauses } from '../../../src/testing/validation/index.js';

const schema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 8 } } },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', format: 'int32', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: 1 },
        mode: { type: 'string', enum: ['a', 'b'] },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5, minLength: 2 },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        when: { type: 'string', format: 'date-time' },
        data: { type: 'string', format: 'byte' },
        window: { type: 'string', format: 'duration' },
        unknownFormat: { type: 'string', format: 'made-up' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};
const compiled = compileCrdSchema(schema, { kind: 'Widget' });
const messages = (obj: object, old?: object) => compiled.validate(obj, old).map(formatFieldError);
const widget = (spec: object, name = 'w') => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });

describe('compileCrdSchema validate', () => {
  it('accepts a valid object', () => {
    assert.deepEqual(
      messages(widget({ size: 3, ratio: 0.5, mode: 'a', name: 'abc', port: 'http', note: null, when: '2024-01-01T00:00:00Z', data: 'aGVsbG8=', window: '1h30m', unknownFormat: 'anything', tags: ['x', 'y'], ports: [{ name: 'a', port: 1 }, { name: 'b', port: 1 }], labels: { 'a.b/c': 'x' }, template: { apiVersion: 'v1', kind: 'Pod', spec: {} } })),
      [],
    );
    assert.deepEqual(messages(widget({ size: 1, port: 8080 })), []);
  });
  it('words errors like the API server', () => {
    assert.deepEqual(messages(widget({ size: 11 })), ['spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10']);
    assert.deepEqual(messages(widget({ size: 0 })), ['spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1']);
    assert.deepEqual(messages(widget({})), ['spec.size: Required value']);
    assert.deepEqual(messages(widget({ size: 1, mode: 'x' })), ['spec.mode: Unsupported value: "x": supported values: "a", "b"']);
    assert.deepEqual(messages(widget({ size: 'three' })), ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']);
    assert.deepEqual(messages(widget({ size: 1, name: 'ABC' })), [`spec.name: Invalid value: "ABC": spec.name in body should match '^[a-z]+$'`]);
    assert.deepEqual(messages(widget({ size: 1, name: 'abcdefg' })), ['spec.name: Too long: may not be more than 5 bytes']);
    assert.deepEqual(messages(widget({ size: 1, ratio: 1 })), ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']);
    assert.deepEqual(messages(widget({ size: 1, tags: ['a', 'b', 'c', 'd'] })), ['spec.tags: Too many: 4: must have at most 3 items']);
    assert.deepEqual(messages(widget({ size: 1, when: 'yesterday' })), ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']);
  });
  it('handles int-or-string, nullable and formats', () => {
    assert.equal(messages(widget({ size: 1, port: true })).length, 1);
    assert.equal(messages(widget({ size: 1, ratio: null })).length, 1, 'ratio is not nullable');
    assert.match(messages(widget({ size: 1, window: '90 minutes' }))[0]!, /must be of type duration/);
    assert.match(messages(widget({ size: 1, data: '%%%' }))[0]!, /must be of type byte/);
    assert.match(messages(widget({ size: 2147483648 }))[0]!, /spec.size/);
  });
  it('reports duplicates in set and map lists with the item index', () => {
    assert.deepEqual(messages(widget({ size: 1, tags: ['a', 'b', 'a'] })), ['spec.tags[2]: Duplicate value: "a"']);
    assert.deepEqual(messages(widget({ size: 1, ports: [{ name: 'x', port: 1 }, { name: 'x', port: 2 }] })), ['spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}']);
  });
  it('requires apiVersion and kind of embedded resources and keeps their metadata', () => {
    assert.deepEqual(messages(widget({ size: 1, template: { kind: 'Pod' } })), ['spec.template.apiVersion: Required value']);
  });
  it('checks only the name rules of root metadata', () => {
    assert.deepEqual(messages(widget({ size: 1 }, 'much-too-long')), ['metadata.name: Too long: may not be more than 8 bytes']);
    assert.deepEqual(messages({ ...widget({ size: 1 }), metadata: { name: 'ok', labels: { a: 'b' }, uid: 'x' } }), []);
  });
  it('builds the 422 message and causes', () => {
    const errors = compiled.validate(widget({ size: 11, mode: 'x' }));
    assert.equal(
      invalidObjectMessage({ kind: 'Widget', group: 'example.com', name: 'w' }, errors),
      'Widget.example.com "w" is invalid: [spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10, spec.mode: Unsupported value: "x": supported values: "a", "b"]',
    );
    assert.deepEqual(statusCauses(errors)[1], { reason: 'FieldValueNotSupported', message: 'Unsupported value: "x": supported values: "a", "b"', field: 'spec.mode' });
    assert.equal(invalidObjectMessage({ kind: 'Widget', group: 'example.com', name: 'w' }, [errors[0]!]), 'Widget.example.com "w" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10');
  });
});

describe('compileCrdSchema refuses bad schemas', () => {
  const bad: Array<[string, object, RegExp]> = [
    ['root not an object', { type: 'string' }, /supported values: "object"/],
    ['missing type', { type: 'object', properties: { spec: { properties: {} } } }, /properties\[spec\]\.type: Required value/],
    ['array without items', { type: 'object', properties: { l: { type: 'array' } } }, /properties\[l\]\.items: Required value/],
    ['bad type name', { type: 'object', properties: { l: { type: 'int' } } }, /unsupported type "int"/],
    ['bad list type', { type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' } } }, /Unsupported value: "bag"/],
    ['map list without keys', { type: 'object', properties: { l: { type: 'array', items: { type: 'object', properties: {} }, 'x-kubernetes-list-type': 'map' } } }, /must not be empty if x-kubernetes-list-type is map/],
    ['bad keyword value', { type: 'object', properties: { n: { type: 'integer', minimum: 'one' } } }, /not valid JSON Schema/],
  ];
  for (const [name, schemaDoc, expected] of bad) {
    it(name, () => {
      assert.throws(() => compileCrdSchema(schemaDoc), (err: unknown) => err instanceof SchemaCompileError && expected.test(err.message));
    });
  }
});
