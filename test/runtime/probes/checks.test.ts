import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckSet, DuplicateCheckError, InvalidCheckNameError } from '../../../src/runtime/probes/checks.js';

test('check names are validated and unique', () => {
  const set = new CheckSet('healthz');
  set.add('db', () => {});
  assert.throws(() => set.add('db', () => {}), DuplicateCheckError);
  assert.throws(() => set.add('a/b', () => {}), InvalidCheckNameError);
});
