import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { rawRequest, rejectsWithStatus, testEnv } from '../helpers.js';

function assertStatus(response: { code: number; body: any }, code: number, reason: string): void {
  assert.equal(response.code, code, JSON.stringify(response.body));
  assert.equal(response.body.kind, 'Status');
  assert.equal(response.body.apiVersion, 'v1');
  assert.equal(response.body.status, 'Failure');
  assert.equal(response.body.reason, reason);
  assert.equal(response.body.code, code);
  assert.ok(response.body.message.length > 0);
}

describe('bad input gets a Status, never a crash', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv({ maxBodyBytes: 64 * 1024 });
  });
  after(() => env.stop());

  const cms = '/api/v1/namespaces/default/configmaps';

  it('malformed JSON -> 400', async () => {
    assertStatus(await rawRequest(env, 'POST', cms, { body: '{"metadata":', contentType: 'application/json' }), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'POST', cms, { body: '[1,2]', contentType: 'application/json' }), 400, 'BadRequest');
    // A JSON type mismatch fails decoding, as on a real server: 400, not 422.
    assertStatus(await rawRequest(env, 'POST', cms, { body: '{"metadata":{"name":"x","labels":"oops"}}', contentType: 'application/json' }), 400, 'BadRequest');
  });

  it('a kind that does not match the endpoint -> 400', async () => {
    assertStatus(await rawRequest(env, 'POST', cms, { body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), contentType: 'application/json' }), 400, 'BadRequest');
  });

  it('unknown resources and paths -> 404', async () => {
    assertStatus(await rawRequest(env, 'GET', '/api/v1/namespaces/default/pizzas'), 404, 'NotFound');
    assertStatus(await rawRequest(env, 'GET', '/apis/nope.example.com/v1/things'), 404, 'NotFound');
    assertStatus(await rawRequest(env, 'GET', '/apis/nope.example.com'), 404, 'NotFound');
    assertStatus(await rawRequest(env, 'GET', '/whatever'), 404, 'NotFound');
    assertStatus(await rawRequest(env, 'GET', '/api/v1/namespaces/default/configmaps/x/scale'), 404, 'NotFound');
  });

  it('invalid selectors and query values -> 400', async () => {
    assertStatus(await rawRequest(env, 'GET', `${cms}?labelSelector=${encodeURIComponent('a notin ()')}`), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'GET', `${cms}?labelSelector=${encodeURIComponent('bad key!=x')}`), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'GET', `${cms}?fieldSelector=${encodeURIComponent('metadata.name')}`), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'GET', `${cms}?limit=abc`), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'GET', `${cms}?continue=garbage`), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'GET', `${cms}?watch=1&resourceVersion=abc`), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'POST', `${cms}?dryRun=Some`, { body: '{"metadata":{"name":"d"}}', contentType: 'application/json' }), 400, 'BadRequest');
  });

  it('unsupported methods and media types -> 405 / 415', async () => {
    assertStatus(await rawRequest(env, 'PUT', cms, { body: '{}', contentType: 'application/json' }), 405, 'MethodNotAllowed');
    assertStatus(await rawRequest(env, 'POST', '/api/v1', { body: '{}' }), 405, 'MethodNotAllowed');
    assertStatus(await rawRequest(env, 'POST', cms, { body: 'k8s\u0000...', contentType: 'application/vnd.kubernetes.protobuf' }), 415, 'UnsupportedMediaType');
    assertStatus(await rawRequest(env, 'POST', cms, { body: 'not protobuf', contentType: 'application/vnd.kubernetes.protobuf' }), 415, 'UnsupportedMediaType');
    assertStatus(await rawRequest(env, 'POST', cms, { body: 'x', contentType: 'text/plain' }), 415, 'UnsupportedMediaType');
    await rawRequest(env, 'POST', cms, { body: '{"metadata":{"name":"p"}}', contentType: 'application/json' });
    assertStatus(await rawRequest(env, 'PATCH', `${cms}/p`, { body: '{}', contentType: 'application/json' }), 415, 'UnsupportedMediaType');
    assertStatus(await rawRequest(env, 'PATCH', `${cms}/p`, { body: '{"a":', contentType: 'application/merge-patch+json' }), 400, 'BadRequest');
    assertStatus(await rawRequest(env, 'PATCH', `${cms}/p`, { body: '[{"op":"test","path":"/data/x","value":"1"}]', contentType: 'application/json-patch+json' }), 422, 'Invalid');
    assertStatus(await rawRequest(env, 'PATCH', `${cms}/p`, { body: 'data: {a: b}', contentType: 'application/apply-patch+yaml' }), 422, 'Invalid');
  });

  it('oversized bodies -> 413, and the server keeps serving', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'a'.repeat(100 * 1024) } });
    assertStatus(await rawRequest(env, 'POST', cms, { body: big, contentType: 'application/json' }), 413, 'RequestEntityTooLarge');
    const ok = await rawRequest(env, 'GET', cms);
    assert.equal(ok.code, 200);
  });

  it('survives a client that disconnects mid-body', async () => {
    const { connect } = await import('node:net');
    const port = Number(new URL(env.url).port);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST ${cms} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"metadata":`);
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const ok = await rawRequest(env, 'GET', cms);
    assert.equal(ok.code, 200);
  });

  it('accepts YAML bodies', async () => {
    const created = await rawRequest(env, 'POST', cms, { body: 'metadata:\n  name: from-yaml\ndata:\n  a: b\n', contentType: 'application/yaml' });
    assert.equal(created.code, 201);
    assert.equal(created.body.data.a, 'b');
  });
});

describe('bearer token', () => {
  it('answers 401 without the token and serves with it; health checks stay open', async () => {
    const env = await startTestEnv({ token: 'sekret' });
    try {
      assertStatus(await rawRequest(env, 'GET', '/api/v1/namespaces'), 401, 'Unauthorized');
      assertStatus(await rawRequest(env, 'GET', '/api/v1/namespaces', { headers: { authorization: 'Bearer wrong' } }), 401, 'Unauthorized');
      assert.equal((await rawRequest(env, 'GET', '/healthz')).code, 200);
      const core = env.kubeConfig.makeApiClient(CoreV1Api);
      assert.ok((await core.listNamespace()).items.length >= 2);
    } finally {
      await env.stop();
    }
  });

  it('refuses a bad option value with a clear error', async () => {
    await assert.rejects(startTestEnv({ historyWindow: 0 }), /historyWindow must be an integer between 1/);
    await assert.rejects(startTestEnv({ token: 'has space' }), /token must be a non-empty string/);
  });
});

describe('pause and resume', () => {
  it('holds requests while paused', async () => {
    const env = await startTestEnv();
    try {
      const core = env.kubeConfig.makeApiClient(CoreV1Api);
      env.server.pause();
      let answered = false;
      const pending = core.listNamespace().then(() => (answered = true));
      while (env.server.heldRequestCount === 0) await new Promise((r) => setTimeout(r, 5));
      assert.equal(answered, false);
      env.server.resume();
      await pending;
      assert.equal(answered, true);
      await rejectsWithStatus(core.readNamespace({ name: 'nope' }), 404, 'NotFound');
    } finally {
      await env.stop();
    }
  });
});
