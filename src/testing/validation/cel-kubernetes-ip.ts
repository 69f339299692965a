import { celFunc, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';
import { opaque, opaqueText } from './cel-kubernetes-opaque.js';

/**
 * The Kubernetes CEL IP and CIDR libraries, with Go's netip parsing rules (no leading zeros in IPv4, no
 * zones; IPv4-mapped IPv6 addresses refused, as the Kubernetes library does): `ip(s)`, `isIP(s)`,
 * `ip.isCanonical(s)`, `cidr(s)`, `isCIDR(s)`; on an IP `family()`, `isUnspecified()`, `isLoopback()`,
 * `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`; on a CIDR `containsIP(ip|s)`,
 * `containsCIDR(cidr|s)`, `ip()`, `masked()`, `prefixLength()`.
 */
type Bytes = number[];

function parseIPv4(text: string): Bytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255)) return undefined;
  return parts.map(Number);
}

function parseIPv6(text: string): Bytes | undefined {
  if (text.includes('%')) return undefined;
  let tail: Bytes = [];
  let body = text;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    // The dotted tail stands for the last two groups; parse it as zeros and patch the bytes in below.
    body = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  const count = head.length + rest.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined;
  const words = [...head, ...Array<string>(8 - count).fill('0'), ...rest].map((group) => parseInt(group, 16));
  const bytes = words.flatMap((word) => [word >> 8, word & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function parseAddress(text: string): { bytes: Bytes; error?: undefined } | { error: string } {
  if (text.includes('%')) return { error: `IP address with zone value is not allowed: ${text}` };
  const bytes = text.includes(':') ? parseIPv6(text) : parseIPv4(text);
  if (!bytes) return { error: `IP Address "${text}" parse error during conversion from string: ParseAddr("${text}"): unable to parse IP` };
  if (bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { error: `IPv4-mapped IPv6 address "${text}" is not allowed` };
  }
  return { bytes };
}

/** Go netip's text form: dotted IPv4, RFC 5952 IPv6. */
export function formatAddress(bytes: Bytes): string {
  if (bytes.length === 4) return bytes.join('.');
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((word) => word.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function ipValue(bytes: Bytes) {
  return opaque('net.IP', formatAddress(bytes));
}

function bytesOf(value: unknown, fn: string): Bytes {
  const parsed = parseAddress(opaqueText(value, 'net.IP', fn));
  if (parsed.error !== undefined) throw new Error(parsed.error);
  return parsed.bytes;
}

interface Prefix {
  bytes: Bytes;
  bits: number;
}

function parsePrefix(text: string): Prefix | { error: string } {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return { error: `network address parse error during conversion from string: netip.ParsePrefix("${text}"): no '/'` };
  const address = parseAddress(text.slice(0, slash));
  if (address.error !== undefined) return { error: address.error };
  const bitsText = text.slice(slash + 1);
  const bits = Number(bitsText);
  if (!/^(0|[1-9]\d*)$/.test(bitsText) || bits > address.bytes.length * 8) {
    return { error: `network address parse error during conversion from string: netip.ParsePrefix("${text}"): bad bits after slash: "${bitsText}"` };
  }
  return { bytes: address.bytes, bits };
}

function mask(bytes: Bytes, bits: number): Bytes {
  return bytes.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
}

function prefixValue(prefix: Prefix) {
  return opaque('net.CIDR', `${formatAddress(prefix.bytes)}/${prefix.bits}`);
}

function prefixOf(value: unknown, fn: string): Prefix {
  const parsed = parsePrefix(opaqueText(value, 'net.CIDR', fn));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function contains(prefix: Prefix, bytes: Bytes, bits: number): boolean {
  if (bytes.length !== prefix.bytes.length || bits < prefix.bits) return false;
  const a = mask(prefix.bytes, prefix.bits);
  const b = mask(bytes, prefix.bits);
  return a.every((byte, i) => byte === b[i]);
}

function argumentBytes(value: unknown, fn: string): Bytes {
  if (typeof value !== 'string') return bytesOf(value, fn);
  const parsed = parseAddress(value);
  if (parsed.error !== undefined) throw new Error(parsed.error);
  return parsed.bytes;
}

function argumentPrefix(value: unknown, fn: string): Prefix {
  if (typeof value !== 'string') return prefixOf(value, fn);
  const parsed = parsePrefix(value);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

const D = CelScalar.DYN;
const isV4 = (b: Bytes) => b.length === 4;
const classify = (name: string, test: (b: Bytes) => boolean) =>
  celMethod(name, D, [], CelScalar.BOOL, function () {
    return test(bytesOf(this, name));
  });

export const kubernetesIpFunctions: CelFunc[] = [
  celFunc('ip', [CelScalar.STRING], D, (text) => {
    const parsed = parseAddress(text);
    if (parsed.error !== undefined) throw new Error(parsed.error);
    return ipValue(parsed.bytes);
  }),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (text) => parseAddress(text).error === undefined),
  celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (text) => {
    const parsed = parseAddress(text);
    if (parsed.error !== undefined) throw new Error(parsed.error);
    return formatAddress(parsed.bytes) === text;
  }),
  celMethod('family', D, [], CelScalar.INT, function () {
    return isV4(bytesOf(this, 'family')) ? 4n : 6n;
  }),
  classify('isUnspecified', (b) => b.every((byte) => byte === 0)),
  classify('isLoopback', (b) => (isV4(b) ? b[0] === 127 : b.slice(0, 15).every((byte) => byte === 0) && b[15] === 1)),
  classify('isLinkLocalMulticast', (b) => (isV4(b) ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02)),
  classify('isLinkLocalUnicast', (b) => (isV4(b) ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80)),
  classify('isGlobalUnicast', (b) => {
    if (b.every((byte) => byte === 0)) return false;
    if (isV4(b)) return b[0] !== 127 && b[0]! < 224 && !(b[0] === 169 && b[1] === 254);
    const loopback = b.slice(0, 15).every((byte) => byte === 0) && b[15] === 1;
    return !loopback && b[0] !== 0xff && !(b[0] === 0xfe && (b[1]! & 0xc0) === 0x80);
  }),
  celFunc('cidr', [CelScalar.STRING], D, (text) => {
    const parsed = parsePrefix(text);
    if ('error' in parsed) throw new Error(parsed.error);
    return prefixValue(parsed);
  }),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (text) => !('error' in parsePrefix(text))),
  celMethod('containsIP', D, [D], CelScalar.BOOL, function (other) {
    const bytes = argumentBytes(other, 'containsIP');
    return contains(prefixOf(this, 'containsIP'), bytes, bytes.length * 8);
  }),
  celMethod('containsCIDR', D, [D], CelScalar.BOOL, function (other) {
    const inner = argumentPrefix(other, 'containsCIDR');
    return contains(prefixOf(this, 'containsCIDR'), inner.bytes, inner.bits);
  }),
  celMethod('ip', D, [], D, function () {
    return ipValue(prefixOf(this, 'ip').bytes);
  }),
  celMethod('masked', D, [], D, function () {
    const prefix = prefixOf(this, 'masked');
    return prefixValue({ bytes: mask(prefix.bytes, prefix.bits), bits: prefix.bits });
  }),
  celMethod('prefixLength', D, [], CelScalar.INT, function () {
    return BigInt(prefixOf(this, 'prefixLength').bits);
  }),
];
