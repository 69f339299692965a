import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeLeaseLock } from '../../../src/runtime/kube-locks/kube-lease-lock.js';
import { isMicroTime } from '../../../src/runtime/leaderelection/microtime.js';
import { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { errorCode } from '../../../src/runtime/leaderelection/lease-lock.js';

/** A Lease endpoint that, like a real API server, refuses MicroTimes without six fractional digits. */
async function leaseServer() {
  let lease: any;
  let version = 0;
  const bodies: any[] = [];
  let hang = false;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (code: number, obj: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (hang) return; // never answers
    const status = (code: number, reason: string, message: string) => send(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
    if (req.method === 'GET') return lease ? send(200, lease) : status(404, 'NotFound', 'leases "x" not found');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    bodies.push(body);
    for (const field of ['acquireTime', 'renewTime']) {
      const v = body.spec?.[field];
      if (v !== undefined && !isMicroTime(v)) return status(400, 'BadRequest', `cannot parse "${v}" as "2006-01-02T15:04:05.000000Z07:00"`);
    }
    if (req.method === 'POST') {
      if (lease) return status(409, 'AlreadyExists', 'already exists');
      lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++version), uid: 'u1' } };
      return send(201, lease);
    }
    if (req.method === 'PUT') {
      if (body.metadata.resourceVersion !== lease?.metadata.resourceVersion) return status(409, 'Conflict', 'the object has been modified');
      lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++version), uid: 'u1' } };
      return send(200, lease);
    }
    status(405, 'MethodNotAllowed', 'no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { kc, bodies, setHang: (h: boolean) => (hang = h), close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('KubeLeaseLock sends six-digit MicroTimes, reads them back as strings and uses resourceVersion', async (t) => {
  const srv = await leaseServer();
  t.after(() => srv.close());
  const lock = new KubeLeaseLock(new RestTransport(srv.kc), 'default', 'my-lease');
  const signal = new AbortController().signal;
  assert.equal(await lock.get(signal), undefined);
  const created = await lock.create({ holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2026-01-01T00:00:00.123000Z', renewTime: '2026-01-01T00:00:00.123000Z', leaseTransitions: 0 }, signal);
  assert.equal(srv.bodies[0].spec.renewTime, '2026-01-01T00:00:00.123000Z');
  assert.equal(created.record.renewTime, '2026-01-01T00:00:00.123000Z');
  assert.equal(typeof created.record.renewTime, 'string');
  assert.equal(created.resourceVersion, '1');
  const got = await lock.get(signal);
  assert.deepEqual(got?.record, created.record);
  const updated = await lock.update({ ...created.record, renewTime: '2026-01-01T00:00:02.000000Z' }, '1', signal);
  assert.equal(updated.resourceVersion, '2');
  await assert.rejects(lock.update(created.record, '1', signal), (err: unknown) => errorCode(err) === 409);
  await assert.rejects(lock.create(created.record, signal), (err: unknown) => errorCode(err) === 409);
});

test('the fake server really rejects three-digit times (so the test above can fail)', async (t) => {
  const srv = await leaseServer();
  t.after(() => srv.close());
  const lock = new KubeLeaseLock(new RestTransport(srv.kc), 'default', 'my-lease');
  await assert.rejects(
    lock.create({ holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new Date(0).toISOString(), leaseTransitions: 0 }, new AbortController().signal),
    (err: unknown) => errorCode(err) === 400,
  );
});

test('an aborted signal cancels a request the server never answers', async (t) => {
  const srv = await leaseServer();
  t.after(() => srv.close());
  srv.setHang(true);
  const lock = new KubeLeaseLock(new RestTransport(srv.kc), 'default', 'my-lease');
  const ac = new AbortController();
  const pending = lock.get(ac.signal);
  setImmediate(() => ac.abort());
  await assert.rejects(pending);
});
