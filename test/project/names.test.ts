import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.js';
import {
  pluralize, validateDomain, validateGroup, validateKind, validateLicense, validateOwner, validatePlural,
  validateProjectName, validateVersion,
} from '../../src/project/names.js';

/** Asserts the validator rejects `value` with a message naming the value and a hint with an example. */
function rejects(check: () => unknown, value: string, rule: RegExp): void {
  assert.throws(check, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
    assert.ok(error.message.includes(value), `message should name '${value}': ${error.message}`);
    assert.match(error.message, rule);
    assert.match(error.hint ?? '', /^for example: --/);
    return true;
  });
}

describe('validateKind', () => {
  it('accepts PascalCase kinds', () => {
    for (const kind of ['Memcached', 'MemcachedBackup', 'A', 'Redis2', 'Playlist']) assert.equal(validateKind(kind), kind);
  });
  const bad: Array<[string, RegExp]> = [
    ['memcached', /PascalCase/],
    ['1Memcached', /starts with a digit/],
    ['Mem.cached', /PascalCase/],
    ['Mem cached', /whitespace/],
    ['Mem/cached', /path separator/],
    ['Mem\\cached', /path separator/],
    ['Mem_cached', /PascalCase/],
    ['Mem-cached', /PascalCase/],
    ['-Memcached', /looks like a flag/],
    ['Class', /reserved.*keyword/],
    ['Function', /reserved/],
    ['Object', /reserved/],
    ['Manager', /reserved/],
    ['Status', /reserved/],
    ['MemcachedList', /'List'/],
    ['M' + 'a'.repeat(63), /DNS-1035/],
  ];
  for (const [kind, rule] of bad) it(`rejects ${JSON.stringify(kind)}`, () => rejects(() => validateKind(kind), kind, rule));
  it('rejects an empty kind', () => assert.throws(() => validateKind(''), /must not be empty/));
  it('suggests the capitalised kind for a lowercase one', () => {
    assert.throws(() => validateKind('memcached'), (e: ValidationError) => e.hint === 'for example: --kind Memcached');
  });
});

describe('validateDomain / validateGroup', () => {
  it('accepts DNS-1123 subdomains', () => {
    assert.equal(validateDomain('example.com'), 'example.com');
    assert.equal(validateDomain('my.domain'), 'my.domain');
    assert.equal(validateGroup('cache', 'example.com'), 'cache');
    assert.equal(validateGroup('web-apps', 'example.com'), 'web-apps');
  });
  for (const d of ['Example.com', 'example..com', '-example.com', 'example.com-', 'exa_mple.com', 'example/com', 'a'.repeat(254)]) {
    it(`rejects domain ${JSON.stringify(d.length > 30 ? `${d.slice(0, 10)}...` : d)}`, () => assert.throws(() => validateDomain(d), ValidationError));
  }
  for (const g of ['Cache', 'ca che', 'cache_', 'ca/che', '-cache', 'cache.']) {
    it(`rejects group ${JSON.stringify(g)}`, () => rejects(() => validateGroup(g, 'example.com'), g, /./));
  }
  it('rejects a group whose full name is too long', () => {
    assert.throws(() => validateGroup('a'.repeat(60), `${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.com`), /DNS-1123 subdomain/);
  });
});

describe('validateVersion', () => {
  for (const v of ['v1', 'v2', 'v1alpha1', 'v1beta2', 'v10beta10']) it(`accepts ${v}`, () => assert.equal(validateVersion(v), v));
  for (const v of ['1', 'V1', 'v1alpha', 'v1gamma1', 'v1-alpha1', 'v1.0', 'v1/alpha', '-v1']) {
    it(`rejects ${v}`, () => rejects(() => validateVersion(v), v, /./));
  }
});

describe('validateProjectName / validatePlural', () => {
  it('accepts DNS labels', () => {
    assert.equal(validateProjectName('memcached-operator'), 'memcached-operator');
    assert.equal(validateProjectName('123op'), '123op');
    assert.equal(validatePlural('memcacheds'), 'memcacheds');
  });
  for (const n of ['My-Operator', 'my_operator', 'my.operator', 'op-', '-op', 'a/b', 'x'.repeat(64), 'my operator']) {
    it(`rejects project name ${JSON.stringify(n.length > 20 ? `${n.slice(0, 8)}...` : n)}`, () => rejects(() => validateProjectName(n), n, /./));
  }
  for (const p of ['Memcacheds', '1memcacheds', 'mem.cacheds', 'mem/cacheds', '-memcacheds', 'mem_cacheds']) {
    it(`rejects plural ${p}`, () => rejects(() => validatePlural(p), p, /./));
  }
});

describe('owner and license', () => {
  it('accepts ordinary owners', () => {
    assert.equal(validateOwner(''), '');
    assert.equal(validateOwner("Jane O'Neil <jane@example.com>"), "Jane O'Neil <jane@example.com>");
  });
  for (const o of ['Jane "JD" Doe', 'a\\b', 'line\nbreak', '`x`', '${x}', '{{x}}', '-Jane']) {
    it(`rejects owner ${JSON.stringify(o)}`, () => assert.throws(() => validateOwner(o), ValidationError));
  }
  it('knows the three licenses', () => {
    for (const l of ['apache2', 'mit', 'none']) assert.equal(validateLicense(l), l);
    assert.throws(() => validateLicense('gpl'), /license 'gpl' is not one of apache2, mit, none/);
  });
});

describe('pluralize', () => {
  const cases: Array<[string, string]> = [
    ['memcached', 'memcacheds'], ['bus', 'buses'], ['box', 'boxes'], ['quiz', 'quizes'], ['match', 'matches'],
    ['crash', 'crashes'], ['policy', 'policies'], ['key', 'keys'], ['day', 'days'], ['proxy', 'proxies'],
    ['ingress', 'ingresses'], ['y', 'ys'], ['redis', 'redises'],
  ];
  for (const [word, plural] of cases) it(`${word} → ${plural}`, () => assert.equal(pluralize(word), plural));
});
