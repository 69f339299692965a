import http from 'node:http';
import https from 'node:https';
import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import { KubeConfigError } from '../kubeconfig/kubeconfig-error.js';
import { apiErrorFor, TransportError } from './errors.js';
import { bufferSink, readAnswer } from './answer-reader.js';
import { realClock, type Clock } from '../clock.js';
import type { RequestRateLimiter } from './request-rate-limiter.js';

/**
 * What a transport reports for client-go's REST client metrics (k8s.io/client-go/tools/metrics). `host` is
 * the API server's host:port, `method`/`verb` the HTTP method.
 */
export interface RestClientMetrics {
  /** rest_client_requests_total: one per request sent, by HTTP status, or '<error>' when none came back. */
  requestResult(code: string, method: string, host: string): void;
  /** rest_client_request_duration_seconds: a non-streaming request from start (rate-limiter wait included) to its parsed answer. */
  requestLatency(verb: string, host: string, seconds: number): void;
  /** rest_client_rate_limiter_duration_seconds: how long a request waited for the client-side rate limiter. */
  rateLimiterLatency(verb: string, host: string, seconds: number): void;
}

export { KubeConfigError };

export type QueryValue = string | number | boolean | undefined;

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. '/api/v1/namespaces/default/configmaps'. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Content type of the body; default application/json. */
  contentType?: string;
  /** Accept header; default application/json (a metadata-only read asks for PartialObjectMetadata). */
  accept?: string;
  signal?: AbortSignal;
  /** Whole-request timeout for non-streaming calls; default from the transport options. */
  timeoutMs?: number;
  /**
   * Called once the request has its connection (a reused keep-alive socket, or a new one connected and,
   * for https, past the TLS handshake) and its body is serialized, immediately before its first byte is
   * written. A throw stops the request unsent and rejects with what was thrown.
   */
  beforeSend?: () => void;
}

export interface RestTransportOptions {
  /** Default timeout for one non-streaming request; it starts after the rate limiter let the request go. */
  requestTimeoutMs?: number;
  /** Paces non-streaming requests (client-go's rest.Config.RateLimiter); watches are never paced. Default: none. */
  rateLimiter?: RequestRateLimiter;
  /** Receives client-go's REST client metrics. */
  metrics?: RestClientMetrics;
  /** Measures the durations reported to `metrics`; default realClock. */
  clock?: Clock;
}

/**
 * HTTP to the API server over node:http/https, authenticated through the KubeConfig (client certs,
 * CA, bearer tokens, exec plugins — whatever `applyToHTTPSOptions` supports). Streaming (watch) and
 * plain JSON calls share one keep-alive agent per protocol.
 */
export class RestTransport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly requestTimeoutMs: number;
  private readonly rateLimiter: RequestRateLimiter | undefined;
  private readonly metrics: RestClientMetrics | undefined;
  private readonly clock: Clock;

  constructor(private readonly kubeConfig: KubeConfigLike, options: RestTransportOptions = {}) {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new KubeConfigError(`the kubeconfig's current context "${kubeConfig.getCurrentContext()}" has no cluster server URL`);
    try {
      this.base = new URL(server);
    } catch (cause) {
      throw new KubeConfigError(`the cluster server URL "${server}" is not a valid URL`);
    }
    const isHttps = this.base.protocol === 'https:';
    this.agent = isHttps ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.rateLimiter = options.rateLimiter;
    this.metrics = options.metrics;
    this.clock = options.clock ?? realClock;
  }

  /**
   * Sends a request and parses the JSON answer; errors become ApiError subclasses. With a rate limiter the
   * request first waits for a token; `req.signal` aborting meanwhile fails it unsent with a TransportError.
   */
  async json<T>(req: RestRequest): Promise<T> {
    return this.read(req, async (res) => {
      const text = await readBody(res, req);
      if (text.length === 0) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new TransportError(`${req.method} ${req.path}: the API server sent a body that is not JSON`, cause);
      }
    });
  }

  /**
   * As `json`, with the body of a successful (2xx/3xx) answer read by `readAnswer` (e.g. decoded as it arrives);
   * an error answer is read whole and becomes an ApiError subclass as in `json`. The request's timeout covers
   * the reading.
   */
  async read<T>(req: RestRequest, readAnswer: (res: http.IncomingMessage) => Promise<T>): Promise<T> {
    const start = this.clock.now();
    try {
      await this.throttle(req);
      // The timeout starts once the limiter let the request go (as client-go), so a throttled request
      // does not time out before it was sent; the caller's own signal bounds the wait.
      const timeout = AbortSignal.timeout(req.timeoutMs ?? this.requestTimeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      const res = await this.send({ ...req, signal });
      if ((res.statusCode ?? 0) >= 400) throw errorFromResponse(res.statusCode ?? 0, await readBody(res, req), req);
      return await readAnswer(res);
    } finally {
      this.metrics?.requestLatency(req.method, this.base.host, (this.clock.now() - start) / 1000);
    }
  }

  /**
   * Sends a request and returns the answer's bytes and content type unparsed (a list asked for in protobuf may
   * come back as JSON); errors become ApiError subclasses as with `json`.
   */
  async bytes(req: RestRequest): Promise<{ contentType: string; body: Buffer }> {
    return this.read(req, async (res) => ({ contentType: res.headers['content-type'] ?? '', body: await readBuffer(res, req) }));
  }

  /** Opens a streaming GET (watch), never rate-limited (as client-go). Resolves once headers arrived with a 2xx status. */
  async stream(req: RestRequest): Promise<http.IncomingMessage> {
    const res = await this.send(req);
    if ((res.statusCode ?? 0) >= 400) {
      const text = await readBody(res, req);
      throw errorFromResponse(res.statusCode ?? 0, text, req);
    }
    return res;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private async throttle(req: RestRequest): Promise<void> {
    const limiter = this.rateLimiter;
    if (!limiter) return;
    const start = this.clock.now();
    try {
      await limiter.wait(req.signal);
    } catch (cause) {
      throw new TransportError(`${req.method} ${req.path} was aborted while it waited for the client-side rate limiter`, cause);
    } finally {
      this.metrics?.rateLimiterLatency(req.method, this.base.host, (this.clock.now() - start) / 1000);
    }
  }

  /** Sends one request and counts its outcome in rest_client_requests_total. */
  private async send(req: RestRequest): Promise<http.IncomingMessage> {
    let res: http.IncomingMessage;
    try {
      res = await this.sendUncounted(req);
    } catch (err) {
      // client-go's label for a request without an answer: errors are unbounded strings.
      this.metrics?.requestResult('<error>', req.method, this.base.host);
      throw err;
    }
    this.metrics?.requestResult(String(res.statusCode ?? 0), req.method, this.base.host);
    return res;
  }

  private async sendUncounted(req: RestRequest): Promise<http.IncomingMessage> {
    const url = this.urlFor(req);
    const options: https.RequestOptions = { method: req.method, headers: { Accept: req.accept ?? 'application/json' } };
    // Credentials may take a while (an exec plugin); an abort meanwhile ends the request at once.
    await untilAborted(this.kubeConfig.applyToHTTPSOptions(options), req);
    const headers = (options.headers ?? {}) as Record<string, string>;
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const isHttps = url.protocol === 'https:';
    const client = isHttps ? https : http;
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(new TransportError(`${req.method} ${req.path} was aborted`, req.signal.reason));
      const request = client.request(url, { ...options, headers, agent: this.agent, signal: req.signal }, resolve);
      request.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
      request.on('error', (cause) => reject(new TransportError(`${req.method} ${req.path} failed: ${(cause as Error).message}`, cause)));
      const beforeSend = req.beforeSend;
      if (!beforeSend) {
        request.end(payload);
        return;
      }
      // Nothing (not even the headers) is written before end(), so holding it back until the socket is
      // ready makes beforeSend the last word before the bytes leave.
      const send = () => {
        if (request.destroyed) return;
        try {
          beforeSend();
        } catch (err) {
          reject(err);
          request.destroy();
          return;
        }
        request.end(payload);
      };
      request.once('socket', (socket) => {
        // 'socket' is emitted on the next tick after the agent hands one out, so a new socket cannot have
        // connected (or finished its TLS handshake) yet.
        if (request.reusedSocket || !socket.connecting) send();
        else socket.once(isHttps ? 'secureConnect' : 'connect', send);
      });
    });
  }

  private urlFor(req: RestRequest): URL {
    const url = new URL(this.base.toString());
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${req.path}`;
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }
}

function untilAborted<T>(work: Promise<T>, req: RestRequest): Promise<T> {
  const signal = req.signal;
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TransportError(`${req.method} ${req.path} was aborted`, signal.reason));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Reads a whole answer as text: the chunks are gathered and decoded once after the last byte (a character split
 * across chunks is whole again by then).
 */
function readBody(res: http.IncomingMessage, req: RestRequest): Promise<string> {
  return readBuffer(res, req).then((body) => body.toString('utf8'));
}

/** Reads a whole answer as bytes; see readBody. */
function readBuffer(res: http.IncomingMessage, req: RestRequest): Promise<Buffer> {
  return readAnswer(res, req, bufferSink());
}

/** Builds a typed error from an error answer, using the server's Status message when there is one. */
export function errorFromResponse(status: number, text: string, req: Pick<RestRequest, 'method' | 'path'>) {
  let reason: string | undefined;
  let message = text.trim().slice(0, 500) || http.STATUS_CODES[status] || 'unknown error';
  try {
    const body = JSON.parse(text) as { kind?: string; reason?: string; message?: string };
    if (body && typeof body === 'object') {
      reason = body.reason;
      if (body.message) message = body.message;
    }
  } catch {
    // not a Status object: keep the raw text
  }
  return apiErrorFor({ status, reason, message, method: req.method, path: req.path });
}
