import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { ListenError } from '../../../src/runtime/http/listen-error.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { fakeCluster, unreachableKubeConfig } from './fakes.js';

/** Holds a loopback port so the manager's server cannot bind it. */
async function occupiedPort(): Promise<{ server: Server; address: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: `127.0.0.1:${(server.address() as { port: number }).port}` };
}

async function startError(options: { healthProbeBindAddress?: string; metricsBindAddress?: string }): Promise<ListenError> {
  const manager = new Manager({ kubeConfig: unreachableKubeConfig(), cluster: fakeCluster(), logger: silentLogger, defaultMetrics: false, ...options });
  const err = await manager.start(new AbortController().signal).then(
    () => assert.fail('start() resolved although the port is taken'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ListenError, `expected a ListenError, got ${String(err)}`);
  return err;
}

test('a taken health probe port names --health-probe-bind-address and the address', async (t) => {
  const { server, address } = await occupiedPort();
  t.after(() => server.close());
  const err = await startError({ healthProbeBindAddress: address });
  assert.equal(err.code, 'ELISTEN');
  assert.match(err.message, new RegExp(`^health probe server could not listen on ${address} \\(set by --health-probe-bind-address\\): .*EADDRINUSE`));
  assert.match(err.hint ?? '', /--health-probe-bind-address \(ManagerOptions\.healthProbeBindAddress\)/);
  assert.match(err.hint ?? '', /--health-probe-bind-address=0 to turn the server off/);
  assert.doesNotMatch(`${err.message} ${err.hint}`, /metrics-bind-address|the bind address flag/);
});

test('a taken metrics port names --metrics-bind-address and the address', async (t) => {
  const { server, address } = await occupiedPort();
  t.after(() => server.close());
  const err = await startError({ healthProbeBindAddress: '0', metricsBindAddress: address });
  assert.match(err.message, new RegExp(`^metrics server could not listen on ${address} \\(set by --metrics-bind-address\\): .*EADDRINUSE`));
  assert.match(err.hint ?? '', /--metrics-bind-address \(ManagerOptions\.metricsBindAddress\)/);
  assert.doesNotMatch(`${err.message} ${err.hint}`, /health-probe-bind-address|the bind address flag/);
});
