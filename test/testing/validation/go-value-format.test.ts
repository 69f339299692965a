import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goErrorValue } from '../../../src/testing/validation/go-value-format.js';

describe('goErrorValue', () => {
  it('prints scalars as the API server does: strings quoted, numbers and booleans bare', () => {
    assert.equal(goErrorValue('a'), '"a"');
    assert.equal(goErrorValue(3), '3');
    assert.equal(goErrorValue(1.5), '1.5');
    assert.equal(goErrorValue(true), 'true');
  });

  it("prints maps and lists as Go's %#v of decoded JSON, keys sorted", () => {
    assert.equal(goErrorValue({ name: 'g' }), 'map[string]interface {}{"name":"g"}');
    assert.equal(goErrorValue({ port: 80, name: 'g' }), 'map[string]interface {}{"name":"g", "port":80}');
    assert.equal(goErrorValue({ a: ['x', null], b: { c: false } }), 'map[string]interface {}{"a":[]interface {}{"x", interface {}(nil)}, "b":map[string]interface {}{"c":false}}');
  });
});
