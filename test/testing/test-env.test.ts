import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { CrdInstallError, CrdSourceError, runTestEnvCommand, startTestEnv } from '../../src/testing/index.js';
import { rejectsWithStatus, widgetCrd } from './helpers.js';

const celCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'ranges.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { kind: 'Range', plural: 'ranges' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              'x-kubernetes-validations': [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }],
              properties: { min: { type: 'integer' }, max: { type: 'integer' } },
            },
          },
        },
      },
    }],
  },
};

describe('startTestEnv', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'operator-ts-testenv-test-'));
    await mkdir(join(dir, 'crds'));
    await writeFile(join(dir, 'crds', 'widgets.yaml'), stringify(widgetCrd));
    await writeFile(join(dir, 'crds', 'ranges.json'), JSON.stringify(celCrd));
    await writeFile(join(dir, 'crds', 'README.md'), 'not a CRD, ignored by extension');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('installs CRDs from a directory, serves them, enforces CEL rules, and stop() cleans up', async () => {
    const started = performance.now();
    const env = await startTestEnv({ crds: [join(dir, 'crds')] });
    const elapsed = performance.now() - started;
    try {
      assert.ok(elapsed < 5000, `start-up took ${elapsed} ms`);
      assert.match(env.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(existsSync(env.kubeconfigPath));
      assert.match(await readFile(env.kubeconfigPath, 'utf8'), /current-context: operator-ts-testenv/);
      assert.equal(env.kubeConfig.getContextObject(env.kubeConfig.getCurrentContext())!.namespace, 'default');
      const custom = env.kubeConfig.makeApiClient(CustomObjectsApi);
      const ranges = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'ranges' };
      await custom.createNamespacedCustomObject({ ...ranges, body: { apiVersion: 'example.com/v1', kind: 'Range', metadata: { name: 'ok' }, spec: { min: 1, max: 2 } } });
      await rejectsWithStatus(
        custom.createNamespacedCustomObject({ ...ranges, body: { apiVersion: 'example.com/v1', kind: 'Range', metadata: { name: 'bad' }, spec: { min: 3, max: 2 } } }),
        422, 'Invalid', 'min must not exceed max',
      );
      const widgets: any = await custom.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' });
      assert.deepEqual(widgets.items, []);
    } finally {
      await env.stop();
    }
    assert.equal(existsSync(env.kubeconfigPath), false);
    await env.stop(); // twice is fine
  });

  it('accepts CRD objects and refuses non-CRD documents and broken CRDs with typed errors', async () => {
    const env = await startTestEnv({ crds: [widgetCrd] });
    await env.stop();
    await assert.rejects(startTestEnv({ crds: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }] }), CrdSourceError);
    await assert.rejects(startTestEnv({ crds: [join(dir, 'missing.yaml')] }), CrdSourceError);
    const broken = structuredClone(widgetCrd) as any;
    broken.metadata.name = 'wrong.example.com';
    await assert.rejects(startTestEnv({ crds: [broken] }), (err: unknown) => err instanceof CrdInstallError && /must be spec.names.plural/.test(err.message));
  });

  it('stop() ends open watches', async () => {
    const env = await startTestEnv();
    const response = await fetch(`${env.url}/api/v1/namespaces?watch=1`);
    const reader = response.body!.getReader();
    await reader.read(); // the ADDED events of the initial namespaces
    assert.equal(env.server.openWatchCount, 1);
    await env.stop();
    let done = false;
    while (!done) done = (await reader.read()).done;
    assert.equal(env.server.openWatchCount, 0);
  });
});

describe('runTestEnvCommand', () => {
  it('prints the URL and kubeconfig, serves until aborted, then stops', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const dir = await mkdtemp(join(tmpdir(), 'operator-ts-testenv-cmd-'));
    const kubeconfig = join(dir, 'kc.yaml');
    try {
      let printed!: () => void;
      const ready = new Promise<void>((r) => (printed = r));
      const running = runTestEnvCommand({ kubeconfig, signal: controller.signal, print: (l) => { lines.push(l); if (l.startsWith('export KUBECONFIG=')) printed(); } });
      await ready;
      assert.ok(lines.some((l) => /http:\/\/127\.0\.0\.1:\d+/.test(l)));
      assert.ok(lines.includes(`export KUBECONFIG=${kubeconfig}`));
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(lines.join('\n'))![0];
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      assert.ok((await kc.makeApiClient(CoreV1Api).listNamespace()).items.length >= 2);
      controller.abort();
      await running;
      await assert.rejects(fetch(`${url}/healthz`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
