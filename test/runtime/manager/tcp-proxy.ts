import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of the test API server. `cut()` makes it stop forwarding without
 * closing anything (a network partition: requests hang); `sent()` returns what clients sent.
 */
export async function startTcpProxy(target: URL) {
  let cut = false;
  const sockets = new Set<Socket>();
  const chunks: Buffer[] = [];
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (cut) return; // accepted, never answered
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('data', (d: Buffer) => {
      if (cut) return;
      chunks.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!cut) client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => {
      cut = true;
    },
    sent: () => Buffer.concat(chunks).toString('utf8'),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
