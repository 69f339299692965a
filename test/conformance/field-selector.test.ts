import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTarget, type ConformanceTarget } from './target.js';
import { deleteNamespace } from './helpers.js';
import { ApiReader } from '../../src/runtime/client/api-reader.js';
import { RestTransport } from '../../src/runtime/client/rest-transport.js';
import { ApiError } from '../../src/runtime/client/errors.js';
import { ConfigMap, Namespace } from '../../src/runtime/builtin-resources.js';
import { Client } from '../../src/runtime/client/client.js';

// The uncached reader turns matchingFields into a fieldSelector; these are the server answers it relies on.
describe('an uncached list with matchingFields becomes a fieldSelector the server understands', () => {
  let target: ConformanceTarget;
  let reader: ApiReader;
  const ns = `field-index-${randomBytes(3).toString('hex')}`;
  before(async () => {
    target = await startTarget();
    const transport = new RestTransport(target.kubeConfig);
    reader = new ApiReader(transport);
    const client = new Client({ transport, cache: { get: async () => undefined, list: async () => [] }, fieldManager: 'conformance' });
    await client.create(Namespace, { metadata: { name: ns } });
    for (const name of ['a', 'b']) await client.create(ConfigMap, { metadata: { name, namespace: ns } });
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  it('metadata.name and metadata.namespace select exactly, alone and joined to a fieldSelector', async () => {
    assert.deepEqual((await reader.list(ConfigMap, { namespace: ns, matchingFields: { 'metadata.name': 'b' } })).map((c) => c.metadata?.name), ['b']);
    const joined = await reader.list(ConfigMap, { fieldSelector: `metadata.namespace=${ns}`, matchingFields: { 'metadata.name': 'a' } });
    assert.deepEqual(joined.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`), [`${ns}/a`]);
  });

  it('a value with an escaped comma and equals sign is accepted (and matches nothing)', async () => {
    assert.deepEqual(await reader.list(ConfigMap, { namespace: ns, matchingFields: { 'metadata.name': 'a,b=c' } }), []);
  });

  it('a bad escape or an unescaped = in a value is 400 BadRequest, as fields.UnescapeValue answers', async () => {
    const cases: Array<[string, RegExp]> = [
      ['metadata.name=a\\x', /invalid field selector: invalid escape sequence: \\x/],
      ['metadata.name=a\\', /invalid field selector: invalid escape sequence: \\$/],
      ['metadata.name=a=b', /invalid field selector: unescaped character in value: 61/],
    ];
    for (const [fieldSelector, message] of cases) {
      await assert.rejects(reader.list(ConfigMap, { namespace: ns, fieldSelector }), (err: unknown) => {
        assert.ok(err instanceof ApiError, fieldSelector);
        assert.equal(err.status, 400, fieldSelector);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('a field the kind does not support is 400 BadRequest', async () => {
    await assert.rejects(reader.list(ConfigMap, { namespace: ns, matchingFields: { 'spec.secretRef': 'x' } }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 400);
      assert.equal(err.reason, 'BadRequest');
      assert.match(err.message, /spec\.secretRef/);
      return true;
    });
  });
});
