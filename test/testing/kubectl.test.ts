import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { startTestEnv, type TestEnv } from '../../src/testing/index.js';
import { widgetCrd } from './helpers.js';

const run = promisify(execFile);

// kubectl runs as a child process; the server lives in this process, so only async exec works here.
describe('kubectl against the embedded server', () => {
  let env: TestEnv;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout } = await run('kubectl', ['--kubeconfig', env.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
    }
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'operator-ts-kubectl-'));
    env = await startTestEnv();
  });
  after(async () => {
    await env.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('get lists namespaces as a table', async () => {
    const out = await kubectl('get', 'namespaces');
    assert.match(out, /^NAME\s+AGE/m);
    assert.match(out, /^default\s/m);
    assert.match(out, /^kube-system\s/m);
  });

  it('imperative create of namespaces, configmaps, secrets and service accounts (protobuf bodies)', async () => {
    await kubectl('create', 'namespace', 'imperative');
    await kubectl('create', 'configmap', 'cfg', '-n', 'imperative', '--from-literal=a=b');
    await kubectl('create', 'secret', 'generic', 'sec', '-n', 'imperative', '--from-literal=password=hunter2');
    await kubectl('create', 'serviceaccount', 'bot', '-n', 'imperative');
    assert.equal(await kubectl('get', 'cm', 'cfg', '-n', 'imperative', '-o', 'jsonpath={.data.a}'), 'b');
    assert.equal(Buffer.from(await kubectl('get', 'secret', 'sec', '-n', 'imperative', '-o', 'jsonpath={.data.password}'), 'base64').toString(), 'hunter2');
    assert.match(await kubectl('get', 'sa', '-n', 'imperative'), /^bot\s/m);
    // Kinds whose protobuf form is not decoded are refused clearly, not half-created.
    await assert.rejects(kubectl('create', 'deployment', 'd', '--image=nginx', '-n', 'imperative'), /only accepted as JSON/);
    assert.match(await kubectl('delete', 'namespace', 'imperative'), /deleted/);
  });

  it('apply -f creates and then updates built-in objects', async () => {
    const file = join(dir, 'objects.yaml');
    const doc = (value: string) => [
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', labels: { app: 'web' } }, data: { value } }),
      stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } }),
    ].join('---\n');
    await writeFile(file, doc('1'));
    assert.match(await kubectl('apply', '-f', file), /configmap\/demo created/);
    await writeFile(file, doc('2'));
    assert.match(await kubectl('apply', '-f', file), /configmap\/demo configured/);
    assert.equal(await kubectl('get', 'configmap', 'demo', '-o', 'jsonpath={.data.value}'), '2');
    assert.equal(await kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'), '1');
  });

  it('applies a CRD, waits for Established, applies a custom object, patches and waits on its status', async () => {
    const crdFile = join(dir, 'crd.yaml');
    await writeFile(crdFile, stringify(widgetCrd));
    await kubectl('apply', '-f', crdFile);
    assert.match(await kubectl('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s'), /condition met/);
    const wFile = join(dir, 'w.yaml');
    await writeFile(wFile, stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { mode: 'a' } }));
    assert.match(await kubectl('apply', '-f', wFile), /widget.example.com\/w1 created/);
    assert.equal(await kubectl('get', 'wd', 'w1', '-o', 'jsonpath={.spec.size}'), '1');
    await kubectl('patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":5}}');
    assert.equal(await kubectl('get', 'widgets', 'w1', '-o', 'jsonpath={.spec.size}'), '5');
    await assert.rejects(kubectl('patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":50}}'), /spec\.size: Invalid value: 50/);
    const waiting = kubectl('wait', '--for=condition=Ready', 'widget/w1', '--timeout=20s');
    await kubectl('patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}');
    assert.match(await waiting, /condition met/);
  });

  it('server-side apply and delete (which waits for the object to go)', async () => {
    const file = join(dir, 'ssa.yaml');
    await writeFile(file, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { a: 'b' } }));
    assert.match(await kubectl('apply', '--server-side', '-f', file), /serverside-applied/);
    assert.match(await kubectl('get', 'cm', 'ssa', '-o', 'yaml', '--show-managed-fields'), /manager: kubectl/);
    assert.match(await kubectl('delete', '-f', file), /deleted/);
    assert.match(await kubectl('get', 'cm', '--ignore-not-found', 'ssa'), /^$/);
    assert.match(await kubectl('delete', 'widget', 'w1'), /deleted/);
  });
});
