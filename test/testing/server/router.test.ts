import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePath } from '../../../src/testing/server/router.js';

test('parsePath takes plain segments as they are and decodes escaped ones', () => {
  assert.deepEqual(parsePath('/api/v1/namespaces/ns-1/configmaps/cm-1'),
    { type: 'resource', group: '', version: 'v1', plural: 'configmaps', namespace: 'ns-1', name: 'cm-1', subresource: undefined, watchPath: false });
  const escaped = parsePath('/apis/example.com/v1/namespaces/default/widgets/a%3Ab');
  assert.equal(escaped.type === 'resource' && escaped.name, 'a:b');
});

test('parsePath answers unknown for a segment that is not valid percent-encoding', () => {
  assert.deepEqual(parsePath('/api/v1/namespaces/default/configmaps/%E0%A4%A'), { type: 'unknown' });
});
