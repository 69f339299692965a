/**
 * Records the fixtures of test/runtime/client/protobuf: for each kind, one list of the namespace
 * protobuf-list-fixtures (filled by test/fixtures/protobuf-lists/objects.yaml) in protobuf and, at the same
 * resourceVersion, in JSON. Run against a real API server:
 *   KUBECONFIG=... kubectl apply -f test/fixtures/protobuf-lists/objects.yaml
 *   KUBECONFIG=... node --import tsx scripts/record-protobuf-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { RestTransport } from '../src/runtime/client/rest-transport.js';
import { decodeProtobufList } from '../src/runtime/client/protobuf/decode-list.js';

const NAMESPACE = 'protobuf-list-fixtures';
const dir = new URL('../test/fixtures/protobuf-lists/', import.meta.url);
const lists: Array<[string, string, string, boolean]> = [
  ['v1', 'ConfigMap', 'configmaps', true], ['v1', 'Secret', 'secrets', true], ['v1', 'Service', 'services', true],
  ['v1', 'ServiceAccount', 'serviceaccounts', true], ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['v1', 'Pod', 'pods', true], ['v1', 'Event', 'events', true], ['v1', 'Namespace', 'namespaces', false],
  ['apps/v1', 'Deployment', 'deployments', true], ['apps/v1', 'StatefulSet', 'statefulsets', true],
  ['batch/v1', 'Job', 'jobs', true], ['batch/v1', 'CronJob', 'cronjobs', true],
  ['coordination.k8s.io/v1', 'Lease', 'leases', true], ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
];
const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const transport = new RestTransport(kubeConfig);
mkdirSync(dir, { recursive: true });
for (const [apiVersion, kind, plural, namespaced] of lists) {
  const path = `${apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`}${namespaced ? `/namespaces/${NAMESPACE}` : ''}/${plural}`;
  const query = namespaced ? {} : { fieldSelector: `metadata.name=${NAMESPACE}` };
  const pb = await transport.bytes({ method: 'GET', path, query, accept: 'application/vnd.kubernetes.protobuf' });
  if (!pb.contentType.startsWith('application/vnd.kubernetes.protobuf')) throw new Error(`${path}: answered ${pb.contentType}`);
  // The JSON of exactly the same objects: read at the protobuf list's resourceVersion.
  const resourceVersion = decodeProtobufList(pb.body, apiVersion, kind).metadata.resourceVersion;
  const json = await transport.json<{ metadata: { resourceVersion: string }; items: unknown[] }>({ method: 'GET', path, query: { ...query, resourceVersion, resourceVersionMatch: 'Exact' } });
  const base = `${apiVersion.replace(/[./]/g, '_')}_${kind}`;
  writeFileSync(new URL(`${base}.pb`, dir), pb.body);
  writeFileSync(new URL(`${base}.json`, dir), `${JSON.stringify(json, null, 1)}\n`);
  console.log(`${base}: ${pb.body.length} bytes protobuf, ${json.items.length} items`);
}
transport.close();
