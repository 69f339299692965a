import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, formatFieldError } from '../../../src/testing/validation/index.js';

/** Each rule holds on a v1.32 server (optional semantics from cel-go, format messages from apimachinery). */
const holds: Record<string, string[]> = {
  optional: [
    'optional.of(1).hasValue() && !optional.none().hasValue()',
    'optional.of(2).value() == 2 && optional.none().orValue(3) == 3 && optional.of(4).orValue(5) == 4',
    'optional.none().or(optional.of(1)).value() == 1 && optional.of(2).or(optional.of(1)).value() == 2',
    "!optional.ofNonZeroValue('').hasValue() && !optional.ofNonZeroValue(0).hasValue() && !optional.ofNonZeroValue([]).hasValue() && optional.ofNonZeroValue('a').hasValue()",
    "{'a': 1}.?a.value() == 1 && !{'a': 1}.?b.hasValue() && {'a': {'b': 2}}.?a.b.value() == 2 && !{'a': {}}.?a.b.hasValue()",
    "[1, 2][?1].value() == 2 && ![1][?5].hasValue() && {'k': [7]}[?'k'][0].value() == 7",
    "self.?name.orValue('x') != 'bad'",
  ],
  format: [
    '!format.dns1123Label().validate(\'my-name\').hasValue()',
    "format.dns1123Label().validate('a.b').value() == ['must not contain dots']",
    "format.dns1123Subdomain().validate('A').value()[0].startsWith('a lowercase RFC 1123 subdomain must consist of')",
    "!format.dns1035Label().validate('a1').hasValue() && format.dns1035Label().validate('1a').hasValue()",
    "!format.dns1123LabelPrefix().validate('abc-').hasValue() && format.dns1123Label().validate('abc-').hasValue()",
    "!format.qualifiedName().validate('example.com/MyName').hasValue() && format.qualifiedName().validate('a/b/c').hasValue()",
    "!format.labelValue().validate('').hasValue() && format.labelValue().validate('-x').hasValue()",
    "format.named('uuid').value().validate('not').value() == ['does not match the UUID format'] && !format.named('nope').hasValue()",
    "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
    "!format.byte().validate('aGk=').hasValue() && format.byte().validate('aGk').value() == ['invalid base64']",
    "!format.date().validate('2024-02-29').hasValue() && format.date().validate('2023-02-29').hasValue()",
    "!format.datetime().validate('2024-01-02T03:04:05Z').hasValue() && format.datetime().validate('2024-01-02').value() == ['invalid datetime']",
    "!format.uri().validate('https://e.com/x').hasValue() && format.uri().validate('e.com').value() == ['parse \"e.com\": invalid URI for request']",
  ],
};

function check(rule: string, spec: object = {}): string[] {
  const schema = compileCrdSchema({ type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule }] } } });
  return schema.validate({ spec }).map(formatFieldError);
}

describe('CEL optional types and the Kubernetes format library', () => {
  for (const [library, rules] of Object.entries(holds)) {
    it(`${library}: rules that hold pass`, () => {
      for (const rule of rules) assert.deepEqual(check(rule, {}), [], rule);
    });
  }

  it('runs optional steps on the object and reports a none() dereference', () => {
    assert.deepEqual(check("self.?name.orValue('x') != 'bad'", { name: 'ok' }), []);
    assert.equal(check("self.?name.orValue('x') != 'bad'", { name: 'bad' }).length, 1);
    assert.deepEqual(check("self.?labels[?'app'].orValue('') == 'web'", { labels: { app: 'web' } }), []);
    assert.equal(check("self.?labels[?'app'].orValue('') == 'web'", {}).length, 1);
    assert.match(check('self.?missing.value() == 1')[0]!, /optional\.none\(\) dereference evaluating rule/);
    assert.deepEqual(check('!format.dns1123Label().validate(self.name).hasValue()', { name: 'web-1' }), []);
    assert.equal(check('!format.dns1123Label().validate(self.name).hasValue()', { name: 'Web_1' }).length, 1);
  });

  it('refuses two-variable comprehensions, misplaced optional entries and wrong argument counts when the CRD is written', () => {
    const schema = (rule: string) => ({ type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule }] } } });
    assert.throws(() => compileCrdSchema(schema('self.m.all(k, v, v != k)')));
    assert.throws(() => compileCrdSchema(schema('size(1, ?self.?a) == 1')), /only allowed in a list or map literal/);
    assert.throws(() => compileCrdSchema(schema('self.?')), /does not compile/);
    assert.throws(() => compileCrdSchema(schema("self.name.startsWith() || self.name.startsWith('a')")), /found no matching overload for 'startsWith' applied to 0 arguments/);
    assert.throws(() => compileCrdSchema(schema("self.?a.orValue() == ''")), /found no matching overload for 'orValue'/);
    assert.throws(() => compileCrdSchema(schema('optional.of() == optional.none()')), /found no matching overload for 'optional.of'/);
    assert.throws(() => compileCrdSchema(schema('self.?a.optMap(x.y, x).hasValue()')), /optMap\(\) variable name must be a simple identifier/);
    assert.throws(() => compileCrdSchema(schema('self.?a.optMap(x).hasValue()')), /undeclared reference to 'optMap'/);
    assert.doesNotThrow(() => compileCrdSchema(schema("size(self.name) == self.name.size() && sets.contains([1], [1]) && 'ab'.indexOf('b', 1) == 1")));
  });

  it('omits absent optional entries of list and map literals and runs optMap and optFlatMap', () => {
    assert.deepEqual(check("[?self.?name, 'z'] == ['z']"), []);
    assert.deepEqual(check("[?self.?name, 'z'] == ['a', 'z']", { name: 'a' }), []);
    assert.deepEqual(check("{?'k': self.?name, 'j': 1} == {'j': 1}"), []);
    assert.deepEqual(check("{?'k': self.?name} == {'k': 'a'}", { name: 'a' }), []);
    assert.deepEqual(check("{?(true ? 'a' : 'b'): optional.of(1)} == {'a': 1}"), []);
    assert.deepEqual(check("self.?name.optMap(n, n + '!').orValue('none') == 'none'"), []);
    assert.deepEqual(check("self.?name.optMap(n, n + '!').orValue('none') == 'a!'", { name: 'a' }), []);
    assert.deepEqual(check("self.?labels.optFlatMap(l, l[?'app']).orValue('') == 'web'", { labels: { app: 'web' } }), []);
    assert.deepEqual(check("!self.?labels.optFlatMap(l, l[?'app']).hasValue()", { labels: {} }), []);
    assert.match(check("{?'k': optional.of(1), 'k': 2}.size() == 1")[0]!, /repeated key/);
    assert.match(check('[?self.name].size() == 1', { name: 'a' })[0]!, /no such overload: optional list entry evaluating rule/);
    for (const rule of ['self.?name.?x.hasValue()', '[?self.name].size() == 1', "{?'k': self.name}.size() == 1"]) {
      const [message] = check(rule, { name: 'a' });
      assert.match(message!, /no such overload/, rule);
      assert.doesNotMatch(message!, /optional_[a-z]+__/, rule);
    }
  });

  it('refuses == and != on optionals as over the cost budget, like the server\'s estimator', () => {
    const schema = (rule: string) => ({ type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } }, 'x-kubernetes-validations': [{ rule }] } } });
    for (const rule of ["self.?name == optional.of('x') || true", 'optional.none() != optional.of(1)']) {
      assert.throws(() => compileCrdSchema(schema(rule)), /x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x/, rule);
    }
    for (const rule of ['self.?name.hasValue() == false', '[optional.none()] == [optional.none()]', "self.?name.orValue('') != 'x'"]) {
      assert.doesNotThrow(() => compileCrdSchema(schema(rule)), rule);
    }
  });
});
