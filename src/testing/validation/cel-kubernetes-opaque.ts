import { celMap, isCelMap, type CelMap } from '@bufbuild/cel';

/**
 * Values of the Kubernetes CEL types (URL, IP, CIDR, Quantity) that @bufbuild/cel has no slot for. Each is
 * a map holding its kind and a canonical text, so that `==` compares values the way the server does (two
 * quantities of equal amount, two IPs of the same address) and methods can check their receiver.
 */
const KIND = '@kubernetes.type';
const TEXT = '@kubernetes.value';

export type OpaqueKind = 'kubernetes.URL' | 'net.IP' | 'net.CIDR' | 'kubernetes.Quantity';

export function opaque(kind: OpaqueKind, canonical: string): CelMap {
  return celMap(new Map<string, string>([[KIND, kind], [TEXT, canonical]]));
}

/** The canonical text of a value of `kind`, or a CEL "no such overload" error for anything else. */
export function opaqueText(value: unknown, kind: OpaqueKind, fn: string): string {
  if (isCelMap(value) && value.get(KIND) === kind) return value.get(TEXT) as string;
  throw new Error(`no such overload: ${fn} applied to ${describe(value)}`);
}

export function isOpaque(value: unknown, kind: OpaqueKind): value is CelMap {
  return isCelMap(value) && value.get(KIND) === kind;
}

function describe(value: unknown): string {
  if (isCelMap(value) && typeof value.get(KIND) === 'string') return String(value.get(KIND));
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  return isCelMap(value) ? 'map' : Array.isArray(value) ? 'list' : typeof value;
}
