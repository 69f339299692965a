import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FaultProxy } from '../../chaos/fault-proxy.js';

/** An echo-less sink server that records what arrives on each connection and whether it ended. */
function sink(): { server: Server; received: string[]; ended: boolean[]; sockets: Socket[] } {
  const state = { received: [] as string[], ended: [] as boolean[], sockets: [] as Socket[] };
  const server = createServer((s) => {
    const i = state.sockets.push(s) - 1;
    state.received[i] = '';
    state.ended[i] = false;
    s.on('data', (d) => (state.received[i] += d.toString()));
    s.on('end', () => (state.ended[i] = true));
    s.on('error', () => undefined);
  });
  return { server, ...state };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
};

describe('FaultProxy', () => {
  let target: ReturnType<typeof sink>;
  let proxy: FaultProxy;
  let port: number;

  before(async () => {
    target = sink();
    await new Promise<void>((r) => target.server.listen(0, '127.0.0.1', r));
    proxy = new FaultProxy({ host: '127.0.0.1', port: (target.server.address() as { port: number }).port });
    port = await proxy.listen();
  });
  after(async () => {
    await proxy.close();
    await new Promise((r) => target.server.close(r));
  });

  const open = async () => {
    const c = connect(port, '127.0.0.1');
    c.on('error', () => undefined);
    await new Promise((r) => c.once('connect', r));
    const before = target.sockets.length;
    return { c, index: async () => { await until(() => target.sockets.length > before, 'server side accepted'); return before; } };
  };

  it('under latency holds client bytes, delivers server bytes at once, and delivers held bytes and then the close after a reset', async () => {
    const { c, index } = await open();
    c.write('early;');
    const i = await index();
    await until(() => target.received[i] === 'early;', 'bytes flow without latency');
    proxy.setLatency(300);
    c.write('late;');
    let fromServer = '';
    c.on('data', (d) => (fromServer += d.toString()));
    target.sockets[i]!.write('event');
    await until(() => fromServer === 'event', 'server → client bytes are not delayed');
    assert.equal(target.received[i], 'early;', 'client → server bytes are held');
    c.resetAndDestroy(); // the replica gives up; what it sent is already in flight
    proxy.setLatency(0);
    await until(() => target.ended[i] === true, 'the close arrives');
    assert.equal(target.received[i], 'early;late;', 'the held bytes arrived before the close');
  });

  it('does not let bytes sent after the latency heals overtake held ones', async () => {
    const { c, index } = await open();
    const i = await index();
    proxy.setLatency(200);
    c.write('1;');
    proxy.setLatency(0);
    c.write('2;');
    await until(() => target.received[i] === '1;2;', 'both arrive in order');
    c.destroy();
  });

  it('blackhole forwards nothing either way until healed, keeping the sockets open; reset destroys both sides', async () => {
    const { c, index } = await open();
    const i = await index();
    let fromServer = '';
    c.on('data', (d) => (fromServer += d.toString()));
    proxy.setBlackhole(true);
    c.write('up');
    target.sockets[i]!.write('down');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(target.received[i], '');
    assert.equal(fromServer, '');
    assert.equal(c.destroyed, false);
    proxy.setBlackhole(false);
    await until(() => target.received[i] === 'up' && fromServer === 'down', 'held bytes delivered on heal');
    const closed = new Promise((r) => c.once('close', r));
    proxy.reset();
    await closed;
    assert.equal(proxy.openConnections, 0);
  });
});
