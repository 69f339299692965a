/**
 * startTestEnv({ webhooks }): the configurations are installed pointing at the test's own webhook server (a
 * Manager with webhookManagedBy) through a generated CA, as envtest's WebhookInstallOptions does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap, Manager, webhookManagedBy, WebhookDeniedError } from '../../../src/runtime/index.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { startTestEnv, startTestServer, WebhookInstallError, type TestEnv } from '../../../src/testing/index.js';
import { rejectsWithStatus } from '../helpers.js';

type Cm = KubernetesObject & { data?: Record<string, string> };

const rules = [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' }];
/** What generate manifests writes: a Service reference, rewritten to a url by startTestEnv. */
function configuration(kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration', name: string, path: string, ns = 'hooked'): object {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name },
    webhooks: [{
      name: `${kind === 'MutatingWebhookConfiguration' ? 'm' : 'v'}configmap.example.com`,
      clientConfig: { service: { name: 'webhook-service', namespace: 'system', path } },
      rules, sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Fail',
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    }],
  };
}

async function startManager(env: TestEnv): Promise<() => Promise<void>> {
  const { host, port, certDir } = env.webhookInstallOptions!;
  const manager = new Manager({ kubeConfig: env.kubeConfig, logger: silentLogger, defaultMetrics: false, healthProbeBindAddress: '127.0.0.1:0', webhook: { host, port, certDir } });
  webhookManagedBy(manager)
    .for(ConfigMap)
    .withDefaulter({ default(obj: Cm) { obj.data = { ...obj.data, defaulted: 'yes' }; } })
    .withValidator({
      validateCreate(obj: Cm) {
        if (obj.data?.size !== undefined && !/^\d+$/.test(obj.data.size)) throw new WebhookDeniedError(`data.size: Invalid value: "${obj.data.size}": must be a whole number`);
        return [];
      },
      validateUpdate: () => [],
      validateDelete: () => [],
    })
    .complete();
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  await manager.elected();
  return async () => {
    stop.abort();
    await running;
  };
}

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** Creates ConfigMaps through the env's API server (embedded or existing) with the Manager serving the webhooks. */
async function exercise(env: TestEnv, ns = 'hooked', waitForConfigurations = false): Promise<void> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const api = env.kubeConfig.makeApiClient(CoreV1Api);
  await api.createNamespace({ body: { metadata: { name: ns } } });
  const stopManager = await startManager(env);
  try {
    let created = await api.createNamespacedConfigMap({ namespace: ns, body: configMap('good', { size: '3' }) });
    // A real API server starts calling a new configuration's webhooks a moment after it is created.
    for (let i = 0; waitForConfigurations && created.data?.defaulted === undefined && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      created = await api.createNamespacedConfigMap({ namespace: ns, body: configMap(`good-${i}`, { size: '3' }) });
    }
    assert.deepEqual(created.data, { size: '3', defaulted: 'yes' });
    await rejectsWithStatus(api.createNamespacedConfigMap({ namespace: ns, body: configMap('bad', { size: 'three' }) }), 403, 'Forbidden',
      'admission webhook "vconfigmap.example.com" denied the request: data.size: Invalid value: "three": must be a whole number');
    // Outside the namespaceSelector: no webhook is called.
    const plain = await api.createNamespacedConfigMap({ namespace: 'default', body: configMap(`plain-${ns}`, { size: 'x' }) });
    assert.deepEqual(plain.data, { size: 'x' });
    await api.deleteNamespacedConfigMap({ namespace: 'default', name: `plain-${ns}` });
  } finally {
    await stopManager();
    await api.deleteNamespace({ name: ns }).catch(() => undefined);
  }
}

describe('startTestEnv({ webhooks })', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'operator-ts-webhook-env-test-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('with configuration objects', () => {
    let env: TestEnv;
    before(async () => {
      env = await startTestEnv({ webhooks: {
        mutating: [configuration('MutatingWebhookConfiguration', 'mutating-webhook-configuration', '/mutate--v1-configmap')],
        validating: [configuration('ValidatingWebhookConfiguration', 'validating-webhook-configuration', '/validate--v1-configmap')],
      } });
    });
    after(() => env?.stop());

    it('rewrites every service reference to the local url with the CA as caBundle, and writes a certificate the CA signed', async () => {
      const w = env.webhookInstallOptions!;
      assert.equal(w.host, '127.0.0.1');
      assert.ok(w.port > 0);
      assert.deepEqual(w.mutatingWebhookConfigurations, ['mutating-webhook-configuration']);
      assert.deepEqual(w.validatingWebhookConfigurations, ['validating-webhook-configuration']);
      const stored = await (await fetch(`${env.url}/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/mutating-webhook-configuration`)).json() as any;
      assert.deepEqual(stored.webhooks[0].clientConfig, { url: `https://127.0.0.1:${w.port}/mutate--v1-configmap`, caBundle: w.caBundle });
      assert.equal(Buffer.from(w.caBundle, 'base64').toString(), w.caPem);
      const cert = new X509Certificate(readFileSync(join(w.certDir, 'tls.crt')));
      assert.ok(cert.verify(new X509Certificate(w.caPem).publicKey), 'tls.crt is signed by the CA');
      assert.ok(cert.checkIP('127.0.0.1'));
      assert.ok(existsSync(join(w.certDir, 'tls.key')));
    });

    it('a Manager serving on the given host, port and certDir defaults on create and denies an invalid object', async () => {
      await exercise(env);
    });

    it('stop() removes the certificate directory', async () => {
      const { certDir } = env.webhookInstallOptions!;
      await env.stop();
      assert.equal(existsSync(certDir), false);
    });
  });

  it('reads a config/webhook-style directory: manifests.yaml is installed, the Service and kustomization.yaml are skipped', async () => {
    const dir = tempDir();
    const yaml = (o: object) => JSON.stringify(o);
    writeFileSync(join(dir, 'manifests.yaml'), `---\n${yaml(configuration('MutatingWebhookConfiguration', 'mutating-webhook-configuration', '/mutate--v1-configmap'))}\n---\n${yaml(configuration('ValidatingWebhookConfiguration', 'validating-webhook-configuration', '/validate--v1-configmap'))}\n`);
    writeFileSync(join(dir, 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: webhook-service\n  namespace: system\nspec:\n  ports:\n  - port: 443\n    targetPort: 9443\n');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n- manifests.yaml\n- service.yaml\n');
    const env = await startTestEnv({ webhooks: { paths: [dir] } });
    try {
      assert.deepEqual(env.webhookInstallOptions!.validatingWebhookConfigurations, ['validating-webhook-configuration']);
      await exercise(env);
    } finally {
      await env.stop();
    }
  });

  it('useExistingCluster: installs into that cluster and deletes the configurations on stop()', async () => {
    // The cluster of KUBECONFIG: the real one when OPERATOR_TS_CONFORMANCE_REAL=1, else an embedded server.
    const real = process.env.OPERATOR_TS_CONFORMANCE_REAL === '1';
    const host = real ? undefined : await startTestServer();
    const saved = process.env.KUBECONFIG;
    if (host) process.env.KUBECONFIG = host.kubeconfigPath;
    const ns = `webhook-env-${process.pid}`;
    const name = (kind: string) => `webhook-env-${kind}-${process.pid}`;
    try {
      const env = await startTestEnv({ useExistingCluster: true, webhooks: {
        mutating: [configuration('MutatingWebhookConfiguration', name('mutating'), '/mutate--v1-configmap', ns)],
        validating: [configuration('ValidatingWebhookConfiguration', name('validating'), '/validate--v1-configmap', ns)],
      } });
      const { AdmissionregistrationV1Api } = await import('@kubernetes/client-node');
      const admission = env.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
      try {
        const stored = await admission.readValidatingWebhookConfiguration({ name: name('validating') });
        assert.equal(stored.webhooks?.[0]?.clientConfig.url, `https://127.0.0.1:${env.webhookInstallOptions!.port}/validate--v1-configmap`);
        await exercise(env, ns, real);
      } finally {
        await env.stop();
      }
      const names = (await admission.listValidatingWebhookConfiguration()).items.map((c) => c.metadata?.name);
      assert.equal(names.includes(name('validating')), false, 'removed on stop()');
      assert.equal(existsSync(env.webhookInstallOptions!.certDir), false);
    } finally {
      process.env.KUBECONFIG = saved;
      await host?.stop();
    }
  });

  describe('bad input', () => {
    const refuses = async (webhooks: unknown, message: RegExp) => {
      // A temp root of this test's own, so certificate directories other test files make at the same time do not count.
      const root = mkdtempSync(join(tmpdir(), 'operator-ts-webhook-refusal-'));
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = root;
      try {
        await assert.rejects(startTestEnv({ webhooks: webhooks as never }), (err: unknown) => {
          assert.ok(err instanceof WebhookInstallError, String(err));
          assert.match(err.message, message);
          assert.ok(err.hint, 'has a hint');
          return true;
        });
        // Nothing is left behind: no certificate directory.
        assert.deepEqual(readdirSync(root).filter((d) => d.startsWith('operator-ts-webhook-serving-certs-')), []);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
        rmSync(root, { recursive: true, force: true });
      }
    };

    it('a path that does not exist', () => refuses({ paths: ['/no/such/config/webhook'] }, /webhooks\.paths: \/no\/such\/config\/webhook does not exist/));

    it('a file that holds something other than a webhook configuration', () => {
      const file = join(tempDir(), 'service.yaml');
      writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: webhook-service\n');
      return refuses({ paths: [file] }, /service\.yaml holds a v1 Service, not a MutatingWebhookConfiguration or ValidatingWebhookConfiguration/);
    });

    it('a directory without webhook configurations', () => refuses({ paths: [tempDir()] }, /holds no MutatingWebhookConfiguration or ValidatingWebhookConfiguration/));

    it('an object of the wrong kind', () => refuses({ mutating: [configuration('ValidatingWebhookConfiguration', 'v', '/validate')] }, /webhooks\.mutating\[0\] is apiVersion admissionregistration\.k8s\.io\/v1, kind ValidatingWebhookConfiguration, not an admissionregistration\.k8s\.io\/v1 MutatingWebhookConfiguration/));

    it('a webhook with neither a service path nor a url', () => {
      const c = configuration('ValidatingWebhookConfiguration', 'no-path', '/x') as any;
      delete c.webhooks[0].clientConfig.service.path;
      return refuses({ validating: [c] }, /ValidatingWebhookConfiguration no-path, webhook "vconfigmap\.example\.com" has neither clientConfig\.service\.path nor clientConfig\.url/);
    });

    it('two configurations of the same name', () => {
      const c = configuration('MutatingWebhookConfiguration', 'twice', '/mutate');
      return refuses({ mutating: [c, c] }, /two MutatingWebhookConfigurations are named twice/);
    });

    it('a bad port or host', async () => {
      await refuses({ port: 70000 }, /webhooks\.port is 70000: it must be a whole number from 0 to 65535/);
      await refuses({ host: 'http://127.0.0.1' }, /webhooks\.host "http:\/\/127\.0\.0\.1" must be a host name or IP address/);
    });
  });
});
