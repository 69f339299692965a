import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace } from './helpers.js';
import { createProbe, installCrd, postCrd, probeCrd, removeCrd } from './crd-fixture.js';

/**
 * CEL optional types (`a.?b`, `m[?k]`, `optional.*`, optional entries in list and map literals, `optMap`,
 * `optFlatMap`) and the Kubernetes format library in CRD rules, as a v1.32 server accepts and runs them;
 * two-variable comprehensions, which v1.32 does not offer, and calls with an argument count no overload
 * takes are refused when the CRD is written.
 */
const specSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 63 },
    uid: { type: 'string', maxLength: 64 },
    note: { type: 'string', maxLength: 64 },
    labels: { type: 'object', maxProperties: 8, additionalProperties: { type: 'string', maxLength: 63 } },
    ports: { type: 'array', maxItems: 8, items: { type: 'integer' } },
  },
  'x-kubernetes-validations': [
    { rule: "self.?name.orValue('x') != 'bad'", message: 'name must not be bad' },
    { rule: '!has(self.name) || !format.dns1123Label().validate(self.name).hasValue()', message: 'name must be a DNS label' },
    { rule: "self.?labels[?'tier'].orValue('web') in ['web', 'db']", message: 'tier must be web or db' },
    { rule: '!self.?ports[?0].hasValue() || self.ports[0] > 1024', message: 'the first port must be above 1024' },
    { rule: "!has(self.uid) || !format.named('uuid').value().validate(self.uid).hasValue()", messageExpression: "'uid: ' + format.uuid().validate(self.uid).value()[0]" },
    { rule: '!has(self.note) || optional.ofNonZeroValue(self.note).or(optional.none()).hasValue()', message: 'note must not be empty' },
    // An absent optional entry is omitted from the literal, so these sizes count only the fields set.
    { rule: 'size([?self.?name, ?self.?note, "z"]) == (has(self.name) ? 1 : 0) + (has(self.note) ? 1 : 0) + 1', message: 'list literal' },
    { rule: "{?'n': self.?name, ?'o': self.?note}.size() == (has(self.name) ? 1 : 0) + (has(self.note) ? 1 : 0)", message: 'map literal' },
    { rule: "self.?name.optMap(n, n + '-x').orValue('') != 'web-2-x'", message: 'name must not be web-2' },
    { rule: "self.?labels.optFlatMap(l, l[?'env']).orValue('dev') != 'none'", message: 'env must not be none' },
  ],
};

describe('CRD rules with CEL optional types and the format library', () => {
  let target: ConformanceTarget;
  let ns: string;
  let probe: ReturnType<typeof probeCrd>;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'celopt');
    probe = probeCrd('celopt', specSchema);
    await installCrd(target, probe.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, probe.crd.metadata.name);
    await target.stop();
  });

  const create = (name: string, spec: object) => createProbe(target, probe, ns, name, spec);

  it('accepts objects that satisfy the rules, with and without the optional fields', async () => {
    for (const [name, spec] of [
      ['empty', {}],
      ['full', { name: 'web-1', uid: '123e4567-e89b-12d3-a456-426614174000', note: 'hi', labels: { tier: 'db' }, ports: [8080, 80] }],
      ['other-labels', { labels: { app: 'x' }, ports: [] }],
    ] as const) {
      const res = await create(name, spec);
      assert.equal(res.status, 201, `${name}: ${res.text}`);
    }
  });

  it('refuses objects that break them, with each rule\'s message', async () => {
    const cases: Array<[string, object, RegExp]> = [
      ['bad-name', { name: 'bad' }, /spec: Invalid value: "object": name must not be bad/],
      ['not-label', { name: 'Web_1' }, /spec: Invalid value: "object": name must be a DNS label/],
      ['tier', { labels: { tier: 'cache' } }, /spec: Invalid value: "object": tier must be web or db/],
      ['port', { ports: [80] }, /spec: Invalid value: "object": the first port must be above 1024/],
      ['uid', { uid: 'nope' }, /spec: Invalid value: "object": uid: does not match the UUID format/],
      ['note', { note: '' }, /spec: Invalid value: "object": note must not be empty/],
      ['opt-map', { name: 'web-2' }, /spec: Invalid value: "object": name must not be web-2/],
      ['opt-flat-map', { labels: { env: 'none' } }, /spec: Invalid value: "object": env must not be none/],
    ];
    for (const [name, spec, message] of cases) {
      const res = await create(name, spec);
      assertStatus(res.json, 422, 'Invalid', message);
    }
  });

  it('refuses a CRD whose rule uses a two-variable comprehension', async () => {
    const broken = probeCrd('celopt', {
      type: 'object',
      properties: { m: { type: 'object', maxProperties: 10, additionalProperties: { type: 'string', maxLength: 10 } } },
      'x-kubernetes-validations': [{ rule: 'self.m.all(k, v, v != k)' }],
    });
    const res = await postCrd(target, broken.crd);
    assertStatus(res.json, 422, 'Invalid', /x-kubernetes-validations\[0\].*undeclared reference to 'all'/);
  });

  it('refuses a CRD whose rule calls a method with the wrong number of arguments', async () => {
    for (const [rule, name] of [
      ["self.s.startsWith() || self.s == ''", 'startsWith'],
      ["self.?s.orValue() == ''", 'orValue'],
      ['optional.of() == optional.none()', 'optional.of'],
    ] as const) {
      const broken = probeCrd('celopt', {
        type: 'object',
        properties: { s: { type: 'string', maxLength: 10 } },
        'x-kubernetes-validations': [{ rule }],
      });
      const res = await postCrd(target, broken.crd);
      assertStatus(res.json, 422, 'Invalid', new RegExp(`x-kubernetes-validations\\[0\\].*found no matching overload for '${name}'`));
    }
  });

  it('refuses a CRD whose optMap variable is not a simple identifier', async () => {
    const broken = probeCrd('celopt', {
      type: 'object',
      properties: { s: { type: 'string', maxLength: 10 } },
      'x-kubernetes-validations': [{ rule: 'self.?s.optMap(x.y, x).hasValue()' }],
    });
    const res = await postCrd(target, broken.crd);
    assertStatus(res.json, 422, 'Invalid', /x-kubernetes-validations\[0\].*optMap\(\) variable name must be a simple identifier/);
  });
});
