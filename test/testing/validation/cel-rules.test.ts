import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, formatFieldError, SchemaCompileError } from '../../../src/testing/validation/index.js';

const withRules = (rules: object[], extra: object = {}) =>
  compileCrdSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': rules,
        properties: {
          replicas: { type: 'integer' },
          maxReplicas: { type: 'integer' },
          name: { type: 'string' },
          ratio: { type: 'number' },
          tags: { type: 'array', items: { type: 'string' } },
          items: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.size == oldSelf.size', message: 'item size is immutable' }] },
          },
          ...extra,
        },
      },
    },
  });
const messages = (schema: ReturnType<typeof withRules>, spec: object, oldSpec?: object) =>
  schema.validate({ spec }, oldSpec === undefined ? undefined : { spec: oldSpec }).map(formatFieldError);

describe('x-kubernetes-validations', () => {
  const schema = withRules([
    { rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas' },
    { rule: "!has(self.name) || self.name.startsWith('app-')", messageExpression: "'name ' + self.name + ' must start with app-'" },
    { rule: 'self.replicas + 1 > 1 && self.replicas % 2 == 1', fieldPath: '.replicas', reason: 'FieldValueForbidden', message: 'odd replicas only' },
    { rule: '!has(self.tags) || self.tags.all(t, t.lowerAscii() == t)', message: 'tags are lower case' },
    { rule: '!has(oldSelf.name) || self.name == oldSelf.name', message: 'name is immutable' },
  ]);
  it('passes when every rule holds', () => {
    assert.deepEqual(messages(schema, { replicas: 3, maxReplicas: 5, name: 'app-x', tags: ['a'] }), []);
  });
  it('reports a failing rule with its message at the node path', () => {
    assert.deepEqual(messages(schema, { replicas: 7, maxReplicas: 5 }), ['spec: Invalid value: "object": replicas must not exceed maxReplicas']);
  });
  it('uses messageExpression, fieldPath and reason', () => {
    assert.deepEqual(messages(schema, { replicas: 1, maxReplicas: 5, name: 'web' }), ['spec: Invalid value: "object": name web must start with app-']);
    assert.deepEqual(messages(schema, { replicas: 2, maxReplicas: 5 }), ['spec.replicas: Forbidden: odd replicas only']);
    assert.deepEqual(messages(schema, { replicas: 1, maxReplicas: 5, tags: ['A'] }), ['spec: Invalid value: "object": tags are lower case']);
  });
  it('runs transition rules only on update when the old value exists', () => {
    assert.deepEqual(messages(schema, { replicas: 1, maxReplicas: 5, name: 'app-a' }), []);
    assert.deepEqual(messages(schema, { replicas: 1, maxReplicas: 5, name: 'app-a' }, { replicas: 1, maxReplicas: 5, name: 'app-b' }), ['spec: Invalid value: "object": name is immutable']);
  });
  it('correlates map-list items by key for oldSelf', () => {
    const old = { replicas: 1, maxReplicas: 1, items: [{ name: 'a', size: 1 }, { name: 'b', size: 2 }] };
    assert.deepEqual(messages(schema, { ...old, items: [{ name: 'b', size: 2 }, { name: 'a', size: 1 }, { name: 'c', size: 9 }] }, old), []);
    assert.deepEqual(messages(schema, { ...old, items: [{ name: 'b', size: 3 }] }, old), ['spec.items[0]: Invalid value: "object": item size is immutable']);
  });
  it('reports an evaluation error as an invalid value instead of passing', () => {
    const errors = messages(schema, { maxReplicas: 5 });
    assert.ok(errors.some((m) => m.startsWith('spec: Invalid value: "object":') && m.includes('evaluating rule: self.replicas <= self.maxReplicas')), errors.join('\n'));
  });
  it('compares numbers as CEL ints and doubles', () => {
    const s = withRules([{ rule: 'self.ratio < 0.5 && self.replicas == 2 && self.replicas * 2 == 4' }]);
    assert.deepEqual(messages(s, { ratio: 0.25, replicas: 2 }), []);
    assert.equal(messages(s, { ratio: 0.75, replicas: 2 }).length, 1);
  });
});

describe('Kubernetes CEL list library', () => {
  const listSchema = (rule: string) =>
    compileCrdSchema({ type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule }], properties: { n: { type: 'array', items: { type: 'integer' } }, s: { type: 'array', items: { type: 'string' } }, name: { type: 'string' } } } } });
  const holds = (rule: string, spec: object) => listSchema(rule).validate({ spec }).length === 0;
  it('evaluates isSorted, sum, min, max, indexOf and lastIndexOf', () => {
    assert.equal(holds('self.n.isSorted()', { n: [1, 2, 2, 5] }), true);
    assert.equal(holds('self.n.isSorted()', { n: [3, 1] }), false);
    assert.equal(holds('self.n.sum() == 6', { n: [1, 2, 3] }), true);
    assert.equal(holds('self.n.sum() == 0', { n: [] }), true);
    assert.equal(holds('self.n.min() == 1 && self.n.max() == 9', { n: [5, 1, 9] }), true);
    assert.equal(holds("self.s.min() == 'a' && self.s.isSorted() == false", { s: ['b', 'a'] }), true);
    assert.equal(holds("self.s.indexOf('b') == 1 && self.s.lastIndexOf('b') == 2 && self.s.indexOf('z') == -1", { s: ['a', 'b', 'b'] }), true);
    assert.equal(holds("self.name.indexOf('c') == 2", { name: 'abc' }), true, 'the strings extension indexOf still works');
  });
  it('makes min() of an empty list an evaluation error, reported as invalid', () => {
    const errors = listSchema('self.n.min() > 0').validate({ spec: { n: [] } });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /evaluating rule: self\.n\.min\(\) > 0/);
  });
});

describe('CEL rules that cannot compile fail the schema', () => {
  const cases: Array<[string, object, RegExp]> = [
    ['syntax error', { rule: 'self.replicas <' }, /rule "self\.replicas <" does not compile/],
    ['two-variable comprehension', { rule: 'self.tags.all(i, v, v != "")' }, /calls all\(\), which the embedded API server's CEL environment does not support/],
    ['unknown format', { rule: "format.hostname().validate('x') == optional.none()" }, /calls format\.hostname\(\), which the embedded/],
    ['empty rule', { rule: '' }, /non-empty "rule"/],
    ['bad fieldPath', { rule: 'true', fieldPath: 'spec.x' }, /fieldPath: Invalid value: "spec\.x": fieldPath must be a valid path/],
    ['fieldPath to an undeclared field', { rule: 'true', fieldPath: '.nope' }, /fieldPath: Invalid value: "\.nope": fieldPath must be a valid path/],
    ['fieldPath into a list', { rule: 'true', fieldPath: '.tags[0]' }, /fieldPath must be a valid path/],
    ['bad reason', { rule: 'true', reason: 'Nope' }, /reason "Nope" is not supported/],
    ['bad messageExpression', { rule: 'true', messageExpression: "'a' +" }, /messageExpression "'a' \+" does not compile/],
  ];
  for (const [name, rule, expected] of cases) {
    it(name, () => {
      assert.throws(
        () => withRules([rule]),
        (err: unknown) => err instanceof SchemaCompileError && expected.test(err.message) && err.message.includes('openAPIV3Schema.properties[spec].x-kubernetes-validations[0]'),
      );
    });
  }
});

describe('fieldPath and reason as the server checks and reports them', () => {
  it('accepts quoted steps into declared properties and map keys', () => {
    assert.doesNotThrow(() => withRules([{ rule: 'true', fieldPath: ".labels['app.kubernetes.io/name']" }], { labels: { type: 'object', additionalProperties: { type: 'string' } } }));
    assert.doesNotThrow(() => withRules([{ rule: 'true', fieldPath: "['replicas']" }]));
  });

  it('reports FieldValueDuplicate with the node type as the value, not the message', () => {
    const schema = withRules([{ rule: 'self.replicas < 3', reason: 'FieldValueDuplicate', message: 'too many' }]);
    assert.deepEqual(messages(schema, { replicas: 5 }), ['spec: Duplicate value: "object"']);
  });
});

describe('rules next to duplicate list keys', () => {
  it('runs rules on an object whose only schema problem is a duplicate key, as the server does', () => {
    const schema = withRules([{ rule: 'self.items.size() < 2', message: 'at most one item' }]);
    const errors = messages(schema, { items: [{ name: 'a', size: 1 }, { name: 'a', size: 2 }] });
    assert.deepEqual(errors, ['spec.items[1]: Duplicate value: map[string]interface {}{"name":"a"}', 'spec: Invalid value: "object": at most one item']);
  });
});
