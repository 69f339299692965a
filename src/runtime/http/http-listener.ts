import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger, Runnable } from '../types.js';
import { formatAddress, type BindAddress } from './bind-address.js';
import { ListenError, type ListenerSetting } from './listen-error.js';
import type { CertificatePair } from './self-signed-cert.js';

/** Where an HTTPS listener gets its certificate, and later ones when it rotates. */
export interface TlsSource {
  /** The pair served from the start; a rejection fails the listener before it binds. */
  initial(): Promise<CertificatePair>;
  /** Hands over new pairs until `signal` aborts. */
  watch?(signal: AbortSignal, onChange: (pair: CertificatePair) => void): Promise<void>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpListenerOptions {
  /** Used in log lines and errors, e.g. 'health probe server'. */
  name: string;
  bind: BindAddress;
  /** The flag and option that set `bind`; a failure to listen names them. */
  setting: ListenerSetting;
  handler: RequestHandler;
  logger: Logger;
  /** Serve HTTPS with these certificates; plain HTTP when absent. */
  tls?: TlsSource;
}

/** An HTTP server run as a runnable on every replica; `address()` is known once listening. */
export class HttpListener implements Runnable {
  private bound: string | undefined;
  private readonly listeningWaiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];

  constructor(private readonly options: HttpListenerOptions) {}

  needLeaderElection(): boolean {
    return false;
  }

  address(): string | undefined {
    return this.bound;
  }

  /** Resolves once the port is bound (or rejects if binding failed). */
  listening(): Promise<void> {
    if (this.bound) return Promise.resolve();
    return new Promise((resolve, reject) => this.listeningWaiters.push({ resolve, reject }));
  }

  async start(signal: AbortSignal): Promise<void> {
    const { name, bind, setting, handler, logger, tls } = this.options;
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      Promise.resolve(handler(req, res)).catch((err: unknown) => {
        logger.error(`${name} handler failed`, { error: err });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    };
    let server: Server;
    let rotation: Promise<void> = Promise.resolve();
    const stopRotation = new AbortController();
    if (tls) {
      let pair: CertificatePair;
      try {
        pair = await tls.initial();
      } catch (err) {
        for (const w of this.listeningWaiters.splice(0)) w.reject(err);
        throw err;
      }
      const https = createHttpsServer({ ...pair, minVersion: 'TLSv1.2' }, listener);
      rotation = tls.watch?.(stopRotation.signal, (next) => https.setSecureContext({ ...next, minVersion: 'TLSv1.2' })) ?? rotation;
      server = https;
    } else {
      server = createServer(listener);
    }
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(bind.port, bind.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      stopRotation.abort();
      await rotation;
      for (const w of this.listeningWaiters.splice(0)) w.reject(err);
      throw new ListenError(name, bind, setting, err);
    }
    this.bound = formatAddress(server.address() as AddressInfo);
    logger.info(`${name} listening`, { address: this.bound, secure: tls !== undefined });
    for (const w of this.listeningWaiters.splice(0)) w.resolve();
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    stopRotation.abort();
    await rotation;
    this.bound = undefined;
  }
}
