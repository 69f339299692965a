/**
 * The descriptor of the built-in kinds' protobuf messages (descriptor.json, generated from the Go API types by
 * scripts/gen-protobuf-descriptor.mjs): per message, its fields in Go declaration order (the order Go's JSON
 * writes them) with field number, JSON name, type and the JSON rules that apply (omitempty, pointer, inline).
 */
export type FieldType =
  | 'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'float64' | 'byte' | 'bytes'
  | 'time' | 'microtime' | 'duration' | 'quantity' | 'intorstring' | 'raw'
  | 'message' | 'list' | 'map';

export interface TypeRef {
  t: FieldType;
  /** Message name, for t = 'message'. */
  ref?: string;
  /** Element type of a list, value type of a map. */
  of?: TypeRef;
  /** Key type of a map. */
  key?: TypeRef;
  /** A Go pointer: absent on the wire means nil (null or omitted in JSON), not the zero value. */
  pointer?: boolean;
}

export interface FieldDescriptor extends TypeRef {
  /** Protobuf field number. */
  n: number;
  /** JSON name; '' for an inline (embedded) struct whose fields are written in its place. */
  json: string;
  omitempty?: boolean;
  inline?: boolean;
  /** Elements whose kind/apiVersion the server sets in JSON though the wire has none (StatefulSet's PVC templates). */
  typeMeta?: { kind: string; apiVersion: string };
}

export interface DescriptorFile {
  /** `<apiVersion>/<Kind>` → the message name of `<Kind>List`. */
  kinds: Record<string, string>;
  messages: Record<string, FieldDescriptor[]>;
}

let loaded: DescriptorFile | undefined;

/**
 * Loads the descriptor once, on the first protobuf list (150 KB). It is a JSON module imported on demand, so a
 * process that never asks for protobuf never reads it and a bundler keeps it in a chunk of its own.
 */
export async function loadDescriptor(): Promise<DescriptorFile> {
  loaded ??= (await import('./descriptor.json', { with: { type: 'json' } })).default as unknown as DescriptorFile;
  return loaded;
}

/** The loaded descriptor; loadDescriptor() must have resolved first (every protobuf list awaits it). */
export function descriptor(): DescriptorFile {
  if (!loaded) throw new Error('the protobuf descriptor is used before loadDescriptor() resolved');
  return loaded;
}

/** The `<Kind>List` message name for a kind, or undefined when the descriptor does not cover it. */
export function listMessageFor(apiVersion: string, kind: string): string | undefined {
  return descriptor().kinds[`${apiVersion}/${kind}`];
}
