import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, deleteNamespace, uniqueSuffix } from './helpers.js';
import { collection, send } from './builtin-fixtures.js';

/**
 * A built-in object is decoded into the server's Go structs before anything else: a JSON type mismatch is
 * 400 BadRequest on create and update (never 201, never 422), naming the Go struct, the field path and the Go
 * type; null fits any field. A patch whose result does not decode is 422 with a cause on `patch` (500 for
 * server-side apply).
 */
describe('decoding built-in bodies: JSON type errors', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = `server-decode-${uniqueSuffix()}`;
    await target.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: ns, labels: { 'operator-ts/conformance': 'true' } } } });
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const pods = () => collection('', 'v1', ns, 'pods');
  const pod = (name: string, spec: object = {}, metadata: object = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec },
  });
  const container = (extra: object) => ({ containers: [{ name: 'c', image: 'nginx:1.27', ...extra }] });
  const refused = (message: string) => new RegExp(`^Pod in version "v1" cannot be handled as a Pod: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

  const cases: Array<[string, object, string]> = [
    ['a string for a struct', pod('a', container({ resources: 'x' })),
      'json: cannot unmarshal string into Go struct field Container.spec.containers.resources of type v1.ResourceRequirements'],
    ['a number for a ResourceList', pod('a', container({ resources: { limits: 5 } })),
      'json: cannot unmarshal number into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList'],
    ['a string for a list', pod('a', { containers: 'x' }),
      'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container'],
    ['a string as a list item', pod('a', { containers: ['x'] }),
      'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container'],
    ['a number for a string', pod('a', { containers: [{ name: 5, image: 'i' }] }),
      'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string'],
    ['a string for an int64', pod('a', { terminationGracePeriodSeconds: '5' }),
      'json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64'],
    ['a fraction for an int32', pod('a', container({ ports: [{ containerPort: 1.5 }] })),
      'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'],
    ['a number beyond int32', pod('a', container({ ports: [{ containerPort: 99999999999 }] })),
      'json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'],
    ['a number for an enum', pod('a', { restartPolicy: 1 }),
      'json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy'],
    ['a number in a named slice', pod('a', container({ securityContext: { capabilities: { add: [1] } } })),
      'json: cannot unmarshal number into Go struct field Capabilities.spec.containers.securityContext.capabilities.add of type v1.Capability'],
    ['a number for a UID', pod('a', {}, { uid: 5 }),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.uid of type types.UID'],
    ['a string for a bool', pod('a', { hostNetwork: 'true' }),
      'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    ['a number as a label value', pod('a', {}, { labels: { a: 1 } }),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['a string for a map', pod('a', {}, { labels: 'x' }),
      'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string'],
    ['a string for metadata', { ...pod('a'), metadata: 'x' },
      'json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta'],
    ['a bool for an int-or-string', pod('a', container({ livenessProbe: { httpGet: { port: true } } })),
      'json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type int32'],
    ['a fraction for an int-or-string', pod('a', container({ livenessProbe: { httpGet: { port: 1.5 } } })),
      'json: cannot unmarshal number 1.5 into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type int32'],
    ['a string for a bool in ownerReferences', pod('a', {}, { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: 'yes' }] }),
      'json: cannot unmarshal string into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool'],
    ['a number for a Time', pod('a', {}, { creationTimestamp: 5 }),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string'],
    ['the first mismatch in document order', { metadata: { name: 'a' }, spec: { hostNetwork: 'true', containers: 'x' } },
      'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    ['a bool for a quantity', pod('a', container({ resources: { limits: { cpu: true } } })),
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ];
  for (const [what, body, message] of cases) {
    it(`create: ${what} is 400 BadRequest`, async () => {
      const res = await send(target, 'POST', `${pods()}?dryRun=All`, body);
      assert.equal(res.status, 400, res.text);
      assertStatus(res.json, 400, 'BadRequest', refused(message));
    });
  }

  it('create: null fits any field and decodes as Go does; numbers fit quantities and strings fit int-or-string', async () => {
    const res = await send(target, 'POST', `${pods()}?dryRun=All`, pod('nulls', {
      securityContext: null, nodeSelector: { x: null }, terminationGracePeriodSeconds: null,
      containers: [{ name: 'c', image: 'nginx:1.27', resources: { limits: { cpu: 1.5 } }, args: [null, 'b'], command: null, livenessProbe: { httpGet: { port: 'http' } } }],
    }, { labels: { a: null }, annotations: null }));
    assert.equal(res.status, 201, res.text);
    const container = res.json.spec.containers[0];
    assert.equal(container.resources.limits.cpu, '1500m');
    assert.equal(container.livenessProbe.httpGet.port, 'http');
    assert.deepEqual(container.args, ['', 'b']);
    assert.equal(container.command, undefined);
    assert.deepEqual(res.json.metadata.labels, { a: '' });
    assert.equal(res.json.metadata.annotations, undefined);
    assert.deepEqual(res.json.spec.nodeSelector, { x: '' });
    assert.equal(res.json.spec.terminationGracePeriodSeconds, 30);
  });

  it('create: a null spec decodes, then fails validation (422, not 400)', async () => {
    const res = await send(target, 'POST', `${pods()}?dryRun=All`, { ...pod('nullspec'), spec: null });
    assertStatus(res.json, 422, 'Invalid');
  });

  it('other kinds: Deployment, ConfigMap and Lease name their own structs', async () => {
    const deployments = collection('apps', 'v1', ns, 'deployments');
    let res = await send(target, 'POST', `${deployments}?dryRun=All`, { metadata: { name: 'd' }, spec: { replicas: '1' } });
    assertStatus(res.json, 400, 'BadRequest', /^Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
    res = await send(target, 'POST', `${deployments}?dryRun=All`, { metadata: { name: 'd' }, spec: { selector: 'a=b' } });
    assertStatus(res.json, 400, 'BadRequest', /Go struct field DeploymentSpec\.spec\.selector of type v1\.LabelSelector$/);
    res = await send(target, 'POST', `${deployments}?dryRun=All`, { metadata: { name: 'd' }, spec: { strategy: { rollingUpdate: { maxSurge: true } } } });
    assertStatus(res.json, 400, 'BadRequest', /Go struct field RollingUpdateDeployment\.spec\.strategy\.rollingUpdate\.maxSurge of type int32$/);
    res = await send(target, 'POST', `${collection('', 'v1', ns, 'configmaps')}?dryRun=All`, { metadata: { name: 'c' }, data: { a: 1 } });
    assertStatus(res.json, 400, 'BadRequest', /^ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap\.data of type string$/);
    res = await send(target, 'POST', `${collection('coordination.k8s.io', 'v1', ns, 'leases')}?dryRun=All`, { metadata: { name: 'l' }, spec: { renewTime: 5 } });
    assertStatus(res.json, 400, 'BadRequest', /Go struct field LeaseSpec\.spec\.renewTime of type string$/);
  });

  describe('update and patch of a stored Pod', () => {
    let stored: any;
    before(async () => {
      const res = await send(target, 'POST', pods(), pod('stored'));
      assert.equal(res.status, 201, res.text);
      stored = res.json;
    });
    const item = () => `${pods()}/stored`;
    const decodeMessage = 'json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64';

    it('PUT: 400 BadRequest, on the object and on /status', async () => {
      let res = await send(target, 'PUT', `${item()}?dryRun=All`, { ...stored, spec: { ...stored.spec, terminationGracePeriodSeconds: '5' } });
      assertStatus(res.json, 400, 'BadRequest', refused(decodeMessage));
      res = await send(target, 'PUT', `${item()}?dryRun=All`, { ...stored, metadata: { ...stored.metadata, labels: { a: 1 } } });
      assertStatus(res.json, 400, 'BadRequest', refused('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'));
      res = await send(target, 'PUT', `${item()}/status?dryRun=All`, { ...stored, status: { ...stored.status, conditions: 'x' } });
      assertStatus(res.json, 400, 'BadRequest', refused('json: cannot unmarshal string into Go struct field PodStatus.status.conditions of type []v1.PodCondition'));
      res = await send(target, 'PUT', `${item()}/status?dryRun=All`, { ...stored, status: { ...stored.status, phase: 5 } });
      assertStatus(res.json, 400, 'BadRequest', refused('json: cannot unmarshal number into Go struct field PodStatus.status.phase of type v1.PodPhase'));
    });

    for (const [type, contentType, body] of [
      ['merge patch', 'application/merge-patch+json', { spec: { terminationGracePeriodSeconds: '5' } }],
      ['JSON patch', 'application/json-patch+json', [{ op: 'add', path: '/spec/terminationGracePeriodSeconds', value: '5' }]],
    ] as const) {
      it(`${type}: a result that does not decode is 422 with a cause on "patch"`, async () => {
        const res = await send(target, 'PATCH', `${item()}?dryRun=All`, body, contentType);
        assertStatus(res.json, 422, 'Invalid', /^ "" is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal string into Go struct field PodSpec\.spec\.terminationGracePeriodSeconds of type int64$/s);
        assert.equal(res.json.details.causes.length, 1);
        assert.equal(res.json.details.causes[0].field, 'patch');
        assert.equal(res.json.details.causes[0].reason, 'FieldValueInvalid');
        assert.ok(res.json.details.causes[0].message.endsWith(decodeMessage), res.json.details.causes[0].message);
      });
    }

    it('strategic merge patch: 422 Invalid on "patch"', async () => {
      const res = await send(target, 'PATCH', `${item()}?dryRun=All`, { spec: { containers: 'x' } }, 'application/strategic-merge-patch+json');
      assertStatus(res.json, 422, 'Invalid', /^ "" is invalid: patch: Invalid value: /);
      assert.equal(res.json.details.causes[0].field, 'patch');
    });

    it('server-side apply: 500 failed to create typed patch object', async () => {
      const res = await send(target, 'PATCH', `${item()}?dryRun=All&fieldManager=decode-test`,
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stored' }, spec: { terminationGracePeriodSeconds: '5' } }, 'application/apply-patch+yaml');
      assert.equal(res.status, 500, res.text);
      assert.match(res.json.message, /^failed to create typed patch object \(\/stored; \/v1, Kind=Pod\): /);
    });

    it('a patch with well-typed values still succeeds', async () => {
      const res = await send(target, 'PATCH', item(), { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.metadata.labels.a, 'b');
    });
  });
});
