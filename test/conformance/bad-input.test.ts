import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, rawRequest } from './helpers.js';

describe('bad input gets a 4xx Status, never a crash', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'bad');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const post = (path: string, body: string, contentType = 'application/json') => rawRequest(target, { method: 'POST', path, body, contentType });

  it('malformed JSON body is 400 BadRequest', async () => {
    const res = await post(`/api/v1/namespaces/${ns}/configmaps`, '{"metadata": {"name": ');
    assert.equal(res.status, 400);
    assertStatus(res.json, 400, 'BadRequest');
  });

  it('a body that is not an object is 400 BadRequest', async () => {
    const res = await post(`/api/v1/namespaces/${ns}/configmaps`, '[1,2,3]');
    assert.equal(res.status, 400);
    assertStatus(res.json, 400, 'BadRequest');
  });

  it('a body of the wrong kind is 400 BadRequest', async () => {
    const res = await post(`/api/v1/namespaces/${ns}/configmaps`, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    assert.equal(res.status, 400);
    assertStatus(res.json, 400, 'BadRequest');
  });

  it('a name in the body that differs from the URL is 400 BadRequest', async () => {
    await post(`/api/v1/namespaces/${ns}/configmaps`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'real' } }));
    const res = await rawRequest(target, {
      method: 'PUT',
      path: `/api/v1/namespaces/${ns}/configmaps/real`,
      contentType: 'application/json',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } }),
    });
    assert.equal(res.status, 400);
    assertStatus(res.json, 400, 'BadRequest');
  });

  it('an unknown resource is 404 NotFound with a Status', async () => {
    const res = await rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/nosuchthings` });
    assert.equal(res.status, 404);
    assertStatus(res.json, 404, 'NotFound');
    const group = await rawRequest(target, { method: 'GET', path: '/apis/nosuch.example.com/v1/things' });
    assert.equal(group.status, 404);
  });

  it('an invalid label selector is 400 BadRequest', async () => {
    for (const selector of ['a in (b', 'a=b=c', '!', 'a notin b']) {
      const res = await rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps?labelSelector=${encodeURIComponent(selector)}` });
      assert.equal(res.status, 400, `selector ${JSON.stringify(selector)} answered ${res.status}`);
      assertStatus(res.json, 400, 'BadRequest');
    }
  });

  it('an unsupported method is 405 MethodNotAllowed', async () => {
    const res = await rawRequest(target, { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps/real` , contentType: 'application/json', body: '{}' });
    assert.equal(res.status, 405);
    assertStatus(res.json, 405, 'MethodNotAllowed');
  });

  it('an unsupported request content type is 415', async () => {
    const res = await post(`/api/v1/namespaces/${ns}/configmaps`, 'name: x', 'text/plain');
    assert.equal(res.status, 415);
    assertStatus(res.json, 415, 'UnsupportedMediaType');
  });

  it('an oversized body is refused with 413 and the server keeps serving', async () => {
    const huge = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { blob: 'x'.repeat(4 * 1024 * 1024) } });
    // A real server answers 413 and closes the connection while the client may still be writing the body, so
    // the client sometimes sees the reset instead of the answer: try again until the answer is read.
    let res: Awaited<ReturnType<typeof post>> | undefined;
    for (let attempt = 0; attempt < 5 && res === undefined; attempt++) {
      res = await post(`/api/v1/namespaces/${ns}/configmaps`, huge).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return undefined;
        throw error;
      });
    }
    assert.ok(res, 'the 413 answer was read in one of 5 attempts');
    assert.equal(res.status, 413);
    assertStatus(res.json, 413, 'RequestEntityTooLarge');
    const ok = await rawRequest(target, { method: 'GET', path: '/healthz' });
    assert.equal(ok.status, 200);
  });
});
