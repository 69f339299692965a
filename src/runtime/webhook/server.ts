import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:tls';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Logger, Runnable } from '../types.js';
import { CertWatcher } from '../http/cert-watcher.js';
import { HttpListener } from '../http/http-listener.js';
import type { ListenerSetting } from '../http/listen-error.js';
import { parseDuration } from '../flags/duration.js';
import { createWebhookMetrics, type WebhookMetrics } from '../metrics/webhook-metrics.js';
import { WebhookSetupError } from './errors.js';
import { ConversionRegistry } from './conversion.js';
import { CONVERT_PATH } from './paths.js';

/** Larger bodies are refused, as controller-runtime does (an object is at most ~1.5 MB in etcd; old + new + slack). */
export const MAX_REQUEST_BYTES = 7 * 1024 * 1024;

export interface JsonReply {
  status: number;
  body: unknown;
}

export interface WebhookRequestMeta {
  url: URL;
  /** Aborts when the API server's `timeout` (in the URL) has passed, or when the server stops. */
  signal: AbortSignal;
}

/** Answers one decoded JSON request body; a thrown error becomes a 500. */
export type WebhookHandler = (body: unknown, meta: WebhookRequestMeta) => Promise<JsonReply>;

const WEBHOOK_SETTING: ListenerSetting = {
  flag: 'ManagerOptions.webhook.port',
  option: 'webhook.port',
  hint: 'pick another port with ManagerOptions.webhook.port (the webhook Service must target it), or stop the process using it',
};
const CERT_HINT =
  "check the manager's webhook.certDir, webhook.certName and webhook.keyName: a cert-manager Secret mounted at /tmp/k8s-webhook-server/serving-certs holds tls.crt and tls.key";
const PATH = /^(\/[a-zA-Z0-9_-]+)+$/;

/** Where the server listens and which certificate files it serves (filled and checked by the manager's options). */
export interface WebhookServerSettings {
  port: number;
  /** undefined: every interface. */
  host: string | undefined;
  certDir: string;
  certName: string;
  keyName: string;
}

export interface WebhookServerDeps {
  registry: Registry;
  clock: Clock;
  logger: Logger;
}

class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The HTTPS server of admission and conversion webhooks (controller-runtime's webhook.Server). It serves the
 * certificate in certDir and reloads it when the files change; it runs on every replica, since the API server
 * calls whichever Pod the Service picks.
 */
export class WebhookServer implements Runnable {
  private readonly handlers = new Map<string, { handle: WebhookHandler; metrics: WebhookMetrics }>();
  private readonly listener: HttpListener;
  private readonly firstRegistration: Array<() => void> = [];
  private conversionRegistry: ConversionRegistry | undefined;

  constructor(
    readonly options: WebhookServerSettings,
    private readonly deps: WebhookServerDeps,
  ) {
    const logger = deps.logger.child({ component: 'webhook-server' });
    const watcher = new CertWatcher({ dir: options.certDir, certName: options.certName, keyName: options.keyName, clock: deps.clock, logger, server: 'webhook server', hint: CERT_HINT });
    this.listener = new HttpListener({
      name: 'webhook server',
      bind: { host: options.host, port: options.port },
      setting: WEBHOOK_SETTING,
      handler: (req, res) => this.serve(req, res),
      logger,
      tls: { initial: () => watcher.load(), watch: (signal, onChange) => watcher.watch(signal, onChange) },
    });
  }

  needLeaderElection(): boolean {
    return false;
  }

  /** Registers `handler` at `path` (e.g. '/mutate-cache-example-com-v1-memcached'); a path is registered once. */
  register(path: string, handler: WebhookHandler): void {
    if (!PATH.test(path)) throw new WebhookSetupError(`webhook path '${path}' is not of the form /segment[/segment…] with letters, digits, '-' and '_'`, "use e.g. '/validate-cache-example-com-v1-memcached'");
    if (this.handlers.has(path)) throw new WebhookSetupError(`a webhook is already registered at ${path}`, 'register each kind\'s defaulter, validator and conversion once (one webhookManagedBy(...).complete() per kind)');
    this.handlers.set(path, { handle: handler, metrics: createWebhookMetrics(this.deps.registry, path) });
    this.deps.logger.info('registering webhook', { path });
    if (this.handlers.size === 1) for (const fn of this.firstRegistration.splice(0)) fn();
  }

  /** The conversions served at /convert, registered there on first use. */
  conversions(): ConversionRegistry {
    if (!this.conversionRegistry) {
      this.conversionRegistry = new ConversionRegistry(this.deps.logger.child({ component: 'webhook-server' }));
      this.register(CONVERT_PATH, this.conversionRegistry.handler());
    }
    return this.conversionRegistry;
  }

  isRegistered(path: string): boolean {
    return this.handlers.has(path);
  }

  paths(): string[] {
    return [...this.handlers.keys()];
  }

  /** Calls `fn` when the first webhook is registered (at once if one already is): the manager starts the server then. */
  onFirstRegistration(fn: () => void): void {
    if (this.handlers.size > 0) fn();
    else this.firstRegistration.push(fn);
  }

  address(): string | undefined {
    return this.listener.address();
  }

  listening(): Promise<void> {
    return this.listener.listening();
  }

  start(signal: AbortSignal): Promise<void> {
    return this.listener.start(signal);
  }

  /**
   * A readiness check that passes once the server listens and completes a TLS handshake with itself
   * (controller-runtime's StartedChecker), so no Pod is put behind the webhook Service before it can answer.
   */
  startedChecker(): () => Promise<void> {
    return async () => {
      const address = this.listener.address();
      if (!address) throw new Error('webhook server has not been started yet');
      const url = new URL(`https://${address}`);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const dialHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: dialHost, port: Number(url.port), rejectUnauthorized: false, timeout: 10_000 }, () => {
          socket.end();
          resolve();
        });
        socket.on('timeout', () => socket.destroy(new Error('timed out')));
        socket.on('error', (err) => reject(new Error(`webhook server is not reachable: ${err.message}`)));
      });
    };
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://webhook');
    const entry = this.handlers.get(url.pathname);
    if (!entry) return sendJson(res, 404, statusBody(404, 'NotFound', `no webhook is registered at ${url.pathname}; paths are ${this.paths().join(', ')}`));
    const done = entry.metrics.started();
    const began = this.deps.clock.now();
    let code = 500;
    const stop = new AbortController();
    let timedOut = false;
    const onClose = () => stop.abort(new Error('the API server closed the connection'));
    res.on('close', onClose);
    try {
      const timeoutMs = requestTimeout(url);
      if (timeoutMs !== undefined) {
        this.deps.clock.sleep(timeoutMs, stop.signal).then(
          () => {
            timedOut = true;
            stop.abort(new Error(`the API server's timeout of ${url.searchParams.get('timeout')} passed`));
          },
          () => {},
        );
      }
      const body = await readJson(req);
      const reply = await entry.handle(body, { url, signal: stop.signal });
      code = reply.status;
      if (timedOut) this.deps.logger.error('webhook answered after the API server stopped waiting; the failurePolicy decided instead', { path: url.pathname, timeout: url.searchParams.get('timeout') });
      sendJson(res, reply.status, reply.body);
    } catch (err) {
      code = err instanceof RequestError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (code === 500) this.deps.logger.error('webhook failed', { path: url.pathname, error: err });
      sendJson(res, code, statusBody(code, code === 500 ? 'InternalError' : 'BadRequest', message));
    } finally {
      res.off('close', onClose);
      stop.abort();
      done(code, (this.deps.clock.now() - began) / 1000);
    }
  }
}

/** The `timeout` the API server adds to a webhook's URL (Go duration, from timeoutSeconds). */
function requestTimeout(url: URL): number | undefined {
  const text = url.searchParams.get('timeout');
  if (text === null) return undefined;
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST') throw new RequestError(405, `webhooks take POST requests, not ${req.method}`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new RequestError(400, `content-type '${req.headers['content-type'] ?? ''}' is not supported: the body must be application/json`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) throw new RequestError(400, `request body of ${declared} bytes is over the limit of ${MAX_REQUEST_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new RequestError(400, `request body is over the limit of ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) throw new RequestError(400, 'request body is empty: expected an AdmissionReview or ConversionReview');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new RequestError(400, `request body is not JSON: ${(err as Error).message}`);
  }
}

/** Thrown by a handler for a body that decodes but is not what the path serves; answered with its status. */
export function badRequest(message: string): Error {
  return new RequestError(400, message);
}

function statusBody(code: number, reason: string, message: string): unknown {
  return { apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
