import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, type RawResponse } from './helpers.js';
import { collection, podTemplate, send, served } from './builtin-fixtures.js';

/** 422 Invalid (and the 400 of undecodable MicroTimes) for built-in kinds, with the causes a real server gives. */
describe('built-in validation', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'validation');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const post = (group: string, plural: string, body: object, version = 'v1') => send(target, 'POST', collection(group, version, ns, plural), body);
  const put = (group: string, plural: string, name: string, body: object) => send(target, 'PUT', `${collection(group, 'v1', ns, plural)}/${name}`, body);

  /** The response is 422 Invalid with a cause on `field` whose message matches. */
  function expectCause(res: RawResponse, field: string, message: RegExp, reason?: string): void {
    assertStatus(res.json, 422, 'Invalid');
    const causes: Array<{ field?: string; message: string; reason?: string }> = res.json.details?.causes ?? [];
    const found = causes.find((c) => c.field === field && message.test(c.message));
    assert.ok(found, `no cause on ${field} matching ${message} in ${JSON.stringify(causes)}`);
    if (reason) assert.equal(found.reason, reason);
  }

  it('label keys and values', async () => {
    const key = await post('', 'configmaps', { metadata: { name: 'bad-key', labels: { 'bad key': 'v' } } });
    expectCause(key, 'metadata.labels', /^Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character/, 'FieldValueInvalid');
    assert.match(key.json.message, /^ConfigMap "bad-key" is invalid: metadata\.labels: Invalid value: "bad key"/);
    const value = await post('', 'configmaps', { metadata: { name: 'bad-value', labels: { app: '-x' } } });
    expectCause(value, 'metadata.labels', /^Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters/);
    const long = await post('', 'configmaps', { metadata: { name: 'long-value', labels: { app: 'v'.repeat(64) } } });
    expectCause(long, 'metadata.labels', /must be no more than 63 characters/);
    const prefix = await post('', 'configmaps', { metadata: { name: 'bad-prefix', labels: { 'Example.com/app': 'v' } } });
    expectCause(prefix, 'metadata.labels', /^Invalid value: "Example\.com\/app": prefix part a lowercase RFC 1123 subdomain/);
  });

  it('annotation keys (case-insensitive) and the 256 KiB total', async () => {
    assert.equal((await post('', 'configmaps', { metadata: { name: 'upper', annotations: { 'Example.com/Key': 'v' } } })).status, 201);
    const bad = await post('', 'configmaps', { metadata: { name: 'bad-ann', annotations: { 'a/b/c': 'v' } } });
    expectCause(bad, 'metadata.annotations', /a qualified name must consist of .* with an optional DNS subdomain prefix and '\/'/);
    const big = await post('', 'configmaps', { metadata: { name: 'big-ann', annotations: { big: 'x'.repeat(256 * 1024) } } });
    expectCause(big, 'metadata.annotations', /^Too long: may not be more than 262144 bytes$/, 'FieldValueTooLong');
  });

  it('Service names are DNS-1035 labels', async () => {
    const res = await post('', 'services', { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } });
    expectCause(res, 'metadata.name', /a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  });

  it('Lease: leaseDurationSeconds must be positive; MicroTimes need six fractional digits (400)', async () => {
    const zero = await post('coordination.k8s.io', 'leases', { metadata: { name: 'zero' }, spec: { leaseDurationSeconds: 0 } });
    expectCause(zero, 'spec.leaseDurationSeconds', /^Invalid value: 0: must be greater than 0$/);
    for (const renewTime of ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123Z']) {
      const res = await post('coordination.k8s.io', 'leases', { metadata: { name: 'time' }, spec: { renewTime } });
      assertStatus(res.json, 400, 'BadRequest', /Lease in version "v1" cannot be handled as a Lease: .*parsing time/);
    }
  });

  it('v1 Event: involvedObject.namespace must match the Event namespace', async () => {
    const res = await post('', 'events', {
      metadata: { name: 'ev' }, involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'elsewhere' }, reason: 'Test', message: 'm',
    });
    expectCause(res, 'involvedObject.namespace', /^Invalid value: "elsewhere": does not match event\.namespace$/);
  });

  it('events.k8s.io Event: eventTime is required, type must be Normal or Warning', async () => {
    const res = await post('events.k8s.io', 'events', {
      metadata: { name: 'ev2' }, regarding: { kind: 'ConfigMap', name: 'x', namespace: ns }, reason: 'Test', action: 'Testing',
      reportingController: 'example.com/test', reportingInstance: 'test-1', type: 'Odd',
    });
    expectCause(res, 'eventTime', /^Required value$/, 'FieldValueRequired');
    expectCause(res, 'type', /has invalid value: Odd/);
  });

  it('Deployment: required image and containers, selector must match template labels', async () => {
    const noImage = await post('apps', 'deployments', {
      metadata: { name: 'no-image' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'main' }] } } },
    });
    expectCause(noImage, 'spec.template.spec.containers[0].image', /^Required value$/);
    const noContainers = await post('apps', 'deployments', {
      metadata: { name: 'no-containers' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: {} } },
    });
    expectCause(noContainers, 'spec.template.spec.containers', /^Required value$/);
    const mismatch = await post('apps', 'deployments', {
      metadata: { name: 'mismatch' }, spec: { selector: { matchLabels: { app: 'x' } }, template: podTemplate({ app: 'y' }) },
    });
    expectCause(mismatch, 'spec.template.metadata.labels', /`selector` does not match template `labels`$/);
    const restart = await post('apps', 'deployments', {
      metadata: { name: 'restart' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'i' }] } } },
    });
    expectCause(restart, 'spec.template.spec.restartPolicy', /^Unsupported value: "Never": supported values: "Always"$/, 'FieldValueNotSupported');
  });

  it('Deployment: spec.selector is immutable', async () => {
    const created = await post('apps', 'deployments', { metadata: { name: 'fixed' }, spec: { selector: { matchLabels: { app: 'a' } }, template: podTemplate({ app: 'a', tier: 'b' }) } });
    assert.equal(created.status, 201, created.text);
    const body = structuredClone(created.json);
    body.spec.selector = { matchLabels: { app: 'a', tier: 'b' } };
    expectCause(await put('apps', 'deployments', 'fixed', body), 'spec.selector', /field is immutable$/);
  });

  it('Service: the cluster IP may not change once set', async () => {
    const created = await post('', 'services', { metadata: { name: 'pinned' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(created.status, 201, created.text);
    const body = structuredClone(created.json);
    const ip = body.spec.clusterIP.split('.').map(Number);
    ip[3] = ip[3] === 200 ? 201 : 200;
    body.spec.clusterIP = ip.join('.');
    expectCause(await put('', 'services', 'pinned', body), 'spec.clusterIPs[0]', /may not change once set$/);
  });

  it('ConfigMap marked immutable: data cannot change', async () => {
    const created = await post('', 'configmaps', { metadata: { name: 'frozen' }, data: { a: '1' }, immutable: true });
    assert.equal(created.status, 201, created.text);
    const res = await put('', 'configmaps', 'frozen', { ...created.json, data: { a: '2' } });
    expectCause(res, 'data', /^Forbidden: field is immutable when `immutable` is set$/, 'FieldValueForbidden');
  });

  it('Job: restartPolicy Always is refused; template and selector are immutable (when the target serves Jobs)', async (t) => {
    if (!(await served(target, 'batch', 'v1', 'jobs'))) return t.skip(`jobs is not served by the ${target.name} server`);
    const always = await post('batch', 'jobs', { metadata: { name: 'always' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox:1.36' }] } } } });
    expectCause(always, 'spec.template.spec.restartPolicy', /^Required value: valid values: "OnFailure", "Never"$/);
    const created = await post('batch', 'jobs', { metadata: { name: 'fixed' }, spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox:1.36' }] } } } });
    assert.equal(created.status, 201, created.text);
    const body = structuredClone(created.json);
    body.spec.template.spec.containers[0].image = 'busybox:1.37';
    expectCause(await put('batch', 'jobs', 'fixed', body), 'spec.template', /field is immutable$/);
  });

  it('StatefulSet: only the updatable fields may change (when the target serves StatefulSets)', async (t) => {
    if (!(await served(target, 'apps', 'v1', 'statefulsets'))) return t.skip(`statefulsets is not served by the ${target.name} server`);
    const created = await post('apps', 'statefulsets', { metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: podTemplate({ app: 'db' }) } });
    assert.equal(created.status, 201, created.text);
    const body = structuredClone(created.json);
    body.spec.serviceName = 'other';
    expectCause(await put('apps', 'statefulsets', 'db', body), 'spec', /^Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden$/);
  });
});
