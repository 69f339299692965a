import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace } from './helpers.js';
import { createProbe, installCrd, postCrd, probeCrd, removeCrd } from './crd-fixture.js';

/**
 * CRDs shaped like popular public ones: Go RE2 patterns (inline flags as in prometheus-operator's
 * PrometheusRule, Unicode classes, \z), a pattern RE2 cannot compile (the CRD is refused), and CEL rules
 * using the Kubernetes libraries of a v1.32 server.
 */
const specSchema = {
  type: 'object',
  properties: {
    strategy: { type: 'string', pattern: '^(?i)(abort|warn)?$' },
    word: { type: 'string', pattern: '^\\pL+\\z' },
    limit: { type: 'string', maxLength: 32 },
    request: { type: 'string', maxLength: 32 },
    endpoint: { type: 'string', maxLength: 256 },
    network: { type: 'string', maxLength: 64 },
    address: { type: 'string', maxLength: 64 },
    version: { type: 'string', maxLength: 64 },
    tags: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 16 } },
  },
  'x-kubernetes-validations': [
    { rule: '!has(self.limit) || !has(self.request) || quantity(self.limit).compareTo(quantity(self.request)) >= 0', message: 'limit must not be below request' },
    { rule: "!has(self.endpoint) || (isURL(self.endpoint) && url(self.endpoint).getScheme() == 'https')", message: 'endpoint must be an https URL' },
    { rule: '!has(self.network) || !has(self.address) || cidr(self.network).containsIP(self.address)', message: 'address must lie in network' },
    { rule: "!has(self.version) || self.version.find('^v[0-9]+') != ''", message: 'version must start with v and a number' },
    { rule: "!has(self.tags) || sets.contains(['a', 'b', 'c'], self.tags)", message: 'tags must be among a, b, c' },
  ],
};

describe('CRD compatibility: RE2 patterns and the Kubernetes CEL libraries', () => {
  let target: ConformanceTarget;
  let ns: string;
  let probe: ReturnType<typeof probeCrd>;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'compat');
    probe = probeCrd('compat', specSchema);
    await installCrd(target, probe.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, probe.crd.metadata.name);
    await target.stop();
  });

  const create = (name: string, spec: object) => createProbe(target, probe, ns, name, spec);

  it('accepts values that RE2 patterns with inline flags, \\pL and \\z match', async () => {
    for (const [name, spec] of [['upper', { strategy: 'ABORT' }], ['lower', { strategy: 'warn' }], ['empty', { strategy: '' }], ['letters', { word: 'héllo' }]] as const) {
      const res = await create(name, spec);
      assert.equal(res.status, 201, `${name}: ${res.text}`);
    }
  });

  it('refuses values the RE2 patterns do not match, with the pattern in the message', async () => {
    const strategy = await create('bad-strategy', { strategy: 'retry' });
    assertStatus(strategy.json, 422, 'Invalid', /spec\.strategy: Invalid value: "retry": spec\.strategy in body should match '\^\(\?i\)\(abort\|warn\)\?\$'/);
    const word = await create('bad-word', { word: 'h1' });
    assertStatus(word.json, 422, 'Invalid', /spec\.word in body should match/);
    const newline = await create('bad-newline', { word: 'abc\n' });
    assertStatus(newline.json, 422, 'Invalid', /spec\.word in body should match/);
  });

  it('refuses a CRD whose pattern RE2 cannot compile, naming the pattern', async () => {
    const broken = probeCrd('compat', { type: 'object', properties: { lookahead: { type: 'string', pattern: '^(?=a)' } } });
    const res = await postCrd(target, broken.crd);
    assertStatus(res.json, 422, 'Invalid', /properties\[lookahead\]\.pattern: Invalid value: "\^\(\?=a\)": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`/);
  });

  it('runs rules that use quantity, url, cidr, regex find and sets', async () => {
    const good = await create('libraries-ok', { limit: '1Gi', request: '512Mi', endpoint: 'https://example.com:8443/hook', network: '10.0.0.0/8', address: '10.1.2.3', version: 'v12beta', tags: ['a', 'c'] });
    assert.equal(good.status, 201, good.text);
    const cases: Array<[string, object, RegExp]> = [
      ['quantity', { limit: '1G', request: '1Gi' }, /limit must not be below request/],
      ['url', { endpoint: 'http://example.com' }, /endpoint must be an https URL/],
      ['relative-url', { endpoint: 'example.com' }, /endpoint must be an https URL/],
      ['cidr', { network: '10.0.0.0/8', address: '11.0.0.1' }, /address must lie in network/],
      ['find', { version: 'version1' }, /version must start with v and a number/],
      ['sets', { tags: ['a', 'd'] }, /tags must be among a, b, c/],
    ];
    for (const [name, spec, message] of cases) {
      const res = await create(`bad-${name}`, spec);
      assertStatus(res.json, 422, 'Invalid', message);
    }
  });

  it('refuses a CRD whose rule is far too expensive for an unbounded list, and accepts it with maxItems', async () => {
    const rule = 'self.all(x, self.all(y, x == y))';
    const unbounded = probeCrd('compat', { type: 'object', properties: { names: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule }] } } });
    const refused = await postCrd(target, unbounded.crd);
    assertStatus(refused.json, 422, 'Invalid', /properties\[names\]\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x \(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared\)/);
    const bounded = probeCrd('compat', { type: 'object', properties: { names: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 64 }, 'x-kubernetes-validations': [{ rule }] } } });
    await installCrd(target, bounded.crd);
    await removeCrd(target.kubeConfig, bounded.crd.metadata.name);
  });

  it('refuses a CRD whose rule calls a function v1.32 does not offer', async () => {
    const broken = probeCrd('compat', { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.noSuchFunction()' }] });
    const res = await postCrd(target, broken.crd);
    assertStatus(res.json, 422, 'Invalid', /x-kubernetes-validations\[0\]/);
  });
});
