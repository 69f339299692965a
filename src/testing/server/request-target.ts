/** The parts of a request's URL the handlers read. */
export interface RequestTarget {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

/**
 * Plain API paths (segments of letters, digits, '-', '_' and '.', none starting with '.'), with no
 * fragment, are exactly what WHATWG URL parsing would make of them, so they are split directly: URL
 * parsing is a measurable part of a small create. Anything else (percent-escapes, dot segments, '//',
 * backslashes, '#') goes through `new URL` as before.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/?$/;

export function requestTarget(raw: string | undefined): RequestTarget {
  const target = raw ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (!target.includes('#') && PLAIN_PATH.test(path)) {
    return { pathname: path === '' ? '/' : path, searchParams: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
  }
  return new URL(target, 'http://127.0.0.1');
}
