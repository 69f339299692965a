import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiReader } from '../../../src/runtime/client/api-reader.js';
import type { RestRequest, RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { ValidationError } from '../../../src/errors.js';

function recordingReader(): { reader: ApiReader; selectors: unknown[] } {
  const selectors: unknown[] = [];
  const transport = {
    async json(req: RestRequest) {
      selectors.push(req.query?.fieldSelector);
      return { items: [] };
    },
  } as unknown as RestTransport;
  return { reader: new ApiReader(transport), selectors };
}

test('matchingFields become field=value requirements of the fieldSelector, values escaped as fields.EscapeValue', async () => {
  const { reader, selectors } = recordingReader();
  await reader.list(ConfigMap, { matchingFields: { 'metadata.name': 'x' } });
  await reader.list(ConfigMap, { matchingFields: { 'spec.a': 'x,y=z\\w', 'spec.b': '' } });
  await reader.list(ConfigMap, { fieldSelector: 'metadata.namespace!=kube-system', matchingFields: { 'metadata.name': 'x' } });
  await reader.list(ConfigMap, { fieldSelector: 'metadata.name=x' });
  await reader.list(ConfigMap, { matchingFields: {} });
  assert.deepEqual(selectors, ['metadata.name=x', 'spec.a=x\\,y\\=z\\\\w,spec.b=', 'metadata.namespace!=kube-system,metadata.name=x', 'metadata.name=x', undefined]);
});

test('matchingFields that are not an object of strings are refused before a request is sent', async () => {
  const { reader, selectors } = recordingReader();
  await assert.rejects(reader.list(ConfigMap, { matchingFields: { 'metadata.name': ['x'] as never } }), (err: unknown) => err instanceof ValidationError && /matchingFields\['metadata\.name'\] for ConfigMap is an array: field values must be strings/.test(err.message));
  await assert.rejects(reader.list(ConfigMap, { matchingFields: null as never }), /matchingFields for ConfigMap is null/);
  assert.deepEqual(selectors, []);
});
