import { readFileSync } from 'node:fs';
import { QUANTITY_FORMAT_MESSAGE } from '../../validation/quantity-syntax.js';

/*
 * The real kube-apiserver decodes a built-in object's JSON into its Go struct before anything else looks at it, so
 * a JSON type mismatch (a string where a list belongs, 1.5 in an int32) is a 400 BadRequest, not a 422 and never
 * a silent 201. This replays that decoding as a type check, from the field types in decode-types.json (generated
 * by scripts/derive-builtin-decode-types.mjs from the real server's OpenAPI). Go's decoder is followed where it
 * shows: null fits every type; the first mismatch in document order is reported, but a Quantity that does not
 * parse stops decoding at once; unknown fields are not type errors (fieldValidation handles them).
 * A body that decodes is left as Go would re-encode its nulls: a null field is dropped (a nil pointer, slice or
 * map), a null map value or list item becomes its type's zero value (`labels: {a: null}` is stored as `a: ""`).
 */

/** A field type: scalar codes, a struct, a slice or a string-keyed map (see the generator script for the codes). */
type FieldType = (
  | { t: 'string' | 'bool' | 'int32' | 'int64' | 'int' | 'float64' | 'byte' | 'time' | 'quantity' | 'intstr' | 'any' }
  | { t: 'struct'; def: Definition }
  | { t: 'slice' | 'map'; of: FieldType }
) & {
  /** The Go type's own name where it is not the one the JSON type implies (`v1.RestartPolicy`, `[]v1.FinalizerName`). */
  go?: string;
};

/** Codes whose errors always print the same type, whatever the Go field is called. */
const FIXED_NAME = new Set(['time', 'quantity', 'intstr', 'any']);

/** The element type of a Go slice or map type name (`[]v1.Capability`, `map[v1.ResourceName]v1.X`), if it is one. */
function elementGoType(go: string | undefined): string | undefined {
  if (go?.startsWith('[]')) return go.slice(2);
  if (!go?.startsWith('map[')) return undefined;
  let depth = 0;
  for (let i = 3; i < go.length; i++) {
    if (go[i] === '[') depth++;
    else if (go[i] === ']' && --depth === 0) return go.slice(i + 1);
  }
  return undefined;
}

interface Definition {
  go: string;
  /** Go's json errors name the innermost struct by its bare type name (`PodSpec`). */
  struct: string;
  props: Map<string, FieldType>;
}

interface DecodeTypesFile {
  kinds: Record<string, string>;
  defs: Record<string, { go: string; props: Record<string, string> }>;
}

/** A body that Go's json decoder refuses; `message` is what follows "cannot be handled as a <Kind>: ". */
export class DecodeTypeError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'DecodeTypeError';
  }
}

let kinds: Map<string, Definition> | undefined;

/** Reads and links the data file on the first write of a built-in kind; `import 'operator-ts/testing'` skips it. */
function load(): Map<string, Definition> {
  if (kinds) return kinds;
  const file = JSON.parse(readFileSync(new URL('./decode-types.json', import.meta.url), 'utf8')) as DecodeTypesFile;
  const defs = new Map<string, Definition>();
  for (const [name, def] of Object.entries(file.defs)) defs.set(name, { go: def.go, struct: def.go.slice(def.go.indexOf('.') + 1), props: new Map() });
  const parse = (code: string, go?: string): FieldType => {
    const named = go !== undefined && !FIXED_NAME.has(code) ? { go } : {};
    if (code.startsWith('[]')) return { t: 'slice', of: parse(code.slice(2), elementGoType(go)), ...named };
    if (code.startsWith('{}')) return { t: 'map', of: parse(code.slice(2), elementGoType(go)), ...named };
    if (code.startsWith('@')) {
      const def = defs.get(code.slice(1));
      if (!def) throw new Error(`decode-types.json: ${code} names no definition`);
      return { t: 'struct', def, ...named };
    }
    return { t: code, ...named } as FieldType;
  };
  for (const [name, def] of Object.entries(file.defs)) {
    const props = defs.get(name)!.props;
    for (const [field, code] of Object.entries(def.props)) {
      const bar = code.indexOf('|');
      props.set(field, bar < 0 ? parse(code) : parse(code.slice(0, bar), code.slice(bar + 1)));
    }
  }
  kinds = new Map(Object.entries(file.kinds).map(([gvk, name]) => [gvk, defs.get(name)!]));
  return kinds;
}

/** Go's type name of a field type, as its json errors print it. */
function goType(type: FieldType): string {
  if (type.go !== undefined) return type.go;
  switch (type.t) {
    case 'struct': return type.def.go;
    case 'slice': return `[]${goType(type.of)}`;
    // Every map of quantities in the served kinds is a core/v1 ResourceList.
    case 'map': return type.of.t === 'quantity' ? 'v1.ResourceList' : `map[string]${goType(type.of)}`;
    case 'byte': return '[]uint8';
    case 'time': return 'string';
    case 'intstr': return 'int32';
    case 'quantity': return 'resource.Quantity';
    default: return type.t;
  }
}

/** What Go stores for a JSON null in a list item or map value; null where the zero value encodes as null. */
function zeroValue(type: FieldType): unknown {
  switch (type.t) {
    case 'string': case 'byte': return '';
    case 'bool': return false;
    case 'int32': case 'int64': case 'int': case 'float64': case 'intstr': return 0;
    case 'struct': return {};
    default: return null;
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

const INT_RANGE = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

class Decoder {
  first: DecodeTypeError | undefined;

  mismatch(value: unknown, type: FieldType, struct: string, path: string, kind = jsonKind(value)): void {
    this.first ??= new DecodeTypeError(`json: cannot unmarshal ${kind} into Go struct field ${struct}.${path} of type ${goType(type)}`, path);
  }

  value(value: unknown, type: FieldType, struct: string, path: string): void {
    if (value === null || type.t === 'any') return;
    switch (type.t) {
      case 'struct':
        if (typeof value !== 'object' || Array.isArray(value)) return this.mismatch(value, type, struct, path);
        return this.struct(value as Record<string, unknown>, type.def, path);
      case 'slice':
        if (!Array.isArray(value)) return this.mismatch(value, type, struct, path);
        for (let i = 0; i < value.length; i++) {
          if (value[i] === null) value[i] = zeroValue(type.of);
          else this.value(value[i], type.of, struct, path);
        }
        return;
      case 'map': {
        if (typeof value !== 'object' || Array.isArray(value)) return this.mismatch(value, type, struct, path);
        const map = value as Record<string, unknown>;
        for (const key in map) {
          if (map[key] === null) map[key] = zeroValue(type.of);
          else this.value(map[key], type.of, struct, path);
        }
        return;
      }
      case 'string': case 'byte': case 'time':
        if (typeof value !== 'string') this.mismatch(value, type, struct, path);
        return;
      case 'bool':
        if (typeof value !== 'boolean') this.mismatch(value, type, struct, path);
        return;
      case 'float64':
        if (typeof value !== 'number') this.mismatch(value, type, struct, path);
        return;
      case 'int32': case 'int64': case 'int': case 'intstr': {
        if (type.t === 'intstr' && typeof value === 'string') return;
        if (typeof value !== 'number') return this.mismatch(value, type, struct, path);
        const [min, max] = INT_RANGE[type.t === 'intstr' ? 'int32' : type.t];
        // Go names the literal when a number does not fit the integer type.
        if (!Number.isInteger(value) || value < min || value > max) this.mismatch(value, type, struct, path, `number ${String(value)}`);
        return;
      }
      case 'quantity':
        // Quantity's own UnmarshalJSON parses strings and numbers (a malformed string is left to the quantity hooks);
        // anything else fails to parse, and that error ends decoding.
        if (typeof value !== 'string' && typeof value !== 'number') throw new DecodeTypeError(QUANTITY_FORMAT_MESSAGE, path);
        return;
    }
  }

  struct(object: Record<string, unknown>, def: Definition, path: string): void {
    for (const key in object) {
      const type = def.props.get(key);
      if (!type) continue;
      const item = object[key];
      if (item === null) delete object[key];
      else this.value(item, type, def.struct, path === '' ? key : `${path}.${key}`);
    }
  }
}

/** Whether the decoder knows `group/version/kind` (core kinds: `v1/Pod`). */
export function decodesKind(group: string, version: string, kind: string): boolean {
  return load().has(`${group === '' ? '' : `${group}/`}${version}/${kind}`);
}

/**
 * The first error Go's json decoder would give for `object` as `group/version/kind`, or undefined when it decodes
 * (then its nulls are replaced in place as Go decodes them). Kinds the data file does not list are not checked.
 */
export function decodeTypeError(object: Record<string, unknown>, group: string, version: string, kind: string): DecodeTypeError | undefined {
  const def = load().get(`${group === '' ? '' : `${group}/`}${version}/${kind}`);
  if (!def) return undefined;
  const decoder = new Decoder();
  try {
    decoder.struct(object, def, '');
  } catch (err) {
    if (err instanceof DecodeTypeError) return err;
    throw err;
  }
  return decoder.first;
}
