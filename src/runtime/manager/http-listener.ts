import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperatorTsError } from '../../errors.js';
import type { Logger, Runnable } from '../types.js';

export interface BindAddress {
  /** undefined = every interface. */
  host?: string;
  port: number;
}

/** A bind address ('host:port', ':port', '[::1]:port') breaks a rule. */
export class BindAddressError extends OperatorTsError {
  constructor(option: string, value: string, rule: string) {
    super('EBINDADDRESS', `${option} '${value}' ${rule}`, { hint: `use ':8081' for every interface, '127.0.0.1:0' for a free loopback port, or '0' to turn it off` });
  }
}

/** Parses a Go-style bind address. '0' and '' mean "off" and return undefined. */
export function parseBindAddress(option: string, value: string): BindAddress | undefined {
  if (value === '0' || value === '') return undefined;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(value);
  if (!m) throw new BindAddressError(option, value, "is not of the form 'host:port' or ':port'");
  const port = Number(m[3]);
  if (port > 65535) throw new BindAddressError(option, value, `has port ${port}, above 65535`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

export function formatAddress(info: AddressInfo): string {
  return info.family === 'IPv6' ? `[${info.address}]:${info.port}` : `${info.address}:${info.port}`;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** An HTTP server run as a runnable on every replica; `address()` is known once listening. */
export class HttpListener implements Runnable {
  private bound: string | undefined;
  private readonly listeningWaiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];

  constructor(
    private readonly name: string,
    private readonly bind: BindAddress,
    private readonly handler: RequestHandler,
    private readonly logger: Logger,
  ) {}

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
    const server = createServer((req, res) => {
      Promise.resolve(this.handler(req, res)).catch((err: unknown) => {
        this.logger.error(`${this.name} handler failed`, { error: err });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.bind.port, this.bind.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      for (const w of this.listeningWaiters.splice(0)) w.reject(err);
      throw new OperatorTsError('ELISTEN', `${this.name} could not listen on ${this.bind.host ?? ''}:${this.bind.port}: ${(err as Error).message}`, {
        hint: 'pick another port with the bind address flag, or stop the process using it',
        cause: err,
      });
    }
    this.bound = formatAddress(server.address() as AddressInfo);
    this.logger.info(`${this.name} listening`, { address: this.bound });
    for (const w of this.listeningWaiters.splice(0)) w.resolve();
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.bound = undefined;
  }
}
