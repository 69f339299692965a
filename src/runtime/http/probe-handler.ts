import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from './http-listener.js';
import type { CheckResult, CheckSet } from '../probes/checks.js';

function reply(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  res.end(body);
}

function verboseBody(kind: string, results: CheckResult[], ok: boolean): string {
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: ${r.error}`));
  return `${lines.join('\n')}\n${kind} check ${ok ? 'passed' : 'failed'}\n`;
}

/**
 * /healthz and /readyz in the API server's format: 'ok', or the failed checks with 500;
 * `?verbose` lists every check; /healthz/<name> runs one check (404 when unknown).
 */
export function probeHandler(sets: readonly CheckSet[]): RequestHandler {
  const byKind = new Map(sets.map((s) => [s.kind as string, s]));
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    const [, kind, name, ...rest] = url.pathname.split('/');
    const set = kind ? byKind.get(kind) : undefined;
    if (!set || rest.length > 0) return reply(res, 404, `not found: probes are ${[...byKind.keys()].map((k) => `/${k}`).join(', ')}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed\n');
    if (name) {
      if (!set.has(name)) return reply(res, 404, `no ${set.kind} check named '${name}'\n`);
      const [result] = await set.run(name);
      return result!.ok ? reply(res, 200, 'ok') : reply(res, 500, `internal server error: ${result!.error}\n`);
    }
    const results = await set.run();
    const ok = results.every((r) => r.ok);
    if (url.searchParams.has('verbose')) return reply(res, ok ? 200 : 500, verboseBody(set.kind, results, ok));
    if (ok) return reply(res, 200, 'ok');
    const failed = results.filter((r) => !r.ok).map((r) => `[-]${r.name} failed: ${r.error}`);
    return reply(res, 500, `${failed.join('\n')}\n${set.kind} check failed\n`);
  };
}
