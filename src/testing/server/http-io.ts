import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeProtobufObject } from './protobuf-body.js';
import { errors } from './status.js';
import { jsonText } from './stored-json.js';

const bodies = new WeakMap<IncomingMessage, Promise<Buffer>>();

/**
 * Reads the whole body, refusing more than `limit` bytes with 413 (checked while reading, not after).
 * Reading starts at the first call and is shared by later ones: the server starts it as soon as a request
 * arrives, so a body that arrived completely is kept even if the client leaves before it is used (Node
 * discards unread data of a request whose connection closed).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  let body = bodies.get(req);
  if (!body) {
    body = collectBody(req, limit);
    // Whoever uses the body sees a failure; a request that never reads it (a GET, a refused one) must not
    // leave an unhandled rejection behind.
    body.catch(() => undefined);
    bodies.set(req, body);
  }
  return body;
}

function collectBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(errors.tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      // A complete request whose connection was then closed or reset is still whole.
      if (!failed && !req.complete) reject(errors.badRequest(`could not read the request body: ${err.message}`));
    });
    req.on('close', () => {
      if (failed) return;
      // Every chunk of a complete request has been delivered by now, even if the connection closed before
      // 'end' was emitted: the write is committed, as a real server may. A client that goes away mid-body
      // never sends 'end': settle instead of leaking the request.
      if (req.complete) resolve(Buffer.concat(chunks));
      else reject(errors.badRequest('the client closed the connection before sending the whole body'));
    });
  });
}

export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes a create/update body: JSON (the default) or YAML; protobuf and anything else is 415. */
export function decodeObjectBody(req: IncomingMessage, body: Buffer): unknown {
  const mediaType = mediaTypeOf(req);
  const text = body.toString('utf8');
  if (mediaType === '' || mediaType === 'application/json' || mediaType === '*/*') return parseJson(text);
  if (mediaType === 'application/yaml' || mediaType === 'application/x-yaml' || mediaType === 'text/yaml') {
    try {
      return parseYaml(text);
    } catch (err) {
      throw errors.badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
    }
  }
  if (mediaType === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  throw errors.unsupportedMediaType(`the body of the request was in an unknown format (${mediaType}) - accepted media types include: application/json, application/yaml`);
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw errors.badRequest('the request body is empty: send a JSON object');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = jsonText(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Query helpers that turn bad values into 400 answers naming the parameter. */
export class Query {
  constructor(readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null ? undefined : value;
  }

  bool(name: string): boolean {
    const value = this.params.get(name);
    if (value === null || value === '' || value === 'false' || value === '0') return false;
    if (value === 'true' || value === '1') return true;
    throw errors.badRequest(`query parameter ${name}=${JSON.stringify(value)} is not a boolean: use true or false`);
  }

  int(name: string): number | undefined {
    const value = this.params.get(name);
    if (value === null || value === '') return undefined;
    if (!/^-?\d+$/.test(value)) throw errors.badRequest(`query parameter ${name}=${JSON.stringify(value)} is not an integer`);
    return Number(value);
  }

  /** dryRun: absent or All; anything else is refused like the real server. */
  dryRun(): boolean {
    const values = this.params.getAll('dryRun');
    if (values.length === 0) return false;
    for (const v of values) {
      if (v !== 'All') throw errors.badRequest(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
    }
    return true;
  }
}
