import { celFunc, celMap, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';
import { opaque, opaqueText } from './cel-kubernetes-opaque.js';

/**
 * The Kubernetes CEL URL library with Go's `url.ParseRequestURI` rules (an absolute URL or an absolute
 * path; no relative references): `url(s)`, `isURL(s)`, and on a URL `getScheme()`, `getHost()`,
 * `getHostname()`, `getPort()`, `getEscapedPath()`, `getQuery()`.
 */
interface ParsedUrl {
  scheme: string;
  host: string;
  path: string;
  query: string;
}

export function parseRequestUri(raw: string): ParsedUrl | { error: string } {
  const fail = (why: string) => ({ error: `URL parse error during conversion from string: parse ${JSON.stringify(raw)}: ${why}` });
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fail('net/url: invalid control character in URL');
  if (raw === '') return fail('empty url');
  let rest = raw;
  let scheme = '';
  const colon = rest.indexOf(':');
  if (!rest.startsWith('/')) {
    if (colon <= 0 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(rest.slice(0, colon))) return fail(colon === 0 ? 'missing protocol scheme' : 'invalid URI for request');
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
    if (!rest.startsWith('/')) return fail('invalid URI for request');
  }
  let query = '';
  const question = rest.indexOf('?');
  if (question >= 0) [rest, query] = [rest.slice(0, question), rest.slice(question + 1)];
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    host = authority.slice(authority.lastIndexOf('@') + 1);
    if (host.startsWith('[') && !host.includes(']')) return fail('missing \']\' in host');
    const port = portPart(host);
    if (port !== '' && !/^:\d*$/.test(port)) return fail(`invalid port ${JSON.stringify(port)} after host`);
    if (/[\s<>"{}|\\^`]/.test(host)) return fail(`invalid character in host name`);
  }
  return { scheme, host, path: rest, query };
}

function parsedOf(value: unknown, fn: string): ParsedUrl {
  const parsed = parseRequestUri(opaqueText(value, 'kubernetes.URL', fn));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** What follows the host name: ":8080", ":" or "" (IPv6 literals keep their colons inside brackets). */
function portPart(host: string): string {
  if (host.startsWith('[')) return host.slice(host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? '' : host.slice(colon);
}

function port(host: string): string {
  return portPart(host).slice(1);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const D = CelScalar.DYN;

export const kubernetesUrlFunctions: CelFunc[] = [
  celFunc('url', [CelScalar.STRING], D, (raw) => {
    const parsed = parseRequestUri(raw);
    if ('error' in parsed) throw new Error(parsed.error);
    return opaque('kubernetes.URL', raw);
  }),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (raw) => !('error' in parseRequestUri(raw))),
  celMethod('getScheme', D, [], CelScalar.STRING, function () {
    return parsedOf(this, 'getScheme').scheme;
  }),
  celMethod('getHost', D, [], CelScalar.STRING, function () {
    return parsedOf(this, 'getHost').host;
  }),
  celMethod('getHostname', D, [], CelScalar.STRING, function () {
    return hostname(parsedOf(this, 'getHostname').host);
  }),
  celMethod('getPort', D, [], CelScalar.STRING, function () {
    return port(parsedOf(this, 'getPort').host);
  }),
  celMethod('getEscapedPath', D, [], CelScalar.STRING, function () {
    return parsedOf(this, 'getEscapedPath').path;
  }),
  celMethod('getQuery', D, [], D, function () {
    const values = new Map<string, string[]>();
    for (const pair of parsedOf(this, 'getQuery').query.split('&')) {
      if (pair === '' || pair.includes(';')) continue;
      const eq = pair.indexOf('=');
      const [key, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      const list = values.get(decode(key)) ?? [];
      list.push(decode(value));
      values.set(decode(key), list);
    }
    return celMap(values);
  }),
];
