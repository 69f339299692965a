import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, formatFieldError, SchemaCompileError } from '../../../src/testing/validation/index.js';
import { re2PatternError } from '../../../src/testing/validation/re2-pattern.js';

const compiled = compileCrdSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        caseless: { type: 'string', pattern: '(?i)^abc\\z' },
        letters: { type: 'string', pattern: '^\\pL+$' },
        plain: { type: 'string', pattern: '^[a-z]+$' },
      },
    },
  },
});
const errors = (spec: object) => compiled.validate({ spec }).map(formatFieldError);

describe('schema pattern (Go RE2 syntax)', () => {
  it('honours inline flags, \\z and Unicode classes', () => {
    assert.deepEqual(errors({ caseless: 'ABC' }), []);
    assert.deepEqual(errors({ caseless: 'abc\n' }), [`spec.caseless: Invalid value: "abc\\n": spec.caseless in body should match '(?i)^abc\\z'`]);
    assert.deepEqual(errors({ letters: 'héllo' }), []);
    assert.equal(errors({ letters: 'h1' }).length, 1);
  });

  it('keeps each pattern apart when several are compiled into one schema', () => {
    assert.deepEqual(errors({ plain: 'abc', letters: 'abc', caseless: 'abc' }), []);
    assert.deepEqual(errors({ plain: 'ABC' }), [`spec.plain: Invalid value: "ABC": spec.plain in body should match '^[a-z]+$'`]);
  });

  it('refuses a schema whose pattern RE2 cannot compile, as the server does', () => {
    assert.throws(
      () => compileCrdSchema({ type: 'object', properties: { spec: { type: 'object', properties: { lookahead: { type: 'string', pattern: '^(?=x)' } } } } }),
      (err: unknown) =>
        err instanceof SchemaCompileError &&
        err.message === 'openAPIV3Schema.properties[spec].properties[lookahead].pattern: Invalid value: "^(?=x)": must be a valid regular expression, but isn\'t: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
  });

  it('gives Go error text for patterns RE2 refuses', () => {
    assert.equal(re2PatternError('a{1001}'), 'error parsing regexp: invalid repeat count: `{1001}`');
    assert.equal(re2PatternError('(a'), 'error parsing regexp: missing closing ): `(a`');
    assert.equal(re2PatternError('\\d+'), undefined);
  });
});
