import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import type { RestRequest, RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { RestListerWatcher } from '../../../src/runtime/informer/list-watch.js';

/** A transport that answers each list request with the next page and records the requests. */
function pagedTransport(pages: Array<{ items: KubernetesObject[]; metadata: { resourceVersion: string; continue?: string } }>) {
  const requests: RestRequest[] = [];
  const transport = {
    json: async (req: RestRequest) => {
      requests.push(req);
      return pages[requests.length - 1];
    },
  } as unknown as RestTransport;
  return { transport, requests };
}

test('listed items get apiVersion and kind in place: the objects stored are the ones parsed, never a copy each', async () => {
  const first = { metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } } as KubernetesObject;
  const second = { metadata: { name: 'b', namespace: 'default' } } as KubernetesObject;
  const { transport, requests } = pagedTransport([
    { items: [first], metadata: { resourceVersion: '7', continue: 'next' } },
    { items: [second], metadata: { resourceVersion: '7' } },
  ]);
  const listed = await new RestListerWatcher(transport, ConfigMap, { namespace: 'default' }).list(new AbortController().signal, { resourceVersion: '0' });
  assert.equal(listed.resourceVersion, '7');
  assert.equal(listed.items.length, 2);
  assert.equal(listed.items[0], first, 'the parsed object itself');
  assert.equal(listed.items[1], second);
  assert.deepEqual(listed.items.map((i) => [i.apiVersion, i.kind, i.metadata?.name]), [['v1', 'ConfigMap', 'a'], ['v1', 'ConfigMap', 'b']]);
  assert.deepEqual(requests.map((r) => [r.query?.resourceVersion, r.query?.continue]), [['0', undefined], [undefined, 'next']], 'a continued page carries the token, not the resourceVersion');
});
