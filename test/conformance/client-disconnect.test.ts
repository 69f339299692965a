import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { RequestOptions } from 'node:https';
import { startTarget, type ConformanceTarget } from './target.js';
import { eventually, rawRequest } from './helpers.js';

/**
 * A write whose body arrived completely, after which the client closed or reset the connection before the
 * answer: the server commits it or not at all, never a part of it. (A real server races: Go's HTTP server
 * cancels the request when it sees the connection go, so some such writes are stored and some are not; the
 * embedded server always stores them.) The retry an operator would make settles it either way.
 */
describe('a client that goes away after sending a complete request', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = `server-ns-gone-${randomBytes(3).toString('hex')}`;
    const res = await rawRequest(target, { method: 'POST', path: '/api/v1/namespaces', contentType: 'application/json', body: JSON.stringify({ metadata: { name: ns } }) });
    assert.equal(res.status, 201, res.text);
  });
  after(async () => {
    await rawRequest(target, { method: 'DELETE', path: `/api/v1/namespaces/${ns}` });
    await target.stop();
  });

  /** Opens a connection to the target with its credentials; `raw` is the TCP socket under it, for a reset. */
  async function open(): Promise<{ socket: Socket; raw: Socket; authorization?: string; host: string }> {
    const cluster = target.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(cluster.server);
    const raw = netConnect({ host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    if (url.protocol === 'https:') {
      const options: RequestOptions = { headers: {} };
      await target.kubeConfig.applyToHTTPSOptions(options);
      const headers = (options.headers ?? {}) as Record<string, string>;
      const tlsOptions: ConnectionOptions = {
        socket: raw, servername: url.hostname, ca: options.ca, cert: options.cert, key: options.key,
        rejectUnauthorized: options.rejectUnauthorized ?? true, ALPNProtocols: ['http/1.1'],
      };
      const socket = tlsConnect(tlsOptions);
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      return { socket, raw, host: url.host, ...(headers.Authorization ? { authorization: headers.Authorization } : {}) };
    }
    const token = target.kubeConfig.getCurrentUser()?.token;
    return { socket: raw, raw, host: url.host, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  async function sendAndDrop(method: string, path: string, body: object, how: 'end' | 'reset'): Promise<void> {
    const { socket, raw, authorization, host } = await open();
    socket.on('error', () => undefined); // the reset may surface as an error on our side
    raw.on('error', () => undefined);
    const text = JSON.stringify(body);
    const head = [
      `${method} ${path} HTTP/1.1`, `Host: ${host}`, 'Content-Type: application/json', 'Accept: application/json',
      `Content-Length: ${Buffer.byteLength(text)}`, ...(authorization ? [`Authorization: ${authorization}`] : []), '', '',
    ].join('\r\n');
    await new Promise<void>((resolve, reject) => socket.write(head + text, (err) => (err ? reject(err) : resolve())));
    if (how === 'reset') raw.resetAndDestroy();
    else socket.destroy();
  }

  const get = (name: string) => rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/${name}` });

  for (const how of ['end', 'reset'] as const) {
    it(`stores all or nothing of a write whose connection was ${how === 'end' ? 'closed' : 'reset'} before the answer`, async () => {
      const name = `dropped-${how}`;
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { sent: how } };
      await sendAndDrop('POST', `/api/v1/namespaces/${ns}/configmaps`, body, how);
      const retry = await rawRequest(target, { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, contentType: 'application/json', body: JSON.stringify(body) });
      assert.ok(retry.status === 201 || retry.status === 409, retry.text);
      const stored = (await get(name)).json;
      assert.deepEqual(stored.data, { sent: how });

      await sendAndDrop('PUT', `/api/v1/namespaces/${ns}/configmaps/${name}`, { ...stored, data: { sent: `${how}-again` } }, how);
      // The same update again, from the same resourceVersion: 200 if the dropped one was not stored, else 409.
      const again = await rawRequest(target, { method: 'PUT', path: `/api/v1/namespaces/${ns}/configmaps/${name}`, contentType: 'application/json', body: JSON.stringify({ ...stored, data: { sent: `${how}-again` } }) });
      assert.ok(again.status === 200 || again.status === 409, again.text);
      await eventually(`configmap ${name} updated`, async () => ((await get(name)).json?.data?.sent === `${how}-again` ? true : undefined));
    });
  }
});
