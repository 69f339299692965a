/**
 * The runtime's webhook server called by a real kube-apiserver: a Mutating- and ValidatingWebhookConfiguration with
 * `url: https://127.0.0.1:<port>/...` and the serving certificate as caBundle, scoped by namespaceSelector to a
 * namespace of this test only (a leftover failurePolicy Fail webhook would break others). Runs against both servers:
 * the real one is the reference for what the embedded one does with the webhook's answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap, webhookManagedBy, WebhookDeniedError, type Manager } from '../../src/runtime/index.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { deleteNamespace, rawRequest, uniqueSuffix } from './helpers.js';
import { certDir, testManager } from '../runtime/webhook/harness.js';

type Cm = KubernetesObject & { data?: Record<string, string> };
const json = 'application/json';

describe('webhook runtime against the API server', () => {
  let target: ConformanceTarget;
  let manager: Manager;
  const stop = new AbortController();
  let running: Promise<void>;
  const ns = `webhook-runtime-${uniqueSuffix()}`;
  const name = `webhook-runtime-${uniqueSuffix()}`;
  const cleanups: Array<() => Promise<void>> = [];
  const seenTimeouts: string[] = [];
  const request = (method: string, path: string, body?: unknown) => rawRequest(target, { method, path, body: body === undefined ? undefined : JSON.stringify(body), contentType: json });
  const configMap = (cmName: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cmName, namespace: ns }, data });

  before(async () => {
    target = await startTarget();
    const t = { after: (fn: () => Promise<void>) => void cleanups.push(fn) };
    const { dir, pair } = await certDir(t);
    manager = testManager(dir);
    const paths = webhookManagedBy(manager)
      .for(ConfigMap)
      .withDefaulter({
        default(obj: Cm, ctx) {
          seenTimeouts.push(ctx.signal.aborted ? 'aborted' : 'live');
          obj.data = { ...obj.data, defaulted: 'yes' };
        },
      })
      .withValidator({
        validateCreate(obj: Cm) {
          if (obj.data?.size !== undefined && !/^\d+$/.test(obj.data.size)) {
            throw new WebhookDeniedError(`ConfigMap "${obj.metadata?.name}" is invalid: data.size: Invalid value: "${obj.data.size}": must be a whole number`, {
              causes: [{ field: 'data.size', message: `Invalid value: "${obj.data.size}": must be a whole number` }],
            });
          }
          return obj.data?.warn ? [`data.warn is set to ${obj.data.warn}`] : [];
        },
        validateUpdate(oldObj: Cm, newObj: Cm) {
          if (oldObj.data?.size !== newObj.data?.size) throw new Error('data.size is immutable');
        },
        validateDelete: () => {},
      })
      .complete();
    assert.deepEqual([paths.mutatePath, paths.validatePath], ['/mutate--v1-configmap', '/validate--v1-configmap']);
    running = manager.start(stop.signal);
    await manager.elected();
    const url = (path: string) => `https://${manager.webhookAddress()}${path}`;

    assert.equal((await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    const scope = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' }],
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      failurePolicy: 'Fail',
      timeoutSeconds: 5,
    };
    const caBundle = Buffer.from(pair.cert).toString('base64');
    for (const [kind, plural, path] of [['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', paths.mutatePath!], ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', paths.validatePath!]] as const) {
      const res = await request('POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, {
        apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name },
        webhooks: [{ name: `${plural.slice(0, 1)}configmap.${name}.example.com`, clientConfig: { url: url(path), caBundle }, ...scope }],
      });
      assert.equal(res.status, 201, res.text);
      cleanups.unshift(async () => void (await request('DELETE', `/apis/admissionregistration.k8s.io/v1/${plural}/${name}`)));
    }
  });

  after(async () => {
    // Configurations first, so nothing is left pointing at a server that is gone.
    for (const fn of cleanups) await fn().catch(() => undefined);
    if (target) await deleteNamespace(target.kubeConfig, ns).catch(() => undefined);
    stop.abort();
    await running?.catch(() => undefined);
    await target?.stop();
  });

  it('defaults on create: the patch is applied to the stored object', async () => {
    // Configurations take effect within a moment of being created (the API server's informer); retry until then.
    let res;
    for (let i = 0; i < 100; i++) {
      res = await request('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(`plain-${i}`, { size: '3' }));
      assert.equal(res.status, 201, res.text);
      if (res.json.data.defaulted === 'yes') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(res!.json.data, { size: '3', defaulted: 'yes' });
    const stored = await request('GET', `/api/v1/namespaces/${ns}/configmaps/${res!.json.metadata.name}`);
    assert.equal(stored.json.data.defaulted, 'yes');
    assert.ok(seenTimeouts.includes('live'));
  });

  it('a WebhookDeniedError is the 422 Invalid the client gets, with the webhook named and the causes kept', async () => {
    const res = await request('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('bad', { size: 'three' }));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.reason, 'Invalid');
    assert.equal(res.json.message, `admission webhook "vconfigmap.${name}.example.com" denied the request: ConfigMap "bad" is invalid: data.size: Invalid value: "three": must be a whole number`);
    assert.deepEqual(res.json.details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "three": must be a whole number', field: 'data.size' }]);
    assert.equal((await request('GET', `/api/v1/namespaces/${ns}/configmaps/bad`)).status, 404);
  });

  it('warnings reach the client as Warning headers; another error denies with 403 and its message', async () => {
    const warned = await request('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('warned', { warn: 'loud' }));
    assert.equal(warned.status, 201, warned.text);
    assert.match(String(warned.headers.warning), /^299 - "data\.warn is set to loud"$/);
    const update = await request('PUT', `/api/v1/namespaces/${ns}/configmaps/warned`, { ...warned.json, data: { ...warned.json.data, size: '9' } });
    assert.equal(update.status, 403, update.text);
    assert.equal(update.json.reason, 'Forbidden');
    assert.equal(update.json.message, `admission webhook "vconfigmap.${name}.example.com" denied the request: data.size is immutable`);
  });
});
