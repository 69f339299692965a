import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatchCondition, evaluateMatchConditions, MatchConditionCompileError } from '../../../src/testing/validation/cel-match-conditions.js';

describe('admission matchConditions', () => {
  const request = { operation: 'CREATE', namespace: 'default' };

  it('refuses expressions that are not bools, name undeclared variables, or do not parse', () => {
    const refused = (expression: string) => assert.throws(() => compileMatchCondition('c', expression), MatchConditionCompileError);
    refused('object.metadata.name');
    refused("'text'");
    refused('self.x == 1');
    refused("authorizer.group('').resource('pods').check('get').allowed()");
    refused('object.metadata.name ==');
    assert.throws(() => compileMatchCondition('c', 'object.metadata.name'), /must evaluate to bool but got dyn/);
    // Macro variables are declared by their comprehension.
    compileMatchCondition('c', "object.metadata.labels.all(k, k != 'x')");
  });

  it('matches when all are true, skips on any false even beside an error, and reports errors in the server\'s words', () => {
    const missing = compileMatchCondition('missing', "object.metadata.labels['absent'] == 'y'");
    const data = compileMatchCondition('data', "object.data.k == 'v'");
    const create = compileMatchCondition('create', "request.operation == 'CREATE' && oldObject == null");
    const object = { metadata: { labels: { app: 'x' } }, data: { k: 'v' } };
    assert.deepEqual(evaluateMatchConditions([data, create], { object, oldObject: null, request }), { matches: true });
    assert.deepEqual(evaluateMatchConditions([missing, data], { object: { ...object, data: { k: 'w' } }, oldObject: null, request }), { matches: false, failedCondition: 'data' });
    assert.deepEqual(evaluateMatchConditions([missing, data], { object, oldObject: null, request }), {
      error: "expression 'object.metadata.labels['absent'] == 'y'' resulted in error: no such key: absent",
    });
    const both = evaluateMatchConditions([missing, missing], { object, oldObject: null, request });
    assert.ok('error' in both && both.error.startsWith('[') && both.error.endsWith(']'));
  });
});
