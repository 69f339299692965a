/** ConversionReview v1 at /convert: hub and spoke, spoke to spoke through the hub, failures and bad bodies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { defineResource, webhookManagedBy, type ConversionSpec } from '../../../src/runtime/index.js';
import { certDir, post, run, testManager } from './harness.js';

// v1 (hub): spec.replicas and spec.image. v1alpha1: spec.size. v1beta1: spec.count and spec.image.
type Obj = KubernetesObject & { spec: Record<string, unknown> };
const MemcachedV1 = defineResource<Obj>({ group: 'cache.example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds' });
const calls: string[] = [];
const conversion: ConversionSpec = {
  hub: 'v1',
  spokes: {
    v1alpha1: {
      toHub: (o: Obj) => (calls.push('v1alpha1→v1'), { ...o, spec: { replicas: o.spec.size, image: 'memcached:1.6' } }),
      fromHub: (h: Obj) => (calls.push('v1→v1alpha1'), { ...h, spec: { size: h.spec.replicas } }),
    },
    v1beta1: {
      toHub: async (o: Obj) => (calls.push('v1beta1→v1'), { ...o, spec: { replicas: o.spec.count, image: o.spec.image } }),
      fromHub: (h: Obj) => {
        calls.push('v1→v1beta1');
        if (h.spec.replicas === 13) throw new Error('13 replicas cannot be written as v1beta1');
        return { ...h, spec: { count: h.spec.replicas, image: h.spec.image } };
      },
    },
  },
};
const obj = (version: string, name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: `cache.example.com/${version}`, kind: 'Memcached', metadata: { name, namespace: 'ns', uid: `uid-${name}` }, spec });
const review = (desiredAPIVersion: string, objects: unknown[], uid = 'conv-1') => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid, desiredAPIVersion, objects } });

async function serve(t: Parameters<typeof certDir>[0]) {
  const { dir, pair } = await certDir(t);
  const manager = testManager(dir);
  const paths = webhookManagedBy(manager).for(MemcachedV1).withConversion(conversion).complete();
  await run(t, manager);
  return { paths, send: (body: unknown, raw?: string) => post(manager.webhookAddress()!, '/convert', body, { ca: pair.cert, raw }) };
}

test('spoke → hub and hub → spoke, in order, uid echoed, objects already in the desired version passed through', async (t) => {
  const { paths, send } = await serve(t);
  assert.equal(paths.convertPath, '/convert');
  calls.length = 0;
  const res = await send(review('cache.example.com/v1', [obj('v1alpha1', 'a', { size: 2 }), obj('v1', 'b', { replicas: 5, image: 'x' }), obj('v1beta1', 'c', { count: 4, image: 'y' })]));
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    response: {
      uid: 'conv-1',
      result: { status: 'Success' },
      convertedObjects: [obj('v1', 'a', { replicas: 2, image: 'memcached:1.6' }), obj('v1', 'b', { replicas: 5, image: 'x' }), obj('v1', 'c', { replicas: 4, image: 'y' })],
    },
  });
  assert.deepEqual(calls, ['v1alpha1→v1', 'v1beta1→v1']);

  const back = await send(review('cache.example.com/v1alpha1', [obj('v1', 'a', { replicas: 2, image: 'memcached:1.6' })]));
  assert.deepEqual(back.body.response.convertedObjects, [obj('v1alpha1', 'a', { size: 2 })]);
});

test('spoke → spoke goes through the hub, and a round trip keeps what both versions can say', async (t) => {
  const { send } = await serve(t);
  calls.length = 0;
  const res = await send(review('cache.example.com/v1beta1', [obj('v1alpha1', 'a', { size: 3 })]));
  assert.deepEqual(res.body.response.convertedObjects, [obj('v1beta1', 'a', { count: 3, image: 'memcached:1.6' })]);
  assert.deepEqual(calls, ['v1alpha1→v1', 'v1→v1beta1']);
  const round = await send(review('cache.example.com/v1beta1', (await send(review('cache.example.com/v1', [obj('v1beta1', 'r', { count: 9, image: 'z' })]))).body.response.convertedObjects));
  assert.deepEqual(round.body.response.convertedObjects, [obj('v1beta1', 'r', { count: 9, image: 'z' })]);
});

test('a converter that throws, an unknown version or kind: result Failure with the message, no objects', async (t) => {
  const { send } = await serve(t);
  const thrown = (await send(review('cache.example.com/v1beta1', [obj('v1', 'ok', { replicas: 1 }), obj('v1', 'bad', { replicas: 13 })]))).body.response;
  assert.deepEqual(thrown, { uid: 'conv-1', convertedObjects: [], result: { status: 'Failure', message: '13 replicas cannot be written as v1beta1' } });
  const v2 = (await send(review('cache.example.com/v2', [obj('v1', 'a', {})]))).body.response;
  assert.equal(v2.result.status, 'Failure');
  assert.match(v2.result.message, /v2 is neither the hub \(v1\) nor a spoke \(v1alpha1, v1beta1\)/);
  const other = (await send(review('cache.example.com/v1', [{ apiVersion: 'cache.example.com/v1alpha1', kind: 'Redis', metadata: { name: 'r' } }]))).body.response;
  assert.deepEqual(other.result, { status: 'Failure', message: 'no conversion is registered for Redis.cache.example.com' });
});

test('bad ConversionReview bodies are 400 with a message naming what is wrong', async (t) => {
  const { send } = await serve(t);
  const beta = await send({ ...review('cache.example.com/v1', []), apiVersion: 'apiextensions.k8s.io/v1beta1' });
  assert.equal(beta.status, 400);
  assert.match(beta.body.message, /ConversionReview "apiextensions\.k8s\.io\/v1beta1" is not supported: only apiextensions\.k8s\.io\/v1/);
  assert.equal((await send(undefined, '[1,')).status, 400);
  const admission = await send({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} });
  assert.match(admission.body.message, /not a ConversionReview \(kind "AdmissionReview"\)/);
  assert.deepEqual((await send(review('', []))).body.message, 'the ConversionReview request has no desiredAPIVersion');
  assert.deepEqual((await send({ ...review('cache.example.com/v1', []), request: { uid: 'x', desiredAPIVersion: 'cache.example.com/v1' } })).body.message, 'the ConversionReview request has no objects array');
});
