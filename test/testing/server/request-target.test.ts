import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestTarget } from '../../../src/testing/server/request-target.js';

/** What the handlers read, from WHATWG URL parsing: the reference the fast split must match. */
function viaUrl(raw: string): { pathname: string; query: Array<[string, string]> } {
  const url = new URL(raw, 'http://127.0.0.1');
  return { pathname: url.pathname, query: [...url.searchParams] };
}

describe('requestTarget', () => {
  const targets = [
    '/', '', '?watch=true', '/api/v1/namespaces/a/configmaps', '/api/v1/namespaces/a/configmaps/',
    '/apis/apps.example.com/v1/namespaces/ns-1/foos/my.name_x?fieldManager=me&dryRun=All&dryRun=All',
    '/api/v1/configmaps?labelSelector=a%3Db%2Cc+in+(x,y)&limit=5&continue=abc%3D%3D',
    '/api/v1/configmaps?labelSelector=a b&x=ü', '/api/v1/./configmaps', '/api/v1/../v1/configmaps', '/api//v1',
    '/api/v1/namespaces/a%2Fb/configmaps', '/api\\v1', '/api/v1/configmaps#frag', '/api/v1/configmaps?x=1#frag',
    '/api/v1/%7Euser', '/api/v1/.hidden', '/api/v1/name.', 'http://other/api/v1/pods?x=1', '/api/v1/ü',
  ];
  for (const raw of targets) {
    it(`reads ${JSON.stringify(raw)} as URL parsing does`, () => {
      const target = requestTarget(raw);
      assert.deepEqual({ pathname: target.pathname, query: [...target.searchParams] }, viaUrl(raw));
    });
  }

  it('splits plain API paths without URL parsing', () => {
    assert.ok(!(requestTarget('/api/v1/namespaces/a/configmaps?limit=1') instanceof URL));
    assert.ok(requestTarget('/api/v1/../x') instanceof URL);
  });
});
