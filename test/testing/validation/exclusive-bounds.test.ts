import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema } from '../../../src/testing/validation/index.js';

// CRD schemas are OpenAPI 3.0: exclusiveMinimum/exclusiveMaximum are booleans qualifying minimum/maximum.
describe('OpenAPI 3.0 exclusive bounds', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
          floor: { type: 'integer', minimum: 1, exclusiveMinimum: false },
        },
      },
    },
  };
  const compiled = compileCrdSchema(schema, { kind: 'Ratio' });
  const errors = (spec: object) => compiled.validate({ apiVersion: 'x.example.com/v1', kind: 'Ratio', metadata: { name: 'r' }, spec });

  it('accepts values strictly inside the bounds', () => {
    assert.deepEqual(errors({ ratio: 0.5, floor: 1 }), []);
  });

  it('rejects the bounds themselves when exclusive, with the field path', () => {
    const low = errors({ ratio: 0 });
    assert.equal(low.length, 1);
    assert.equal(low[0]!.path, 'spec.ratio');
    assert.match(low[0]!.message, /greater than 0/);
    assert.match(errors({ ratio: 1 })[0]!.message, /less than 1/);
  });

  it('keeps an inclusive minimum when exclusiveMinimum is false', () => {
    assert.deepEqual(errors({ floor: 1 }), []);
    assert.match(errors({ floor: 0 })[0]!.message, /greater than or equal to 1/);
  });
});
