import { errors } from './status.js';

/**
 * Just enough of the Kubernetes protobuf encoding to accept what `kubectl create namespace|configmap|
 * secret|serviceaccount` send (kubectl's typed clients post protobuf for built-in kinds). Every field
 * we do not map is refused with 415 rather than silently dropped; other kinds are refused too.
 */
type FieldKind = 'string' | 'bytes' | 'bool' | 'message' | 'stringMap' | 'bytesMap' | 'ignore';

interface Field {
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  schema?: Schema;
}

type Schema = { name: string; fields: Record<number, Field> };

const OWNER_REFERENCE: Schema = {
  name: 'OwnerReference',
  fields: { 1: { name: 'kind', kind: 'string' }, 3: { name: 'name', kind: 'string' }, 4: { name: 'uid', kind: 'string' }, 5: { name: 'apiVersion', kind: 'string' }, 6: { name: 'controller', kind: 'bool' }, 7: { name: 'blockOwnerDeletion', kind: 'bool' } },
};

const OBJECT_META: Schema = {
  name: 'ObjectMeta',
  fields: {
    1: { name: 'name', kind: 'string' }, 2: { name: 'generateName', kind: 'string' }, 3: { name: 'namespace', kind: 'string' },
    // Server-owned fields: whatever the client sends is replaced on create anyway.
    4: { name: 'selfLink', kind: 'ignore' }, 5: { name: 'uid', kind: 'ignore' }, 6: { name: 'resourceVersion', kind: 'ignore' }, 7: { name: 'generation', kind: 'ignore' },
    8: { name: 'creationTimestamp', kind: 'ignore' }, 9: { name: 'deletionTimestamp', kind: 'ignore' }, 10: { name: 'deletionGracePeriodSeconds', kind: 'ignore' }, 17: { name: 'managedFields', kind: 'ignore' },
    11: { name: 'labels', kind: 'stringMap' }, 12: { name: 'annotations', kind: 'stringMap' },
    13: { name: 'ownerReferences', kind: 'message', repeated: true, schema: OWNER_REFERENCE }, 14: { name: 'finalizers', kind: 'string', repeated: true },
  },
};

const LOCAL_REF: Schema = { name: 'LocalObjectReference', fields: { 1: { name: 'name', kind: 'string' } } };
const OBJECT_REF: Schema = { name: 'ObjectReference', fields: { 1: { name: 'kind', kind: 'string' }, 2: { name: 'namespace', kind: 'string' }, 3: { name: 'name', kind: 'string' }, 4: { name: 'uid', kind: 'string' }, 5: { name: 'apiVersion', kind: 'string' } } };

const KINDS: Record<string, Schema> = {
  Namespace: {
    name: 'Namespace',
    fields: {
      1: { name: 'metadata', kind: 'message', schema: OBJECT_META },
      2: { name: 'spec', kind: 'message', schema: { name: 'NamespaceSpec', fields: { 1: { name: 'finalizers', kind: 'string', repeated: true } } } },
      3: { name: 'status', kind: 'ignore' },
    },
  },
  ConfigMap: {
    name: 'ConfigMap',
    fields: { 1: { name: 'metadata', kind: 'message', schema: OBJECT_META }, 2: { name: 'data', kind: 'stringMap' }, 3: { name: 'binaryData', kind: 'bytesMap' }, 4: { name: 'immutable', kind: 'bool' } },
  },
  Secret: {
    name: 'Secret',
    fields: { 1: { name: 'metadata', kind: 'message', schema: OBJECT_META }, 2: { name: 'data', kind: 'bytesMap' }, 3: { name: 'type', kind: 'string' }, 4: { name: 'stringData', kind: 'stringMap' }, 5: { name: 'immutable', kind: 'bool' } },
  },
  ServiceAccount: {
    name: 'ServiceAccount',
    fields: {
      1: { name: 'metadata', kind: 'message', schema: OBJECT_META }, 2: { name: 'secrets', kind: 'message', repeated: true, schema: OBJECT_REF },
      3: { name: 'imagePullSecrets', kind: 'message', repeated: true, schema: LOCAL_REF }, 4: { name: 'automountServiceAccountToken', kind: 'bool' },
    },
  },
};

const UNKNOWN: Schema = {
  name: 'Unknown',
  fields: {
    1: { name: 'typeMeta', kind: 'message', schema: { name: 'TypeMeta', fields: { 1: { name: 'apiVersion', kind: 'string' }, 2: { name: 'kind', kind: 'string' } } } },
    2: { name: 'raw', kind: 'bytes' }, 3: { name: 'contentEncoding', kind: 'string' }, 4: { name: 'contentType', kind: 'string' },
  },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

function refuse(why: string): never {
  throw errors.unsupportedMediaType(`protobuf body not supported: ${why}. Send application/json instead (kubectl apply -f sends JSON).`);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  done(): boolean { return this.pos >= this.buf.length; }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) refuse('truncated varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) refuse('varint too long');
    }
  }
  bytes(): Buffer {
    const length = this.varint();
    if (this.pos + length > this.buf.length) refuse('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else refuse(`wire type ${wireType}`);
  }
}

function decode(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, any> = {};
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = r.varint();
    const number = Math.floor(tag / 8);
    const wireType = tag & 7;
    const field = schema.fields[number];
    if (!field) refuse(`field ${number} of ${schema.name} is not understood by this test server`);
    if (field.kind === 'ignore') {
      r.skip(wireType);
      continue;
    }
    let value: unknown;
    if (field.kind === 'bool') value = r.varint() !== 0;
    else {
      if (wireType !== 2) refuse(`unexpected wire type for ${schema.name}.${field.name}`);
      const bytes = r.bytes();
      if (field.kind === 'string') value = bytes.toString('utf8');
      else if (field.kind === 'bytes') value = Buffer.from(bytes);
      else if (field.kind === 'message') value = decode(bytes, field.schema!);
      else {
        const entry = decode(bytes, { name: `${schema.name}.${field.name} entry`, fields: { 1: { name: 'key', kind: 'string' }, 2: { name: 'value', kind: field.kind === 'stringMap' ? 'string' : 'bytes' } } });
        const map = (out[field.name] ??= {}) as Record<string, unknown>;
        const v = entry.value ?? (field.kind === 'stringMap' ? '' : Buffer.alloc(0));
        map[String(entry.key ?? '')] = Buffer.isBuffer(v) ? v.toString('base64') : v;
        continue;
      }
    }
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  return out;
}

/** Decodes a `application/vnd.kubernetes.protobuf` body of the supported kinds into its JSON form. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) refuse('missing the k8s protobuf envelope');
  const unknown = decode(body.subarray(4), UNKNOWN) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Buffer; contentEncoding?: string };
  const kind = unknown.typeMeta?.kind ?? '';
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  if (unknown.contentEncoding) refuse(`content encoding ${unknown.contentEncoding}`);
  const schema = apiVersion === 'v1' ? KINDS[kind] : undefined;
  if (!schema) refuse(`${apiVersion} ${kind} is only accepted as JSON (protobuf is decoded for v1 Namespace, ConfigMap, Secret and ServiceAccount)`);
  return { apiVersion, kind, ...decode(unknown.raw ?? Buffer.alloc(0), schema) };
}
