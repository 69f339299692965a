import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { planManifests } from '../../src/manifests/index.js';
import { GADGET_FIXTURE, defaultedSpec, invalidSpecs, validSpec } from './constraint-cases.js';
import { fixturesDir } from './helpers.js';

const run = promisify(execFile);

interface Env {
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

/**
 * Installs the generated CRDs into the embedded API server and exercises them over HTTP and with
 * kubectl: accepted with defaults, rejected with 422 per constraint, printer columns and short names.
 */
describe('generated CRDs in the embedded API server', () => {
  let env: Env;
  const crds: object[] = [];

  before(async () => {
    for (const fixture of [GADGET_FIXTURE, 'memcached']) {
      for (const f of await planManifests({ projectDir: join(fixturesDir, fixture) })) {
        const doc = parse(f.contents);
        if (doc.kind === 'CustomResourceDefinition') crds.push(doc);
      }
    }
    const testing = await import('../../src/testing/index.js');
    env = await testing.startTestEnv({ crds });
  });
  after(async () => env?.stop());

  const gadgets = (): string => `${env.url}/apis/toys.example.com/v1/namespaces/default/gadgets`;
  const post = async (name: string, spec: object): Promise<{ status: number; body: any }> => {
    const res = await fetch(gadgets(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'toys.example.com/v1', kind: 'Gadget', metadata: { name }, spec }),
    });
    return { status: res.status, body: await res.json() };
  };

  it('accepts a valid object and applies defaults', async () => {
    const { status, body } = await post('valid', validSpec);
    assert.equal(status, 201, JSON.stringify(body));
    assert.deepEqual(body.spec, defaultedSpec);
  });

  invalidSpecs.forEach(([name, spec], i) => {
    it(`rejects with 422 Invalid: ${name}`, async () => {
      const { status, body } = await post(`bad-${i}`, spec);
      assert.equal(status, 422, `${name}: ${JSON.stringify(body)}`);
      assert.equal(body.reason, 'Invalid');
    });
  });

  it('kubectl shows the printer columns and resolves the short name', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', env.kubeconfigPath, 'get', 'gd', '-n', 'default'], { timeout: 20_000 });
    const [header, row] = stdout.trim().split('\n');
    // The embedded server adds AGE even when the CRD lists its own columns (a real server does not).
    assert.match(header!, /^NAME\s+REPLICAS\s+MODE(\s+AGE)?\s*$/, stdout);
    assert.match(row!, /^valid\s+2\s+safe(\s+\S+)?\s*$/, stdout);
  });

  it('kubectl shows the memcached columns (status-based Ready, Age) by short name', async () => {
    const res = await fetch(`${env.url}/apis/cache.example.com/v1alpha1/namespaces/default/memcacheds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'cache.example.com/v1alpha1', kind: 'Memcached', metadata: { name: 'mc1' }, spec: {} }),
    });
    const created = (await res.json()) as { spec: { size?: number } };
    assert.equal(res.status, 201, JSON.stringify(created));
    assert.equal(created.spec.size, 1, 'default size applied');
    const { stdout } = await run('kubectl', ['--kubeconfig', env.kubeconfigPath, 'get', 'mc', '-n', 'default'], { timeout: 20_000 });
    assert.match(stdout, /^NAME\s+SIZE\s+READY\s+AGE\s*\nmc1\s+1\s+\S+\s+\d+s\s*$/m, stdout);
  });
});
