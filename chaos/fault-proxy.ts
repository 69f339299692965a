/**
 * A TCP proxy between one replica and the API server that injects network faults. It forwards bytes untouched
 * (TLS passes through), so each replica reaches the server through its own proxy and a fault hits one replica only.
 *
 * - latency: bytes from the replica (client → server) are held for `ms` before they are forwarded; bytes from the
 *   server flow at once, so the replica keeps receiving watch events while its requests are late. Bytes the replica
 *   has sent are delivered even if it closes or resets the connection meanwhile, and the close follows them, in
 *   order, like packets already in flight.
 * - blackhole: nothing is forwarded either way and sockets stay open; on heal, what was held is delivered (as TCP
 *   retransmission would), again in order.
 * - reset: every connection is destroyed at once, both sides.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

type Held = { kind: 'data'; bytes: Buffer; at: number } | { kind: 'end'; at: number };

/** One direction of one connection: an ordered queue released by time and by the blackhole switch. */
class Pipe {
  private readonly queue: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(private readonly to: Socket, private readonly proxy: FaultProxy) {}

  push(item: Held): void {
    if (this.ended) return;
    this.queue.push(item);
    this.pump();
  }

  /** Delivers everything due, in order; stops at the first item not yet due (later bytes never overtake it). */
  pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.proxy.blackholed) return;
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const item = this.queue.shift()!;
      if (item.kind === 'end') {
        this.ended = true;
        this.to.end();
        return;
      }
      if (!this.to.destroyed) this.to.write(item.bytes);
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.pump(), this.queue[0]!.at - now);
  }

  drop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.ended = true;
  }

  /** The time the next item may be delivered: never before the one queued before it. */
  due(delayMs: number): number {
    const last = this.queue.at(-1)?.at ?? 0;
    return Math.max(Date.now() + delayMs, last);
  }
}

interface Connection {
  client: Socket;
  server: Socket;
  up: Pipe;
  down: Pipe;
}

export class FaultProxy {
  /** Extra delay of client → server bytes, in ms (0: none). */
  latencyMs = 0;
  blackholed = false;
  private readonly connections = new Set<Connection>();
  private server: Server | undefined;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on 127.0.0.1 at a free port and returns it. */
  async listen(): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  private accept(client: Socket): void {
    const server = connect(this.target.port, this.target.host);
    const conn: Connection = { client, server, up: new Pipe(server, this), down: new Pipe(client, this) };
    this.connections.add(conn);
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.on('data', (bytes) => conn.up.push({ kind: 'data', bytes, at: conn.up.due(this.latencyMs) }));
    server.on('data', (bytes) => conn.down.push({ kind: 'data', bytes, at: conn.down.due(0) }));
    // The replica closing or resetting its side does not take back what it already sent: the close follows it.
    const clientGone = () => conn.up.push({ kind: 'end', at: conn.up.due(this.latencyMs) });
    client.on('end', clientGone);
    client.on('error', clientGone);
    const serverGone = () => conn.down.push({ kind: 'end', at: conn.down.due(0) });
    server.on('end', serverGone);
    server.on('error', serverGone);
    const forget = () => {
      if (client.destroyed && server.destroyed) this.connections.delete(conn);
    };
    client.on('close', forget);
    server.on('close', forget);
  }

  /** Delays client → server bytes sent from now on by `ms` (0 heals; held bytes still go out in order). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  setBlackhole(on: boolean): void {
    this.blackholed = on;
    if (!on) for (const c of this.connections) {
      c.up.pump();
      c.down.pump();
    }
  }

  /** Destroys every connection, both sides, dropping whatever was held. */
  reset(): void {
    for (const c of this.connections) {
      c.up.drop();
      c.down.drop();
      c.client.resetAndDestroy();
      c.server.resetAndDestroy();
    }
    this.connections.clear();
  }

  get openConnections(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    this.reset();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
