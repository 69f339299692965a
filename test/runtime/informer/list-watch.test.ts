import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { TransportError } from '../../../src/runtime/client/errors.js';
import type { RestRequest, RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { RestListerWatcher } from '../../../src/runtime/informer/list-watch.js';

/** A transport that answers each list request with the next body, sent in the given pieces, and records the requests. */
function pagedTransport(bodies: Buffer[][]) {
  const requests: RestRequest[] = [];
  const transport = {
    stream: async (req: RestRequest) => {
      requests.push(req);
      const res = new PassThrough();
      const pieces = bodies[requests.length - 1]!;
      setImmediate(() => {
        for (const piece of pieces) res.write(piece);
        res.end();
      });
      return res;
    },
  } as unknown as RestTransport;
  return { transport, requests };
}

const whole = (body: unknown) => [Buffer.from(JSON.stringify(body))];

test('a list reads every page, adds apiVersion and kind to each item, and sends the continue token without the resourceVersion', async () => {
  const { transport, requests } = pagedTransport([
    whole({ items: [{ metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } }], metadata: { resourceVersion: '7', continue: 'next' } }),
    whole({ items: [{ metadata: { name: 'b', namespace: 'default' } }], metadata: { resourceVersion: '7' } }),
  ]);
  const listed = await new RestListerWatcher(transport, ConfigMap, { namespace: 'default' }).list(new AbortController().signal, { resourceVersion: '0' });
  assert.equal(listed.resourceVersion, '7');
  assert.deepEqual(listed.items.map((i: KubernetesObject) => [i.apiVersion, i.kind, i.metadata?.name]), [['v1', 'ConfigMap', 'a'], ['v1', 'ConfigMap', 'b']]);
  assert.deepEqual(requests.map((r) => [r.query?.resourceVersion, r.query?.continue]), [['0', undefined], [undefined, 'next']]);
});

test('a list body split inside a multi-byte character is decoded intact', async () => {
  const body = Buffer.from(JSON.stringify({ items: [{ metadata: { name: 'a', namespace: 'default' }, data: { greeting: 'grüße ✓' } }], metadata: { resourceVersion: '3' } }));
  const cut = body.indexOf(Buffer.from('✓')) + 1; // one byte into the three-byte check mark
  const { transport } = pagedTransport([[body.subarray(0, cut), body.subarray(cut)]]);
  const listed = await new RestListerWatcher(transport, ConfigMap).list(new AbortController().signal);
  assert.equal((listed.items[0] as { data?: Record<string, string> }).data?.greeting, 'grüße ✓');
});

test('a list body that is not JSON fails with a TransportError naming the path', async () => {
  const { transport } = pagedTransport([[Buffer.from('{"items": [')]]);
  await assert.rejects(new RestListerWatcher(transport, ConfigMap, { namespace: 'default' }).list(new AbortController().signal), (err: unknown) => {
    assert.ok(err instanceof TransportError);
    assert.match(err.message, /\/api\/v1\/namespaces\/default\/configmaps: the API server sent a list that is not JSON/);
    return true;
  });
});
