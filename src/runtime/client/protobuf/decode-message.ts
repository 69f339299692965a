import { descriptor, type FieldDescriptor, type TypeRef } from './descriptor.js';
import { goDurationString } from './go-duration.js';
import { Wire, WireError } from './wire.js';

/**
 * Decodes one protobuf message of a built-in kind into exactly what Go's encoding/json writes for the same Go
 * value, after JSON.parse: the JSON names and Go's declaration order; omitempty dropping zero scalars and empty
 * slices/maps/bytes but never structs; a nil pointer, slice or map as null when not omitempty; the types with
 * their own JSON form (Time, MicroTime, Duration, Quantity, IntOrString, RawExtension/FieldsV1); []byte as base64.
 * The wire tells a nil pointer (absent) from a zero value; it cannot tell a nil slice or map from an empty one,
 * and neither can the API server, whose objects come from the same encoding.
 */

/** A message's fields compiled for decoding: `slot[number]` is the index into `fields`. */
interface CompiledMessage {
  name: string;
  fields: CompiledField[];
  slot: Int16Array;
}

interface CompiledField extends FieldDescriptor {
  message?: CompiledMessage;
  element?: CompiledType;
  mapKey?: CompiledType;
}

interface CompiledType extends TypeRef {
  message?: CompiledMessage;
}

const compiled = new Map<string, CompiledMessage>();

export function compiledMessage(name: string): CompiledMessage {
  let message = compiled.get(name);
  if (message) return message;
  const fields = descriptor().messages[name];
  if (!fields) throw new WireError(`no descriptor for message ${name}`);
  const maxNumber = fields.reduce((max, f) => Math.max(max, f.n), 0);
  message = { name, fields: [], slot: new Int16Array(maxNumber + 1).fill(-1) };
  // Registered before its fields are compiled: messages refer to themselves (JSONSchemaProps-like recursion).
  compiled.set(name, message);
  fields.forEach((f, i) => {
    message!.slot[f.n] = i;
    message!.fields.push(compileField(f));
  });
  return message;
}

function compileType(t: TypeRef): CompiledType {
  return { ...t, message: t.t === 'message' ? compiledMessage(t.ref!) : undefined };
}

function compileField(f: FieldDescriptor): CompiledField {
  const out: CompiledField = { ...f };
  if (f.t === 'message') out.message = compiledMessage(f.ref!);
  if (f.of) out.element = compileType(f.of);
  if (f.key) out.mapKey = compileType(f.key);
  return out;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A field as read off the wire, before its JSON form: a scalar, or the range of a length-delimited value. */
type Raw = number | boolean | string | Range | Raw[] | MapEntries;
interface Range {
  start: number;
  end: number;
}
interface MapEntries {
  entries: Array<[Range, Range | undefined]>;
}

/** Decodes the message in buf[start, end) into its JSON form. */
export function decodeMessage(buf: Buffer, start: number, end: number, message: CompiledMessage): Record<string, Json> {
  const out: Record<string, Json> = {};
  writeMessage(out, buf, start, end, message);
  return out;
}

function writeMessage(out: Record<string, Json>, buf: Buffer, start: number, end: number, message: CompiledMessage): void {
  const fields = message.fields;
  const values: Array<Raw | undefined> = new Array(fields.length);
  const wire = new Wire(buf, start, end);
  const slot = message.slot;
  while (wire.pos < end) {
    const tag = wire.varint();
    const number = tag >>> 3;
    const wireType = tag & 7;
    const index = number < slot.length ? slot[number]! : -1;
    if (index < 0) {
      // Go's generated code skips fields it does not know (a newer server's additions): so does this.
      wire.skip(wireType);
      continue;
    }
    const f = fields[index]!;
    if (f.t === 'list') {
      const list = (values[index] ??= []) as Raw[];
      const el = f.element!;
      if (wireType === 2 && isVarintType(el.t)) {
        // Packed repeated scalars.
        const at = wire.delimited();
        const inner = new Wire(buf, at, wire.pos);
        while (inner.pos < inner.end) list.push(readScalar(inner, el.t));
      } else list.push(readValue(wire, wireType, el, message, f));
    } else if (f.t === 'map') {
      if (wireType !== 2) throw new WireError(`${message.name}.${f.json}: a map entry with wire type ${wireType}`);
      const at = wire.delimited();
      const entries = ((values[index] as MapEntries | undefined) ??= { entries: [] }).entries;
      entries.push(readEntry(buf, at, wire.pos, message, f));
    } else values[index] = readValue(wire, wireType, f, message, f);
  }
  for (let i = 0; i < fields.length; i++) writeField(out, fields[i]!, values[i], buf, message);
}

function isScalar(t: string): boolean {
  return t === 'string' || t === 'float64' || isVarintType(t);
}

function isVarintType(t: string): boolean {
  return t === 'int32' || t === 'int64' || t === 'uint32' || t === 'uint64' || t === 'bool';
}

function readScalar(wire: Wire, t: string): number | boolean {
  if (t === 'bool') return wire.varint() !== 0;
  if (t === 'int32') return wire.varint() | 0;
  return wire.varint();
}

function readValue(wire: Wire, wireType: number, t: TypeRef, message: CompiledMessage, f: FieldDescriptor): Raw {
  switch (t.t) {
    case 'bool':
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      if (wireType !== 0) throw new WireError(`${message.name}.${f.json}: wire type ${wireType} for a ${t.t}`);
      return readScalar(wire, t.t);
    case 'float64':
      if (wireType !== 1) throw new WireError(`${message.name}.${f.json}: wire type ${wireType} for a float64`);
      return wire.double();
    default: {
      if (wireType !== 2) throw new WireError(`${message.name}.${f.json || f.ref}: wire type ${wireType} for a ${t.t}`);
      const start = wire.delimited();
      if (t.t === 'string') return wire.buf.toString('utf8', start, wire.pos);
      return { start, end: wire.pos };
    }
  }
}

function readEntry(buf: Buffer, start: number, end: number, message: CompiledMessage, f: CompiledField): [Range, Range | undefined] {
  const wire = new Wire(buf, start, end);
  let key: Range = { start, end: start };
  let value: Range | undefined;
  while (wire.pos < end) {
    const tag = wire.varint();
    if ((tag & 7) !== 2) throw new WireError(`${message.name}.${f.json}: a map entry field with wire type ${tag & 7}`);
    const at = wire.delimited();
    if (tag >>> 3 === 1) key = { start: at, end: wire.pos };
    else if (tag >>> 3 === 2) value = { start: at, end: wire.pos };
  }
  return [key, value];
}

function writeField(out: Record<string, Json>, f: CompiledField, raw: Raw | undefined, buf: Buffer, message: CompiledMessage): void {
  if (f.inline) {
    // An embedded struct: its fields take its place (never a pointer among the built-in kinds).
    const range = (raw as Range | undefined) ?? EMPTY;
    writeMessage(out, buf, range.start, range.end, f.message!);
    return;
  }
  const name = f.json;
  if (raw === undefined) {
    // Absent on the wire: nil for a pointer, slice, map or []byte; the zero value otherwise.
    if (f.pointer || f.t === 'list' || f.t === 'map' || f.t === 'bytes') {
      if (!f.omitempty) out[name] = null;
      return;
    }
    const zero = zeroJson(f, buf, message);
    // omitempty drops zero scalars only: a struct (IntOrString 0, Quantity "0", Time null) is always written.
    if (f.omitempty && isScalar(f.t)) return;
    out[name] = zero;
    return;
  }
  switch (f.t) {
    case 'list': {
      const items = raw as Raw[];
      if (f.omitempty && items.length === 0) return;
      const stamp = f.typeMeta;
      out[name] = stamp
        ? items.map((item) => ({ kind: stamp.kind, apiVersion: stamp.apiVersion, ...(jsonOf(f.element!, item, buf, message) as Record<string, Json>) }))
        : items.map((item) => jsonOf(f.element!, item, buf, message));
      return;
    }
    case 'map': {
      const entries = (raw as MapEntries).entries;
      if (f.omitempty && entries.length === 0) return;
      const map: Record<string, Json> = {};
      const el = f.element!;
      for (const [key, value] of entries) {
        const k = buf.toString('utf8', key.start, key.end);
        if (value === undefined) map[k] = zeroOrNull(el, buf, message);
        else if (el.t === 'string') map[k] = buf.toString('utf8', value.start, value.end);
        else if (isVarintType(el.t)) map[k] = readScalar(new Wire(buf, value.start - 1, value.end), el.t);
        else map[k] = jsonOf(el, value, buf, message);
      }
      out[name] = map;
      return;
    }
    case 'bytes': {
      const range = raw as Range;
      if (f.omitempty && range.end === range.start) return;
      out[name] = buf.toString('base64', range.start, range.end);
      return;
    }
    default: {
      const value = jsonOf(f, raw, buf, message);
      if (f.omitempty && !f.pointer && isScalar(f.t) && (value === '' || value === 0 || value === false)) return;
      out[name] = value;
    }
  }
}

const EMPTY: Range = { start: 0, end: 0 };

/** The JSON of a value type's zero value; for a pointer-less message, the struct with every field zero. */
function zeroJson(t: CompiledType, buf: Buffer, message: CompiledMessage): Json {
  switch (t.t) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'bytes':
    case 'list':
    case 'map':
      return null;
    default:
      if (isVarintType(t.t) || t.t === 'float64') return 0;
      return jsonOf(t, EMPTY, buf, message);
  }
}

/** A map value absent from its entry: nil for a pointer or []byte, else the zero value. */
function zeroOrNull(t: CompiledType, buf: Buffer, message: CompiledMessage): Json {
  return t.pointer ? null : zeroJson(t, buf, message);
}

function jsonOf(t: CompiledType, raw: Raw, buf: Buffer, message: CompiledMessage): Json {
  switch (t.t) {
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'float64':
      return raw as Json;
    case 'bytes': {
      const range = raw as Range;
      return buf.toString('base64', range.start, range.end);
    }
    case 'message': {
      const range = raw as Range;
      return decodeMessage(buf, range.start, range.end, t.message!);
    }
    case 'time':
    case 'microtime':
      return timeJson(buf, raw as Range, t.t === 'microtime');
    case 'duration':
      return durationJson(buf, raw as Range);
    case 'quantity':
      return quantityJson(buf, raw as Range);
    case 'intorstring':
      return intOrStringJson(buf, raw as Range);
    case 'raw':
      return rawJson(buf, raw as Range);
    default:
      throw new WireError(`${message.name}: a ${t.t} inside a list or map is not supported`);
  }
}

/** metav1.Time/MicroTime: a Timestamp {seconds = 1, nanos = 2}; empty means the zero time, written as null. */
function timeJson(buf: Buffer, range: Range, micro: boolean): Json {
  if (range.end === range.start) return null;
  const wire = new Wire(buf, range.start, range.end);
  let seconds = 0;
  let nanos = 0;
  while (wire.pos < wire.end) {
    const tag = wire.varint();
    if (tag === 0x08) seconds = wire.varint();
    else if (tag === 0x10) nanos = wire.varint() | 0;
    else wire.skip(tag & 7);
  }
  // Go's zero time.Time is year 1; a Timestamp that reads back as it is written as null too.
  if (seconds === -62135596800 && (!micro || nanos < 1000)) return null;
  const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  if (!micro) return `${iso.slice(0, 19)}Z`;
  // RFC3339Micro: always six digits, truncated (not rounded) to microseconds as MicroTime's codec does.
  return `${iso.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** metav1.Duration: {duration = 1} in nanoseconds, written as Go's time.Duration.String(). */
function durationJson(buf: Buffer, range: Range): Json {
  const wire = new Wire(buf, range.start, range.end);
  let nanos = 0;
  while (wire.pos < wire.end) {
    const tag = wire.varint();
    if (tag === 0x08) nanos = wire.varint();
    else wire.skip(tag & 7);
  }
  return goDurationString(nanos);
}

/** resource.Quantity: {string = 1}, the canonical form its JSON also writes; the zero Quantity is "0". */
function quantityJson(buf: Buffer, range: Range): Json {
  const wire = new Wire(buf, range.start, range.end);
  let text = '';
  while (wire.pos < wire.end) {
    const tag = wire.varint();
    if (tag === 0x0a) {
      const at = wire.delimited();
      text = buf.toString('utf8', at, wire.pos);
    } else wire.skip(tag & 7);
  }
  return text === '' ? '0' : text;
}

/** intstr.IntOrString: {type = 1 (0 int, 1 string), intVal = 2, strVal = 3}, written as a number or a string. */
function intOrStringJson(buf: Buffer, range: Range): Json {
  const wire = new Wire(buf, range.start, range.end);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (wire.pos < wire.end) {
    const tag = wire.varint();
    if (tag === 0x08) type = wire.varint();
    else if (tag === 0x10) intVal = wire.varint() | 0;
    else if (tag === 0x1a) {
      const at = wire.delimited();
      strVal = buf.toString('utf8', at, wire.pos);
    } else wire.skip(tag & 7);
  }
  if (type === 1) return strVal;
  if (type !== 0) throw new WireError(`an IntOrString of type ${type} (0 is int, 1 is string)`);
  return intVal;
}

/** runtime.RawExtension and metav1.FieldsV1: {raw = 1}, JSON written as it is; no bytes are null. */
function rawJson(buf: Buffer, range: Range): Json {
  const wire = new Wire(buf, range.start, range.end);
  let raw: Range | undefined;
  while (wire.pos < wire.end) {
    const tag = wire.varint();
    if (tag === 0x0a) {
      const at = wire.delimited();
      raw = { start: at, end: wire.pos };
    } else wire.skip(tag & 7);
  }
  if (!raw) return null;
  const text = buf.toString('utf8', raw.start, raw.end);
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new WireError(`embedded raw bytes are not JSON (${JSON.stringify(text.slice(0, 40))})`);
  }
}
