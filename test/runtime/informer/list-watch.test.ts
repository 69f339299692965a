import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import type { RestRequest, RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { RestListerWatcher } from '../../../src/runtime/informer/list-watch.js';

/**
 * A transport that answers each list request with the next page, as JSON text in chunks of 7 bytes (so items are
 * split across chunks), and records the requests.
 */
function pagedTransport(pages: Array<{ items: KubernetesObject[]; metadata: { resourceVersion: string; continue?: string } }>) {
  const requests: RestRequest[] = [];
  const transport = {
    read: async (req: RestRequest, readAnswer: (res: http.IncomingMessage) => Promise<unknown>) => {
      requests.push(req);
      const text = Buffer.from(JSON.stringify(pages[requests.length - 1]));
      const chunks: Buffer[] = [];
      for (let i = 0; i < text.length; i += 7) chunks.push(text.subarray(i, i + 7));
      return readAnswer(Readable.from(chunks) as unknown as http.IncomingMessage);
    },
  } as unknown as RestTransport;
  return { transport, requests };
}

test('listed items, decoded from the answer as it arrives, get apiVersion and kind; pages follow the continue token', async () => {
  const first = { metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } } as KubernetesObject;
  const second = { metadata: { name: 'b', namespace: 'default' } } as KubernetesObject;
  const { transport, requests } = pagedTransport([
    { items: [first], metadata: { resourceVersion: '7', continue: 'next' } },
    { items: [second], metadata: { resourceVersion: '7' } },
  ]);
  const listed = await new RestListerWatcher(transport, ConfigMap, { namespace: 'default' }).list(new AbortController().signal, { resourceVersion: '0' });
  assert.equal(listed.resourceVersion, '7');
  assert.equal(listed.items.length, 2);
  assert.deepEqual(listed.items[0], { ...first, apiVersion: 'v1', kind: 'ConfigMap' });
  assert.deepEqual(listed.items.map((i) => [i.apiVersion, i.kind, i.metadata?.name]), [['v1', 'ConfigMap', 'a'], ['v1', 'ConfigMap', 'b']]);
  assert.deepEqual(requests.map((r) => [r.query?.resourceVersion, r.query?.continue]), [['0', undefined], [undefined, 'next']], 'a continued page carries the token, not the resourceVersion');
});
