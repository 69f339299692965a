/**
 * AdmissionReview v1 posted over HTTPS to a running manager's webhook server, trusting only the serving
 * certificate (as the API server trusts a configuration's caBundle).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { defineResource, webhookManagedBy, WebhookDeniedError, type Defaulter, type Validator } from '../../../src/runtime/index.js';
import { admissionReview, certDir, post, run, testManager } from './harness.js';

interface Memcached extends KubernetesObject {
  spec?: { size?: number; image?: string };
}
const MemcachedResource = defineResource<Memcached>({ group: 'cache.example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds' });
const memcached = (spec: Memcached['spec']): Memcached => ({ apiVersion: 'cache.example.com/v1', kind: 'Memcached', metadata: { name: 'm', namespace: 'ns' }, spec });

const defaulter: Defaulter<Memcached> = {
  default(obj) {
    obj.spec ??= {};
    obj.spec.size ??= 3;
    obj.spec.image ??= 'memcached:1.6';
  },
};
const seen: string[] = [];
const validator: Validator<Memcached> = {
  validateCreate(obj) {
    if ((obj.spec?.size ?? 0) > 10) {
      throw new WebhookDeniedError(`Memcached "${obj.metadata?.name}" is invalid: spec.size: Invalid value: ${obj.spec?.size}: must be at most 10`, {
        causes: [{ field: 'spec.size', message: 'Invalid value: must be at most 10' }],
      });
    }
    return (obj.spec?.size ?? 0) > 5 ? [`spec.size ${obj.spec?.size} is more than most caches need`] : [];
  },
  validateUpdate(oldObj, newObj) {
    if (oldObj.spec?.image !== newObj.spec?.image) throw new Error('spec.image cannot change');
  },
  validateDelete(obj) {
    seen.push(`delete ${obj.metadata?.name} size ${obj.spec?.size}`);
  },
};

async function serve(t: Parameters<typeof certDir>[0]) {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const paths = webhookManagedBy(manager).for(MemcachedResource).withDefaulter(defaulter).withValidator(validator).complete();
  await run(t, manager);
  const address = manager.webhookAddress()!;
  return { manager, paths, send: (path: string, body: unknown) => post(address, path, body, { ca: pair.cert }) };
}

test('paths are controller-runtime\'s; the defaulter answers with a base64 JSONPatch of its changes', async (t) => {
  const { paths, send } = await serve(t);
  assert.deepEqual(paths, { mutatePath: '/mutate-cache-example-com-v1-memcached', validatePath: '/validate-cache-example-com-v1-memcached', convertPath: undefined });
  const res = await send(paths.mutatePath!, admissionReview({ operation: 'CREATE', object: memcached({ size: 1 }) }));
  assert.equal(res.status, 200);
  assert.equal(res.body.apiVersion, 'admission.k8s.io/v1');
  assert.equal(res.body.kind, 'AdmissionReview');
  const r = res.body.response;
  assert.equal(r.uid, 'uid-1');
  assert.equal(r.allowed, true);
  assert.equal(r.patchType, 'JSONPatch');
  assert.deepEqual(JSON.parse(Buffer.from(r.patch, 'base64').toString()), [{ op: 'add', path: '/spec/image', value: 'memcached:1.6' }]);
});

test('a defaulter that changes nothing sends no patch; DELETE is allowed without calling it', async (t) => {
  const { paths, send } = await serve(t);
  const same = (await send(paths.mutatePath!, admissionReview({ operation: 'UPDATE', object: memcached({ size: 2, image: 'x' }), oldObject: memcached({ size: 2, image: 'x' }) }))).body.response;
  assert.equal(same.allowed, true);
  assert.equal(same.patch, undefined);
  assert.equal(same.patchType, undefined);
  const del = (await send(paths.mutatePath!, admissionReview({ operation: 'DELETE', oldObject: memcached({}) }))).body.response;
  assert.deepEqual([del.allowed, del.patch], [true, undefined]);
});

test('a defaulter that throws denies with its message; the server keeps serving', async (t) => {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const { mutatePath } = webhookManagedBy(manager)
    .for(MemcachedResource)
    .withDefaulter({
      default() {
        throw new Error('the image registry is unknown');
      },
    })
    .complete();
  await run(t, manager);
  const send = (body: unknown) => post(manager.webhookAddress()!, mutatePath!, body, { ca: pair.cert });
  for (const uid of ['a', 'b']) {
    const res = await send(admissionReview({ uid, operation: 'CREATE', object: memcached({}) }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.response, { uid, allowed: false, status: { code: 403, reason: 'Forbidden', message: 'the image registry is unknown' } });
  }
});

test('validation: warnings on allow, WebhookDeniedError as 422 Invalid with field causes, any other error as 403', async (t) => {
  const { paths, send } = await serve(t);
  const warned = (await send(paths.validatePath!, admissionReview({ operation: 'CREATE', object: memcached({ size: 7 }) }))).body.response;
  assert.deepEqual(warned, { uid: 'uid-1', allowed: true, status: { code: 200 }, warnings: ['spec.size 7 is more than most caches need'] });
  const quiet = (await send(paths.validatePath!, admissionReview({ operation: 'CREATE', object: memcached({ size: 1 }) }))).body.response;
  assert.equal(quiet.warnings, undefined);

  const invalid = (await send(paths.validatePath!, admissionReview({ operation: 'CREATE', object: memcached({ size: 11 }) }))).body.response;
  assert.deepEqual(invalid, {
    uid: 'uid-1',
    allowed: false,
    status: {
      code: 422,
      reason: 'Invalid',
      message: 'Memcached "m" is invalid: spec.size: Invalid value: 11: must be at most 10',
      details: { name: 'm', group: 'cache.example.com', kind: 'Memcached', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: must be at most 10', field: 'spec.size' }] },
    },
  });

  const update = (await send(paths.validatePath!, admissionReview({ operation: 'UPDATE', oldObject: memcached({ image: 'a' }), object: memcached({ image: 'b' }) }))).body.response;
  assert.deepEqual(update.status, { code: 403, reason: 'Forbidden', message: 'spec.image cannot change' });
  assert.equal(update.allowed, false);
});

test('DELETE gives oldObject to validateDelete', async (t) => {
  const { paths, send } = await serve(t);
  seen.length = 0;
  const res = (await send(paths.validatePath!, admissionReview({ operation: 'DELETE', oldObject: memcached({ size: 4 }), object: null }))).body.response;
  assert.equal(res.allowed, true);
  assert.deepEqual(seen, ['delete m size 4']);
});

test('bad bodies: other AdmissionReview versions, non-JSON, wrong content type, missing fields, oversize, unknown path, GET', async (t) => {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const { validatePath } = webhookManagedBy(manager).for(MemcachedResource).withValidator(validator).complete();
  await run(t, manager);
  const address = manager.webhookAddress()!;
  const send = (body: unknown, opts: { contentType?: string; raw?: string | Buffer } = {}) => post(address, validatePath!, body, { ca: pair.cert, ...opts });

  const beta = await send({ ...(admissionReview({ operation: 'CREATE', object: memcached({}) }) as object), apiVersion: 'admission.k8s.io/v1beta1' });
  assert.equal(beta.status, 400);
  assert.match(beta.body.message, /AdmissionReview "admission\.k8s\.io\/v1beta1" is not supported: only admission\.k8s\.io\/v1; set admissionReviewVersions: \[v1\]/);
  const notJson = await send(undefined, { raw: '{"apiVersion": ' });
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.message, /^request body is not JSON/);
  assert.equal((await send(undefined, { raw: '' })).status, 400);
  const yaml = await send(admissionReview({ operation: 'CREATE' }), { contentType: 'application/yaml' });
  assert.deepEqual([yaml.status, yaml.body.reason], [400, 'BadRequest']);
  assert.match(yaml.body.message, /content-type 'application\/yaml' is not supported/);
  const noUid = await send(admissionReview({ uid: '', operation: 'CREATE', object: memcached({}) }));
  assert.deepEqual([noUid.status, noUid.body.message], [400, 'the AdmissionReview request has no uid']);
  const noObject = await send(admissionReview({ operation: 'CREATE' }));
  assert.deepEqual([noObject.status, noObject.body.message], [400, 'the AdmissionReview request for CREATE has no object']);
  const badOp = await send(admissionReview({ operation: 'PATCH', object: memcached({}) }));
  assert.equal(badOp.status, 400);
  const huge = await send(undefined, { raw: Buffer.alloc(7 * 1024 * 1024 + 1, 0x20) });
  assert.equal(huge.status, 400);
  assert.match(huge.body.message, /over the limit of 7340032 bytes/);
  const unknown = await post(address, '/mutate-nothing-v1-here', admissionReview({ operation: 'CREATE' }), { ca: pair.cert });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.message, /no webhook is registered at \/mutate-nothing-v1-here; paths are \/validate-cache-example-com-v1-memcached/);
  // The server still answers a good request after all that.
  assert.equal((await send(admissionReview({ operation: 'CREATE', object: memcached({ size: 1 }) }))).body.response.allowed, true);
});

test('patch paths escape label keys with / and ~ (RFC 6901), and a returned object is used as the defaulted one', async (t) => {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const { mutatePath } = webhookManagedBy(manager)
    .for(MemcachedResource)
    .withDefaulter({ default: (obj) => ({ ...obj, metadata: { ...obj.metadata, labels: { 'app.kubernetes.io/managed-by': 'operator', 'a~b': 'c' } } }) })
    .complete();
  await run(t, manager);
  const r = (await post(manager.webhookAddress()!, mutatePath!, admissionReview({ operation: 'CREATE', object: { ...memcached({ size: 1 }), metadata: { name: 'm', namespace: 'ns', labels: {} } } }), { ca: pair.cert })).body.response;
  assert.deepEqual(JSON.parse(Buffer.from(r.patch, 'base64').toString()), [
    { op: 'add', path: '/metadata/labels/app.kubernetes.io~1managed-by', value: 'operator' },
    { op: 'add', path: '/metadata/labels/a~0b', value: 'c' },
  ]);
});
