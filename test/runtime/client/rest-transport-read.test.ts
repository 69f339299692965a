import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { NotFoundError, TransportError } from '../../../src/runtime/client/errors.js';
import { readListAnswer } from '../../../src/runtime/client/read-list-answer.js';

/**
 * An API server stand-in whose answers are written in pieces (each write is one chunk of a chunked answer, so the
 * client's parser hands each to the answer as a piece of its own), per path.
 */
const answers: Record<string, { status: number; pieces: Buffer[]; breakOff?: boolean }> = {};
let server: http.Server;
let transport: RestTransport;

before(async () => {
  server = http.createServer((req, res) => {
    const answer = answers[req.url!.split('?')[0]!];
    if (!answer) return res.writeHead(500).end();
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    answer.pieces.forEach((piece, i) => res.write(piece, () => {
      // Once the last piece is on its way, the connection is cut before the answer's end.
      if (answer.breakOff && i === answer.pieces.length - 1) res.socket?.destroy();
    }));
    if (!answer.breakOff) res.end();
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

/** Splits `bytes` at the given byte offsets. */
function splitAt(bytes: Buffer, ...offsets: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const at of [...offsets, bytes.length]) {
    pieces.push(bytes.subarray(from, at));
    from = at;
  }
  return pieces;
}

const EVENTS = ['data', 'end', 'error', 'aborted'] as const;
const listenerCounts = (res: http.IncomingMessage) => Object.fromEntries(EVENTS.map((e) => [e, res.listenerCount(e)]));

/**
 * What a settled read may leave on the answer: node:http's own listeners, plus one 'error' listener that ignores a
 * late error (a function of the module, holding nothing of the read) so that such an error is not thrown.
 */
function assertReadLeftNothing(r: { before: Record<string, number>; after: Record<string, number>; res: http.IncomingMessage }) {
  assert.deepEqual(r.after, { ...r.before, error: r.before.error! + 1 });
  assert.doesNotThrow(() => r.res.emit('error', new Error('late')));
}

/**
 * Runs `work` and returns how it settled plus, for every answer object node:http handed out meanwhile, its
 * listener counts when it was handed out (node:http's own) and after `work` settled.
 */
async function withAnswers<T>(work: () => Promise<T>) {
  const responses: Array<{ res: http.IncomingMessage; before: Record<string, number> }> = [];
  const onStart = (message: unknown) =>
    (message as { request: http.ClientRequest }).request.once('response', (res: http.IncomingMessage) => responses.push({ res, before: listenerCounts(res) }));
  subscribe('http.client.request.start', onStart);
  try {
    const [result] = await Promise.allSettled([work()]);
    return { result: result!, responses: responses.map(({ res, before }) => ({ res, before, after: listenerCounts(res) })) };
  } finally {
    unsubscribe('http.client.request.start', onStart);
  }
}

test('characters split across the pieces of an answer are decoded whole', async () => {
  const body = { kind: 'ConfigMap', data: { two: 'é', three: '€', four: '😀', text: 'Grüße, 世界' } };
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  const e = bytes.indexOf(Buffer.from('é'));
  const euro = bytes.indexOf(Buffer.from('€'));
  const face = bytes.indexOf(Buffer.from('😀'));
  // Inside é (2 bytes), after the first and after the second byte of € (3 bytes), and inside 😀 (4 bytes).
  answers['/split'] = { status: 200, pieces: splitAt(bytes, e + 1, euro + 1, euro + 2, face + 3) };
  assert.equal(answers['/split'].pieces.length, 5);
  assert.deepEqual(await transport.json({ method: 'GET', path: '/split' }), body);
});

test('a read leaves none of its listeners on the answer object, which node:http keeps referenced after the read', async () => {
  answers['/list'] = { status: 200, pieces: splitAt(Buffer.from(JSON.stringify({ items: [{ a: 1 }, { b: 2 }] })), 10, 20) };
  const { result, responses } = await withAnswers(() => transport.json({ method: 'GET', path: '/list' }));
  assert.deepEqual(result, { status: 'fulfilled', value: { items: [{ a: 1 }, { b: 2 }] } });
  assert.equal(responses.length, 1);
  // Listeners left on it would keep the settled read, and the whole text of the answer, alive with it.
  assertReadLeftNothing(responses[0]!);
});

test('an error answer is read the same way and leaves none of its listeners', async () => {
  const status = { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "ü" not found' };
  const bytes = Buffer.from(JSON.stringify(status));
  answers['/missing'] = { status: 404, pieces: splitAt(bytes, bytes.indexOf(Buffer.from('ü')) + 1) };
  const { result, responses } = await withAnswers(() => transport.json({ method: 'GET', path: '/missing' }));
  assert.equal(result.status, 'rejected');
  const err = (result as PromiseRejectedResult).reason;
  assert.ok(err instanceof NotFoundError, String(err));
  assert.match(err.message, /configmaps "ü" not found/);
  assertReadLeftNothing(responses[0]!);
});

test('an answer that breaks off before its end fails with a TransportError and leaves none of its listeners', async () => {
  answers['/broken'] = { status: 200, pieces: [Buffer.from('{"items":[{"a":1},')], breakOff: true };
  const { result, responses } = await withAnswers(() => transport.json({ method: 'GET', path: '/broken' }));
  assert.equal(result.status, 'rejected');
  const err = (result as PromiseRejectedResult).reason;
  assert.ok(err instanceof TransportError, String(err));
  assert.match(err.message, /GET \/broken: the answer broke off/);
  assertReadLeftNothing(responses[0]!);
});

const readList = (path: string) => transport.read({ method: 'GET', path }, (res) => readListAnswer(res, { method: 'GET', path }));

test('a list answer read item by item (RestTransport.read + readListAnswer) equals its JSON.parse and leaves no listeners', async () => {
  const body = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '12' }, items: [{ metadata: { name: 'ü' }, data: { k: '😀]}"' } }, { metadata: { name: 'b' } }] };
  const bytes = Buffer.from(JSON.stringify(body));
  const face = bytes.indexOf(Buffer.from('😀'));
  answers['/stream-list'] = { status: 200, pieces: splitAt(bytes, 5, face + 1, face + 2, bytes.length - 3) };
  const { result, responses } = await withAnswers(() => readList('/stream-list'));
  assert.deepEqual(result, { status: 'fulfilled', value: body });
  assertReadLeftNothing(responses[0]!);
});

test('a list read: an error answer becomes its typed error, read whole', async () => {
  const status = { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' };
  answers['/stream-missing'] = { status: 404, pieces: splitAt(Buffer.from(JSON.stringify(status)), 9) };
  const { result, responses } = await withAnswers(() => readList('/stream-missing'));
  const err = (result as PromiseRejectedResult).reason;
  assert.ok(err instanceof NotFoundError, String(err));
  assert.match(err.message, /could not find the requested resource/);
  assertReadLeftNothing(responses[0]!);
});

test('a list read: a body cut short, a body that is not JSON and an empty body fail with a TransportError', async () => {
  answers['/stream-short'] = { status: 200, pieces: [Buffer.from('{"items":[{"a":1},{"b":')] };
  answers['/stream-bad-item'] = { status: 200, pieces: [Buffer.from('{"items":[{"a":1},{"b":]}'), Buffer.from(' more that is never read')] };
  answers['/stream-bad-separator'] = { status: 200, pieces: [Buffer.from('{"items":[{"a":1} {"b":2}]}')] };
  answers['/stream-empty'] = { status: 200, pieces: [] };
  for (const path of ['/stream-short', '/stream-bad-item', '/stream-bad-separator', '/stream-empty']) {
    const { result, responses } = await withAnswers(() => readList(path));
    assert.equal(result.status, 'rejected', path);
    const err = (result as PromiseRejectedResult).reason;
    assert.ok(err instanceof TransportError, `${path}: ${String(err)}`);
    assert.match(err.message, new RegExp(`GET ${path}: the API server sent a body that is not JSON`));
    assertReadLeftNothing(responses[0]!);
  }
});

test('a list answer that breaks off before its end fails with a TransportError', async () => {
  answers['/stream-broken'] = { status: 200, pieces: [Buffer.from('{"items":[{"a":1},')], breakOff: true };
  const { result, responses } = await withAnswers(() => readList('/stream-broken'));
  const err = (result as PromiseRejectedResult).reason;
  assert.ok(err instanceof TransportError, String(err));
  assert.match(err.message, /GET \/stream-broken: the answer broke off/);
  assertReadLeftNothing(responses[0]!);
});
