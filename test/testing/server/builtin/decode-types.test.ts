import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodesKind, decodeTypeError } from '../../../../src/testing/server/builtin/decode-types.js';
import { BUILTIN_KINDS } from '../../../../src/testing/server/builtin-kinds-table.js';

const pod = (spec: object, metadata: object = {}): Record<string, any> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec });
const podError = (object: Record<string, unknown>) => decodeTypeError(object, '', 'v1', 'Pod')?.message;

describe('decodeTypeError (built-in kinds decoded as Go structs)', () => {
  it('knows every kind and version the server serves', () => {
    // Reviews (TokenReview, SubjectAccessReview) are answered without being stored or decoded as objects.
    for (const row of BUILTIN_KINDS.filter((r) => !r.virtual)) for (const version of row.versions) assert.ok(decodesKind(row.group, version, row.kind), `${row.group}/${version}/${row.kind}`);
    assert.equal(decodesKind('example.com', 'v1', 'Widget'), false);
    assert.equal(decodeTypeError({ spec: 'x' }, 'example.com', 'v1', 'Widget'), undefined);
  });

  it('accepts a well-typed object and unknown fields', () => {
    assert.equal(podError(pod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], unknown: 'x' }], hostNetwork: true })), undefined);
  });

  it('names the innermost struct, the field path without indices and the Go type', () => {
    assert.equal(podError(pod({ containers: [{ name: 'c', resources: 'x' }] })),
      'json: cannot unmarshal string into Go struct field Container.spec.containers.resources of type v1.ResourceRequirements');
    assert.equal(podError(pod({ containers: 'x' })), 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container');
    assert.equal(podError(pod({ containers: [7] })), 'json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type v1.Container');
    assert.equal(podError(pod({ containers: [{ resources: { limits: [] } }] })),
      'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList');
    assert.equal(podError(pod({}, { annotations: [] })), 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string');
    assert.equal(podError({ metadata: 1 }), 'json: cannot unmarshal number into Go struct field Pod.metadata of type v1.ObjectMeta');
  });

  it('named Go types keep their names (enums, UIDs, named slices and maps)', () => {
    assert.equal(podError(pod({ restartPolicy: 1 })), 'json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy');
    assert.equal(podError(pod({}, { uid: 5 })), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.uid of type types.UID');
    const caps = (add: unknown) => pod({ containers: [{ securityContext: { capabilities: { add } } }] });
    assert.equal(podError(caps('x')), 'json: cannot unmarshal string into Go struct field Capabilities.spec.containers.securityContext.capabilities.add of type []v1.Capability');
    assert.equal(podError(caps([1])), 'json: cannot unmarshal number into Go struct field Capabilities.spec.containers.securityContext.capabilities.add of type v1.Capability');
    assert.equal(decodeTypeError({ spec: { accessModes: [1] } }, '', 'v1', 'PersistentVolumeClaim')?.message,
      'json: cannot unmarshal number into Go struct field PersistentVolumeClaimSpec.spec.accessModes of type v1.PersistentVolumeAccessMode');
    assert.equal(decodeTypeError({ spec: { finalizers: 'kubernetes' } }, '', 'v1', 'Namespace')?.message,
      'json: cannot unmarshal string into Go struct field NamespaceSpec.spec.finalizers of type []v1.FinalizerName');
  });

  it('integers: fractions and values out of range name the number', () => {
    assert.equal(podError(pod({ containers: [{ ports: [{ containerPort: 2 ** 31 }] }] })),
      'json: cannot unmarshal number 2147483648 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
    assert.equal(podError(pod({ activeDeadlineSeconds: 0.5 })), 'json: cannot unmarshal number 0.5 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64');
    assert.equal(podError(pod({ activeDeadlineSeconds: -(2 ** 40) })), undefined);
    assert.equal(podError(pod({ activeDeadlineSeconds: '1' })), 'json: cannot unmarshal string into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64');
  });

  it('int-or-string takes an integer or a string; a quantity a string or a number', () => {
    const probe = (port: unknown) => pod({ containers: [{ readinessProbe: { tcpSocket: { port } } }] });
    assert.equal(podError(probe('http')), undefined);
    assert.equal(podError(probe(8080)), undefined);
    assert.equal(podError(probe([])), 'json: cannot unmarshal array into Go struct field TCPSocketAction.spec.containers.readinessProbe.tcpSocket.port of type int32');
    const limits = (cpu: unknown) => pod({ containers: [{ resources: { limits: { cpu } } }] });
    assert.equal(podError(limits('500m')), undefined);
    assert.equal(podError(limits(0.5)), undefined);
    assert.match(podError(limits({}))!, /^quantities must match the regular expression/);
  });

  it('reports the first mismatch in document order, but a bad quantity wins', () => {
    assert.match(podError(pod({ hostPID: 1, hostIPC: 2 }))!, /PodSpec\.spec\.hostPID of type bool$/);
    assert.match(podError(pod({ hostIPC: 2, hostPID: 1 }))!, /PodSpec\.spec\.hostIPC of type bool$/);
    assert.match(podError(pod({ hostPID: 1, containers: [{ resources: { limits: { cpu: true } } }] }))!, /^quantities must match/);
  });

  it('null fits every field and is replaced as Go decodes it', () => {
    const object = pod({ containers: [{ name: 'c', args: [null, 'a'], ports: [null], env: null }], nodeSelector: { a: null }, securityContext: null }, { labels: { x: null } });
    assert.equal(podError(object), undefined);
    assert.deepEqual(object.spec, { containers: [{ name: 'c', args: ['', 'a'], ports: [{}] }], nodeSelector: { a: '' } });
    assert.deepEqual(object.metadata.labels, { x: '' });
  });

  it('untyped fields (RawExtension, FieldsV1) take anything; other groups name their own packages', () => {
    assert.equal(decodeTypeError({ data: 'anything', revision: 1 }, 'apps', 'v1', 'ControllerRevision'), undefined);
    assert.equal(podError(pod({}, { managedFields: [{ fieldsV1: { 'f:a': {} } }] })), undefined);
    assert.equal(decodeTypeError({ spec: { maxReplicas: '3' } }, 'autoscaling', 'v2', 'HorizontalPodAutoscaler')?.message,
      'json: cannot unmarshal string into Go struct field HorizontalPodAutoscalerSpec.spec.maxReplicas of type int32');
    assert.equal(decodeTypeError({ rules: [{ verbs: 'get' }] }, 'rbac.authorization.k8s.io', 'v1', 'Role')?.message,
      'json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string');
  });
});
