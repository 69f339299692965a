import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFieldSelector, parseLabelSelector } from '../../../src/testing/server/selectors.js';
import { StatusError } from '../../../src/testing/server/status.js';

describe('label selectors', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['', { a: '1' }, true],
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['app in (web, db)', { app: 'db' }, true],
    ['app notin (web,db)', { app: 'db' }, false],
    ['app notin (web)', {}, true],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['example.com/tier=fe,app', { 'example.com/tier': 'fe', app: 'x' }, true],
    ['n>3', { n: '4' }, true],
    ['n<3', { n: '4' }, false],
  ];
  for (const [selector, labels, expected] of cases) {
    it(`${JSON.stringify(selector)} on ${JSON.stringify(labels)} -> ${expected}`, () => {
      assert.equal(parseLabelSelector(selector).matches(labels), expected);
    });
  }
  for (const bad of ['app in (web', 'a b', 'Bad/Key=1', 'a=b=c', ',', 'x in ()', 'n>abc', 'a=' + 'v'.repeat(64)]) {
    it(`refuses ${JSON.stringify(bad)} with 400`, () => {
      assert.throws(() => parseLabelSelector(bad), (err: unknown) => err instanceof StatusError && err.httpCode === 400);
    });
  }
});

describe('field selectors', () => {
  const obj = { metadata: { name: 'a', namespace: 'ns' }, type: 'Opaque' };
  it('matches =, == and != on supported fields', () => {
    assert.equal(parseFieldSelector('metadata.name=a', ['metadata.name']).matches(obj), true);
    assert.equal(parseFieldSelector('metadata.name==b', ['metadata.name']).matches(obj), false);
    assert.equal(parseFieldSelector('metadata.name!=b,type=Opaque', ['metadata.name', 'type']).matches(obj), true);
    assert.equal(parseFieldSelector('metadata.name=a', ['metadata.name']).pinned('metadata.name'), 'a');
  });
  it('refuses unsupported fields and malformed terms with 400', () => {
    assert.throws(() => parseFieldSelector('spec.x=1', ['metadata.name']), /field label not supported: spec.x/);
    assert.throws(() => parseFieldSelector('metadata.name', ['metadata.name']), (err: unknown) => err instanceof StatusError && err.httpCode === 400);
  });
});
