import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { Client } from '../../../src/runtime/client/client.js';
import { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { LeaderElector } from '../../../src/runtime/leaderelection/elector.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { ValidationError } from '../../../src/errors.js';

interface Seen {
  method: string;
  path: string;
  body: string;
  /** For held requests: resolves true when the client closed the connection before any answer. */
  closedEarly?: Promise<boolean>;
}

/** An API server stand-in: records every request that reaches it; paths under /held/ are never answered. */
const seen: Seen[] = [];
const arrivals: Array<(s: Seen) => void> = [];
let server: http.Server;
let baseUrl: string;

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method!, path: req.url!, body: Buffer.concat(chunks).toString() };
      if (req.url!.includes('/held')) s.closedEarly = new Promise((r) => res.on('close', () => r(!res.writableFinished)));
      seen.push(s);
      arrivals.shift()?.(s);
      if (s.closedEarly) return;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const nextArrival = () => new Promise<Seen>((r) => arrivals.push(r));

/** The outcome if it settles within a few turns of the event loop (no real waiting), else 'still pending'. */
const settled = (outcome: Promise<unknown>) => Promise.race([outcome, flushMicrotasks(50).then(() => 'still pending')]);

/** A KubeConfig whose credentials take until `release()` (as a slow exec plugin would). */
class StallingKubeConfig extends KubeConfig {
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};
  stall(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open();
  }
  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await this.gate;
    return super.applyToHTTPSOptions(opts);
  }
}

async function setup() {
  const kc = new StallingKubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: baseUrl, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const elector = new LeaderElector({ lock: store.lock('a'), identity: 'a', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, clock, random: () => 0 });
  await elector.acquire(new AbortController().signal);
  const transport = new RestTransport(kc);
  const plain = new Client({ transport, cache: { get: async () => undefined, list: async () => [] }, fieldManager: 'test' });
  const fenced = plain.withGuard(elector.guard);
  seen.length = 0;
  return { kc, clock, store, elector, transport, plain, fenced };
}

const cm = (name: string) => ({ metadata: { name, namespace: 'ns' } });

test('a write stalled before sending until its deadline passes fails with LeaseNotHeldError and is never sent', async () => {
  const { kc, clock, store, elector, transport, fenced } = await setup();
  store.partitioned.add('a'); // renews fail from now on: the deadline stays at t0 + 10 s
  void elector.hold(new AbortController().signal).catch(() => {});
  kc.stall();
  const write = fenced.create(ConfigMap, cm('late'));
  const outcome = write.then(() => 'sent', (e: unknown) => e);
  await clock.advance(9_999);
  assert.equal(await Promise.race([outcome, flushMicrotasks().then(() => 'pending')]), 'pending');
  await clock.advance(1);
  const err = await settled(outcome);
  assert.ok(err instanceof LeaseNotHeldError, String(err));
  assert.match((err as Error).message, /it was not sent/);
  kc.release();
  await flushMicrotasks();
  assert.deepEqual(seen, [], 'nothing reached the server');
  transport.close();
});

test('a write issued just before the lease is lost is aborted in flight with LeaseNotHeldError', async () => {
  const { elector, transport, fenced } = await setup();
  const arrived = nextArrival();
  const write = fenced.create(ConfigMap, { metadata: { name: 'in-flight', namespace: 'held' } });
  const outcome = write.then(() => 'answered', (e: unknown) => e);
  const request = await arrived; // the server has it and does not answer
  await elector.stop({ release: false });
  const err = await settled(outcome);
  assert.ok(err instanceof LeaseNotHeldError, String(err));
  assert.match((err as Error).message, /aborted after it was sent/);
  assert.equal(await request.closedEarly, true, 'the connection was closed under the request');
  transport.close();
});

test('a fenced write is refused outright once the lease is not held; reads stay unfenced; unfenced() writes', async () => {
  const { elector, transport, fenced } = await setup();
  await elector.stop({ release: false });
  await assert.rejects(fenced.create(ConfigMap, cm('refused')), LeaseNotHeldError);
  await assert.rejects(fenced.patch(ConfigMap, 'ns', 'refused', { data: {} }), LeaseNotHeldError);
  await assert.rejects(fenced.delete(ConfigMap, 'ns', 'refused'), LeaseNotHeldError);
  assert.equal(seen.length, 0, 'no refused write reached the server');
  await fenced.read(ConfigMap, 'ns', 'x');
  await fenced.unfenced().create(ConfigMap, cm('webhook-style'));
  assert.deepEqual(seen.map((s) => `${s.method} ${s.path}`), ['GET /api/v1/namespaces/ns/configmaps/x', 'POST /api/v1/namespaces/ns/configmaps']);
  assert.equal(fenced.fenced, true);
  assert.equal(fenced.unfenced().fenced, false);
  transport.close();
});

test('the transport calls beforeSend after the connection is ready, and a throw there sends nothing (new and reused sockets)', async () => {
  const { transport } = await setup();
  const refuse = () => {
    throw new LeaseNotHeldError('refused just before sending');
  };
  await assert.rejects(transport.json({ method: 'POST', path: '/api/v1/namespaces/ns/configmaps', body: {}, beforeSend: refuse }), /refused just before sending/);
  await transport.json({ method: 'GET', path: '/api/v1/namespaces/ns/configmaps/warm' }); // leaves a keep-alive socket
  await assert.rejects(transport.json({ method: 'POST', path: '/api/v1/namespaces/ns/configmaps', body: {}, beforeSend: refuse }), /refused just before sending/);
  let calls = 0;
  await transport.json({ method: 'POST', path: '/api/v1/namespaces/ns/configmaps', body: {}, beforeSend: () => void calls++ });
  assert.equal(calls, 1);
  assert.deepEqual(seen.map((s) => s.method), ['GET', 'POST']);
  transport.close();
});

test('resourceVersion preconditions go into patch bodies, apply configurations and DeleteOptions', async () => {
  const { transport, plain } = await setup();
  await plain.patch(ConfigMap, 'ns', 'm', { metadata: { labels: { a: 'b' } }, data: { x: '1' } }, { resourceVersion: '42' });
  await plain.patch(ConfigMap, 'ns', 's', { data: { x: '1' } }, { type: 'strategic', resourceVersion: '42' });
  await plain.patch(ConfigMap, 'ns', 'j', [{ op: 'add', path: '/data/x', value: '1' }], { type: 'json', resourceVersion: '42' });
  await plain.apply(ConfigMap, { metadata: { name: 'a', namespace: 'ns', resourceVersion: '7' }, data: { x: '1' } }, { resourceVersion: '42' });
  await plain.delete(ConfigMap, 'ns', 'd', { preconditions: { uid: 'u-1', resourceVersion: '42' } });
  const bodies = seen.map((s) => JSON.parse(s.body));
  assert.deepEqual(bodies[0], { metadata: { labels: { a: 'b' }, resourceVersion: '42' }, data: { x: '1' } });
  assert.deepEqual(bodies[1], { metadata: { resourceVersion: '42' }, data: { x: '1' } });
  assert.deepEqual(bodies[2], [{ op: 'replace', path: '/metadata/resourceVersion', value: '42' }, { op: 'add', path: '/data/x', value: '1' }]);
  assert.equal(bodies[3].metadata.resourceVersion, '42');
  assert.deepEqual(bodies[4], { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'u-1', resourceVersion: '42' } });
  transport.close();
});

test('bad preconditions are refused before anything is sent, naming the value', async () => {
  const { transport, plain } = await setup();
  await assert.rejects(plain.patch(ConfigMap, 'ns', 'm', { data: {} }, { resourceVersion: '' }), (e: unknown) => e instanceof ValidationError && /resourceVersion precondition ""/.test(e.message));
  await assert.rejects(plain.patch(ConfigMap, 'ns', 'm', { data: {} }, { resourceVersion: 42 as unknown as string }), (e: unknown) => e instanceof ValidationError && /42/.test(e.message));
  await assert.rejects(plain.patch(ConfigMap, 'ns', 'm', [{ op: 'add' }], { resourceVersion: '1' }), (e: unknown) => e instanceof ValidationError && /must be an object, got an array/.test(e.message));
  await assert.rejects(plain.apply(ConfigMap, { metadata: { name: 'a', namespace: 'ns' } }, { resourceVersion: ' 1' }), ValidationError);
  await assert.rejects(plain.delete(ConfigMap, 'ns', 'd', { preconditions: {} }), /neither a uid nor a resourceVersion/);
  await assert.rejects(plain.delete(ConfigMap, 'ns', 'd', { preconditions: { uid: '' } }), /uid "" is empty/);
  assert.deepEqual(seen, []);
  transport.close();
});
