import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { ValidationError } from '../../src/errors.js';
import { useExistingClusterFromEnv } from '../../src/testing/existing-cluster-env.js';
import { ExistingClusterError, waitForCrds } from '../../src/testing/existing-cluster.js';
import { CrdInstallError, FakeClock, startTestEnv, startTestServer, type TestEnv } from '../../src/testing/index.js';
import { rawRequest, widgetCrd } from './helpers.js';

const gadgetCrd = {
  ...widgetCrd,
  metadata: { name: 'gadgets.example.com' },
  spec: { ...widgetCrd.spec, names: { kind: 'Gadget', plural: 'gadgets' }, versions: [widgetCrd.spec.versions[0]] },
};

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Drives a FakeClock until `promise` settles, letting HTTP round trips finish between steps. */
async function settleWithClock<T>(promise: Promise<T>, clock: FakeClock, stepMs: number): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  watched.catch(() => undefined);
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(stepMs);
  }
  return watched;
}

describe('USE_EXISTING_CLUSTER', () => {
  it('accepts true/false/1/0 in any letter case and treats unset or empty as not given', () => {
    for (const value of ['true', 'TRUE', 'True', '1']) assert.equal(useExistingClusterFromEnv(value), true, value);
    for (const value of ['false', 'FALSE', '0']) assert.equal(useExistingClusterFromEnv(value), false, value);
    assert.equal(useExistingClusterFromEnv(undefined), undefined);
    assert.equal(useExistingClusterFromEnv(''), undefined);
  });

  it('refuses any other value, naming the variable, the value and the accepted values', () => {
    for (const value of ['yes please', 'yes', 'on', '2']) {
      assert.throws(() => useExistingClusterFromEnv(value), (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.match(err.message, /^USE_EXISTING_CLUSTER is "[^"]+", but it accepts only true, false, 1 or 0$/);
        assert.ok(err.message.includes(JSON.stringify(value)));
        return true;
      });
    }
  });
});

describe('startTestEnv on an existing cluster (an embedded server reached through KUBECONFIG)', () => {
  let host: TestEnv;
  const saved = { KUBECONFIG: process.env.KUBECONFIG, USE_EXISTING_CLUSTER: process.env.USE_EXISTING_CLUSTER };
  before(async () => {
    // gadgets exist on the cluster before the tests: an existing CRD is updated, never removed.
    host = await startTestEnv({ crds: [gadgetCrd] });
  });
  after(() => host.stop());
  beforeEach(() => {
    process.env.KUBECONFIG = host.kubeconfigPath;
    delete process.env.USE_EXISTING_CLUSTER;
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('installs the CRDs there, serves through the kubeconfig, and stop() removes only what it created', async () => {
    const env = await startTestEnv({ useExistingCluster: true, crds: [widgetCrd, gadgetCrd] });
    assert.equal(env.url, host.url);
    assert.equal(env.kubeconfigPath, host.kubeconfigPath);
    const crd = await rawRequest(host, 'GET', `${CRDS}/widgets.example.com`);
    assert.equal(crd.code, 200);
    assert.ok(crd.body.status.conditions.some((c: any) => c.type === 'Established' && c.status === 'True'));
    const custom = env.kubeConfig.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets', body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } });
    assert.throws(() => env.server, (err: unknown) => err instanceof ExistingClusterError && /no embedded server/.test(err.message));
    assert.equal(Object.keys({ ...env }).includes('server'), false, 'spreading the env does not touch the missing server');
    await env.stop();
    assert.equal((await rawRequest(host, 'GET', `${CRDS}/widgets.example.com`)).code, 404, 'the CRD it created is gone');
    assert.equal((await rawRequest(host, 'GET', `${CRDS}/gadgets.example.com`)).code, 200, 'the CRD that was there before stays');
  });

  it('is chosen by USE_EXISTING_CLUSTER=true, and useExistingCluster: false overrides the variable', async () => {
    process.env.USE_EXISTING_CLUSTER = 'true';
    const env = await startTestEnv({ crds: [widgetCrd] });
    try {
      assert.equal(env.url, host.url);
    } finally {
      await env.stop();
    }
    const embedded = await startTestEnv({ useExistingCluster: false });
    try {
      assert.notEqual(embedded.url, host.url);
    } finally {
      await embedded.stop();
    }
    process.env.USE_EXISTING_CLUSTER = 'yes please';
    await assert.rejects(startTestEnv(), /USE_EXISTING_CLUSTER is "yes please", but it accepts only true, false, 1 or 0/);
  });

  it('rolls back the CRDs it created when a later one is refused', async () => {
    const broken = { ...widgetCrd, metadata: { name: 'broken.example.com' } };
    await assert.rejects(startTestEnv({ useExistingCluster: true, crds: [widgetCrd, broken] }), (err: unknown) => {
      assert.ok(err instanceof CrdInstallError);
      assert.match(err.message, /CRD broken\.example\.com could not be installed on the existing cluster: .*must be spec\.names\.plural\+"\."\+spec\.group/);
      return true;
    });
    assert.equal((await rawRequest(host, 'GET', `${CRDS}/widgets.example.com`)).code, 404);
  });

  it('names a kubeconfig file that does not exist', async () => {
    process.env.KUBECONFIG = '/nonexistent/operator-ts/kubeconfig';
    await assert.rejects(startTestEnv({ useExistingCluster: true }), (err: unknown) => {
      assert.ok(err instanceof ExistingClusterError);
      assert.match(err.message, /\/nonexistent\/operator-ts\/kubeconfig does not exist/);
      return true;
    });
  });

  it('is refused by startTestServer, which always starts the embedded server', async () => {
    await assert.rejects(startTestServer({ useExistingCluster: true }), /startTestServer always starts the embedded API server; useExistingCluster: true needs startTestEnv/);
  });

  it('refuses workload simulation, which only the embedded server has', async () => {
    await assert.rejects(startTestEnv({ useExistingCluster: true, simulate: { workloads: true } }), /simulate\.workloads works only with the embedded API server/);
  });

  it('stop() gives up after removeTimeoutMs, naming the CRD still held by its custom resources', async () => {
    const clock = new FakeClock();
    const env = await startTestEnv({ useExistingCluster: true, crds: [widgetCrd], existingCluster: { removeTimeoutMs: 1000, pollIntervalMs: 100, clock } });
    const custom = env.kubeConfig.makeApiClient(CustomObjectsApi);
    const widgets = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };
    await custom.createNamespacedCustomObject({ ...widgets, body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
    await assert.rejects(settleWithClock(env.stop(), clock, 100), (err: unknown) => {
      assert.ok(err instanceof ExistingClusterError);
      assert.match(err.message, /CRDs still present 1000 ms after their deletion: widgets\.example\.com \(finalizers: customresourcecleanup\.apiextensions\.k8s\.io; .*Established=/);
      return true;
    });
    await custom.patchNamespacedCustomObject({ ...widgets, name: 'held', body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    assert.equal((await rawRequest(host, 'GET', `${CRDS}/widgets.example.com`)).code, 404, 'the CRD goes once its last resource is released');
  });
});

describe('waitForCrds', () => {
  it('fails after the timeout with the conditions of each CRD that is not ready', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const crd = { metadata: { name: 'a.example.com' }, status: { conditions: [{ type: 'NamesAccepted', status: 'False', reason: 'ListKindConflict', message: 'is already in use' }, { type: 'Established', status: 'False' }] } };
    const waiting = waitForCrds(['a.example.com', 'b.example.com'], async (name) => {
      reads++;
      return name === 'a.example.com' ? crd : { metadata: { name }, status: { conditions: [{ type: 'Established', status: 'True' }] } };
    }, (c) => (c?.status?.conditions ?? []).some((x) => x.type === 'Established' && x.status === 'True'), {
      timeoutMs: 500, pollIntervalMs: 100, clock,
      failure: (pending) => new Error(pending.map((p) => p.name).join(',')),
    });
    await assert.rejects(settleWithClock(waiting, clock, 100), /^Error: a\.example\.com$/);
    assert.equal(clock.now() - Date.UTC(2026, 0, 1) >= 500, true, 'it waited the whole timeout');
    assert.ok(reads >= 6 && reads <= 9, `polled about every 100 ms (reads: ${reads})`);
  });

  it('returns at once when every CRD is ready', async () => {
    const clock = new FakeClock();
    await waitForCrds(['x'], async () => ({ metadata: { name: 'x' } }), (c) => c !== undefined, { timeoutMs: 1, pollIntervalMs: 1, clock, failure: () => new Error('no') });
    assert.equal(clock.pendingSleepers, 0);
  });
});
