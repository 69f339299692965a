import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { RestTransport } from '../../../../src/runtime/client/rest-transport.js';
import { RestListerWatcher } from '../../../../src/runtime/informer/list-watch.js';
import { ConfigMap } from '../../../../src/runtime/builtin-resources.js';
import { defineResource } from '../../../../src/runtime/resource.js';
import { metadataOnly } from '../../../../src/runtime/metadata-only.js';
import { ProtobufDecodeError } from '../../../../src/runtime/client/protobuf/decode-list.js';
import { resolveManagerOptions } from '../../../../src/runtime/manager/options.js';
import { ManagerOptionsError } from '../../../../src/runtime/manager/errors.js';

/** An API server stand-in: answers every list with `answer` and records each request's Accept header. */
const fixtures = new URL('../../../fixtures/protobuf-lists/', import.meta.url);
const pb = readFileSync(new URL('v1_ConfigMap.pb', fixtures));
const json = readFileSync(new URL('v1_ConfigMap.json', fixtures));
let answer: { contentType: string; body: Buffer } = { contentType: 'application/json', body: json };
const accepts: string[] = [];
let server: http.Server;
let transport: RestTransport;

before(async () => {
  server = http.createServer((req, res) => {
    accepts.push(String(req.headers.accept));
    res.writeHead(200, { 'Content-Type': answer.contentType }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  transport = new RestTransport(kubeConfig);
});
after(() => {
  transport.close();
  server.closeAllConnections();
  server.close();
});

const signal = new AbortController().signal;
const expected = (JSON.parse(json.toString('utf8')) as { items: Array<Record<string, unknown>> }).items.map((i) => ({ ...i }));

test('with protobuf on, a built-in kind is listed asking for protobuf and decoded into the JSON objects', async () => {
  answer = { contentType: 'application/vnd.kubernetes.protobuf', body: pb };
  accepts.length = 0;
  const list = await new RestListerWatcher(transport, ConfigMap, { namespace: 'protobuf-list-fixtures' }, { protobuf: true }).list(signal);
  assert.deepEqual(accepts, ['application/vnd.kubernetes.protobuf,application/json']);
  assert.equal(list.items.length, expected.length);
  list.items.forEach((item, i) => {
    const { apiVersion, kind, ...rest } = item as unknown as Record<string, unknown>;
    assert.equal(apiVersion, 'v1');
    assert.equal(kind, 'ConfigMap');
    assert.equal(JSON.stringify(rest), JSON.stringify(expected[i]));
  });
});

test('a JSON answer to the protobuf request takes the JSON path', async () => {
  answer = { contentType: 'application/json', body: json };
  const list = await new RestListerWatcher(transport, ConfigMap, {}, { protobuf: true }).list(signal);
  assert.deepEqual(list.items.map((i) => i.metadata?.name), expected.map((i) => (i.metadata as { name: string }).name));
});

test('JSON is asked for when protobuf is off, for kinds the descriptor lacks, and for metadata-only lists', async () => {
  answer = { contentType: 'application/json', body: Buffer.from('{"items":[]}') };
  accepts.length = 0;
  const widget = defineResource({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets' });
  await new RestListerWatcher(transport, ConfigMap).list(signal);
  await new RestListerWatcher(transport, widget, {}, { protobuf: true }).list(signal);
  await new RestListerWatcher(transport, metadataOnly(ConfigMap), {}, { protobuf: true }).list(signal);
  assert.deepEqual(accepts, ['application/json', 'application/json', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1']);
});

test('a broken protobuf answer fails the list with ProtobufDecodeError naming the kind', async () => {
  answer = { contentType: 'application/vnd.kubernetes.protobuf', body: pb.subarray(0, pb.length - 20) };
  await assert.rejects(new RestListerWatcher(transport, ConfigMap, {}, { protobuf: true }).list(signal), (err: unknown) => err instanceof ProtobufDecodeError && err.kind === 'ConfigMap');
});

test('the manager option protobuf is off by default and must be a boolean', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  assert.equal(resolveManagerOptions({ kubeConfig }).protobuf, false);
  assert.equal(resolveManagerOptions({ kubeConfig, protobuf: true }).protobuf, true);
  assert.throws(() => resolveManagerOptions({ kubeConfig, protobuf: 'yes' as unknown as boolean }), (err: unknown) => err instanceof ManagerOptionsError && /protobuf is "yes": it must be true or false/.test(err.message));
});
