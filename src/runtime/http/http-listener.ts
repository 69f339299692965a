import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, Runnable } from '../types.js';
import { formatAddress, type BindAddress } from './bind-address.js';
import { ListenError, type ListenerSetting } from './listen-error.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpListenerOptions {
  /** Used in log lines and errors, e.g. 'health probe server'. */
  name: string;
  bind: BindAddress;
  /** The flag and option that set `bind`; a failure to listen names them. */
  setting: ListenerSetting;
  handler: RequestHandler;
  logger: Logger;
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
    const { name, bind, setting, handler, logger } = this.options;
    const server = createServer((req, res) => {
      Promise.resolve(handler(req, res)).catch((err: unknown) => {
        logger.error(`${name} handler failed`, { error: err });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(bind.port, bind.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      for (const w of this.listeningWaiters.splice(0)) w.reject(err);
      throw new ListenError(name, bind, setting, err);
    }
    this.bound = formatAddress(server.address() as AddressInfo);
    logger.info(`${name} listening`, { address: this.bound });
    for (const w of this.listeningWaiters.splice(0)) w.resolve();
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.bound = undefined;
  }
}
