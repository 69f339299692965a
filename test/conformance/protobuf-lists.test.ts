import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { startTarget, usingRealCluster, type ConformanceTarget } from './target.js';
import { deleteNamespace } from './helpers.js';
import { RestTransport } from '../../src/runtime/client/rest-transport.js';
import { decodeProtobufList, PROTOBUF_MEDIA_TYPE } from '../../src/runtime/client/protobuf/decode-list.js';
import { PROTOBUF_LIST_ACCEPT } from '../../src/runtime/client/protobuf/list-page.js';
import { RestListerWatcher } from '../../src/runtime/informer/list-watch.js';
import { defineResource, type ResourceType } from '../../src/runtime/resource.js';
import { loadDescriptor } from '../../src/runtime/client/protobuf/descriptor.js';

// The decoder reads the descriptor that a protobuf list loads first.
await loadDescriptor();

/**
 * Lists of built-in kinds asked for in protobuf decode into exactly the objects of the JSON answer (a real API
 * server answers protobuf; the embedded server answers JSON, which the same path must take). The namespace is
 * filled from the fixtures' objects.yaml, so every special type (Time, MicroTime, Quantity, IntOrString, []byte,
 * FieldsV1, inline structs) is in it.
 */
const KINDS: Array<[string, string, string, string]> = [
  ['', 'v1', 'ConfigMap', 'configmaps'], ['', 'v1', 'Secret', 'secrets'], ['', 'v1', 'Service', 'services'],
  ['', 'v1', 'ServiceAccount', 'serviceaccounts'], ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims'],
  ['', 'v1', 'Pod', 'pods'], ['', 'v1', 'Event', 'events'], ['apps', 'v1', 'Deployment', 'deployments'],
  ['apps', 'v1', 'StatefulSet', 'statefulsets'], ['batch', 'v1', 'Job', 'jobs'], ['batch', 'v1', 'CronJob', 'cronjobs'],
  ['coordination.k8s.io', 'v1', 'Lease', 'leases'], ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'],
];

describe('protobuf lists of built-in kinds', () => {
  let target: ConformanceTarget;
  let transport: RestTransport;
  let ns: string;
  const resources = KINDS.map(([group, version, kind, plural]) => defineResource({ group, version, kind, plural }) as ResourceType<any>);
  const pathOf = (rt: ResourceType<any>) => `${rt.group ? `/apis/${rt.group}/${rt.version}` : '/api/v1'}/namespaces/${ns}/${rt.plural}`;

  before(async () => {
    target = await startTarget();
    transport = new RestTransport(target.kubeConfig);
    ns = `protobuf-list-${randomBytes(3).toString('hex')}`;
    const text = readFileSync(new URL('../fixtures/protobuf-lists/objects.yaml', import.meta.url), 'utf8').replaceAll('protobuf-list-fixtures', ns);
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJSON() as { apiVersion: string; kind: string; metadata: { namespace?: string } };
      const rt = obj.kind === 'Namespace' ? undefined : resources.find((r) => r.kind === obj.kind && r.apiVersion === obj.apiVersion)!;
      const path = rt ? pathOf(rt) : '/api/v1/namespaces';
      await transport.json({ method: 'POST', path, body: obj });
    }
  });
  after(async () => {
    // kube-controller-manager here never drops the claim's kubernetes.io/pvc-protection finalizer (no volume is
    // ever bound), which would hold the namespace in Terminating.
    await transport
      ?.json({ method: 'PATCH', path: `/api/v1/namespaces/${ns}/persistentvolumeclaims/pvc`, body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' })
      .catch(() => undefined);
    transport?.close();
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  for (const [, , kind] of KINDS) {
    it(`${kind}: the protobuf answer decodes to the JSON answer's objects, byte for byte once stringified`, async () => {
      const rt = resources.find((r) => r.kind === kind)!;
      const json = await transport.json<{ metadata: { resourceVersion: string }; items: unknown[] }>({ method: 'GET', path: pathOf(rt) });
      assert.ok(json.items.length > 0, `${kind}: the namespace holds some`);
      // The same objects: read at the JSON list's resourceVersion (a real server serves it exactly from etcd).
      const query = usingRealCluster() ? { resourceVersion: json.metadata.resourceVersion, resourceVersionMatch: 'Exact' } : {};
      const answer = await transport.bytes({ method: 'GET', path: pathOf(rt), query, accept: PROTOBUF_LIST_ACCEPT });
      if (usingRealCluster()) assert.ok(answer.contentType.startsWith(PROTOBUF_MEDIA_TYPE), `a real server answers protobuf, not ${answer.contentType}`);
      const items = answer.contentType.startsWith(PROTOBUF_MEDIA_TYPE) ? decodeProtobufList(answer.body, rt.apiVersion, rt.kind).items : (JSON.parse(answer.body.toString('utf8')) as typeof json).items;
      assert.equal(items.length, json.items.length);
      json.items.forEach((item, i) => assert.equal(JSON.stringify(items[i]), JSON.stringify(item)));
    });
  }

  it('an informer source with protobuf lists returns the same objects as with JSON lists', async () => {
    for (const rt of resources) {
      const signal = new AbortController().signal;
      const viaProtobuf = await new RestListerWatcher(transport, rt, { namespace: ns }, { protobuf: true }).list(signal);
      const viaJson = await new RestListerWatcher(transport, rt, { namespace: ns }).list(signal);
      // Objects a controller updates between the two lists (a Deployment's status) may differ: compare by name.
      assert.deepEqual(viaProtobuf.items.map((o) => o.metadata?.name), viaJson.items.map((o) => o.metadata?.name), rt.kind);
      for (const item of viaProtobuf.items) {
        assert.equal(item.apiVersion, rt.apiVersion);
        assert.equal(item.kind, rt.kind);
      }
    }
  });
});
