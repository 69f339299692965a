import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeProtobufList, ProtobufDecodeError } from '../../../../src/runtime/client/protobuf/decode-list.js';
import { loadDescriptor } from '../../../../src/runtime/client/protobuf/descriptor.js';
import { goDurationString } from '../../../../src/runtime/client/protobuf/go-duration.js';

// The decoder reads the descriptor that a protobuf list loads first.
await loadDescriptor();

/**
 * Fixtures recorded from kube-apiserver v1.32 (scripts/record-protobuf-fixtures.ts): per kind, the protobuf list
 * of the namespace filled by objects.yaml and the JSON list of the same objects at the same resourceVersion.
 */
const dir = new URL('../../../fixtures/protobuf-lists/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.pb'))
  .map((f) => {
    const json = JSON.parse(readFileSync(new URL(f.replace(/\.pb$/, '.json'), dir), 'utf8')) as { apiVersion: string; kind: string; metadata: { resourceVersion: string }; items: Array<Record<string, any>> };
    return { file: f, pb: readFileSync(new URL(f, dir)), json, kind: json.kind.replace(/List$/, '') };
  });

const fixture = (kind: string) => fixtures.find((f) => f.kind === kind)!;
const decoded = (kind: string) => {
  const f = fixture(kind);
  return decodeProtobufList(f.pb, f.json.apiVersion, f.kind);
};

test('the fixtures cover the kinds operators watch most', () => {
  const kinds = fixtures.map((f) => `${f.json.apiVersion}/${f.kind}`).sort();
  for (const kind of ['v1/ConfigMap', 'v1/Secret', 'v1/Pod', 'v1/Service', 'v1/Event', 'v1/Namespace', 'v1/ServiceAccount', 'v1/PersistentVolumeClaim', 'apps/v1/Deployment', 'apps/v1/StatefulSet', 'batch/v1/Job', 'batch/v1/CronJob', 'coordination.k8s.io/v1/Lease', 'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding']) {
    assert.ok(kinds.includes(kind), `no fixture for ${kind}`);
  }
});

for (const f of fixtures) {
  test(`${f.file}: every object decodes to exactly the JSON answer's object`, () => {
    const list = decodeProtobufList(f.pb, f.json.apiVersion, f.kind);
    assert.ok(f.json.items.length > 0, 'the fixture has objects');
    assert.equal(list.items.length, f.json.items.length);
    assert.equal(list.metadata.resourceVersion, f.json.metadata.resourceVersion);
    f.json.items.forEach((item, i) => assert.equal(JSON.stringify(list.items[i]), JSON.stringify(item), `${f.kind} ${item.metadata.name}`));
  });
}

test('the special types come out in their Go JSON form', () => {
  const cm = decoded('ConfigMap').items.find((o: any) => o.metadata.name === 'cm-binary') as any;
  assert.deepEqual(cm.binaryData, { blob: 'AAECAwT/', nothing: '' });
  assert.deepEqual(cm.data, { empty: '', text: 'hello' });
  assert.equal(cm.metadata.annotations.note, 'ünïcode ✓');
  const secret = decoded('Secret').items[0] as any;
  assert.deepEqual(secret.data, { bin: 'AP8Q', empty: '' });
  const svc = decoded('Service').items[0] as any;
  assert.deepEqual(svc.spec.ports.map((p: any) => p.targetPort), ['http', 9091, 53]);
  const pod = decoded('Pod').items[0] as any;
  assert.equal(pod.spec.containers[0].readinessProbe.httpGet.port, 'http');
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '64Mi' } });
  assert.equal(typeof pod.metadata.managedFields[0].fieldsV1, 'object', 'FieldsV1 is embedded JSON');
  const events = decoded('Event').items as any[];
  assert.equal(events.find((e) => e.metadata.name === 'ev-micro').eventTime, '2026-11-30T08:00:00.654321Z');
  assert.equal(events.find((e) => e.metadata.name === 'ev-classic').eventTime, null, 'a zero MicroTime is null');
  const lease = decoded('Lease').items.find((o: any) => o.metadata.name === 'lease') as any;
  assert.equal(lease.spec.acquireTime, '2026-11-30T08:00:00.123456Z');
  assert.equal(lease.spec.holderIdentity, 'me');
  const sts = decoded('StatefulSet').items[0] as any;
  assert.equal(sts.spec.volumeClaimTemplates[0].metadata.creationTimestamp, null, 'a zero Time is null');
  assert.equal(sts.spec.volumeClaimTemplates[0].kind, 'PersistentVolumeClaim');
});

const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Minimal protobuf writing for hand-made bodies: a length-delimited field, a varint field. */
function field(number: number, value: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
  return Buffer.concat([varint(number * 8 + 2), varint(bytes.length), bytes]);
}
function varintField(number: number, value: bigint): Buffer {
  return Buffer.concat([varint(number * 8), varint(value)]);
}
function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn) | (v > 0x7fn ? 0x80 : 0));
    v >>= 7n;
  } while (v > 0n);
  return Buffer.from(out);
}
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([MAGIC, field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);
}

test('negative and large varints decode as Go wrote them (ten-byte two\'s complement)', () => {
  // metadata: name, generation (int64) 2^40 + 3, deletionGracePeriodSeconds (*int64) -1; spec: leaseDurationSeconds (*int32) -5.
  const metadata = Buffer.concat([field(1, 'x'), varintField(7, 2n ** 40n + 3n), varintField(10, -1n)]);
  const lease = Buffer.concat([field(1, metadata), field(2, varintField(2, -5n))]);
  const list = decodeProtobufList(envelope('coordination.k8s.io/v1', 'LeaseList', field(2, lease)), 'coordination.k8s.io/v1', 'Lease');
  assert.deepEqual(list.items, [{ metadata: { name: 'x', generation: 2 ** 40 + 3, creationTimestamp: null, deletionGracePeriodSeconds: -1 }, spec: { leaseDurationSeconds: -5 } }]);
});

test('fields the descriptor does not know are skipped, as Go does', () => {
  const cm = Buffer.concat([field(1, field(1, 'x')), field(99, 'from a newer server'), varintField(98, 7n)]);
  const list = decodeProtobufList(envelope('v1', 'ConfigMapList', field(2, cm)), 'v1', 'ConfigMap');
  assert.deepEqual(list.items, [{ metadata: { name: 'x', creationTimestamp: null } }]);
});

test('malformed bodies fail with ProtobufDecodeError naming the kind, never a crash or a wrong list', () => {
  const good = fixture('ConfigMap').pb;
  const cases: Array<[string, Buffer, RegExp]> = [
    ['empty body', Buffer.alloc(0), /envelope/],
    ['JSON body', Buffer.from('{"kind":"ConfigMapList"}'), /envelope/],
    ['truncated', good.subarray(0, good.length - 7), /runs past the end/],
    ['cut in the envelope', good.subarray(0, 9), /runs past the end|not v1 ConfigMapList/],
    ['a field with the wrong wire type', envelope('v1', 'ConfigMapList', field(2, varintField(1, 3n))), /wire type/],
    ['an overlong varint', envelope('v1', 'ConfigMapList', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), /longer than ten bytes/],
    ['raw bytes that are not JSON', envelope('v1', 'ConfigMapList', field(2, field(1, field(17, field(7, field(1, '{nope')))))), /not JSON/],
  ];
  for (const [name, body, message] of cases) {
    assert.throws(() => decodeProtobufList(body, 'v1', 'ConfigMap'), (err: unknown) => {
      assert.ok(err instanceof ProtobufDecodeError, `${name}: ${String(err)}`);
      assert.equal(err.code, 'EPROTOBUFDECODE');
      assert.equal(err.kind, 'ConfigMap');
      assert.match(err.message, /ConfigMap/);
      assert.match(err.message, message, name);
      assert.ok(err.hint);
      return true;
    });
  }
});

test('a body of another kind, or a kind the descriptor lacks, is refused by name', () => {
  assert.throws(() => decodeProtobufList(fixture('ConfigMap').pb, 'v1', 'Secret'), /Secret: the envelope holds v1 ConfigMapList, not v1 SecretList/);
  assert.throws(() => decodeProtobufList(fixture('ConfigMap').pb, 'example.com/v1', 'Widget'), (err: unknown) => err instanceof ProtobufDecodeError && /example\.com\/v1 Widget: the descriptor does not cover/.test(err.message));
});

test("Duration is written as Go's time.Duration.String()", () => {
  const cases: Array<[number, string]> = [
    [0, '0s'], [1, '1ns'], [1500, '1.5µs'], [100e6, '100ms'], [1.5e9, '1.5s'], [90e9, '1m30s'], [3600e9, '1h0m0s'],
    [3723.5e9, '1h2m3.5s'], [-2e9, '-2s'], [1_000_001_000, '1.000001s'],
  ];
  for (const [nanos, text] of cases) assert.equal(goDurationString(nanos), text, String(nanos));
});
