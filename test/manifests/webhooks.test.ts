import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { ManifestError, WEBHOOK_MANIFESTS_PATH, generateManifests, planManifests } from '../../src/manifests/index.js';
import { buildWebhookManifests } from '../../src/manifests/webhooks.js';
import { renderProjectFile, type ProjectResource, type ProjectWebhooks } from '../../src/project/project-file.js';
import { withProject } from './helpers.js';

function resource(kind: string, version: string, webhooks?: Omit<ProjectWebhooks, 'webhookVersion'>, more: Partial<ProjectResource> = {}): ProjectResource {
  const plural = `${kind.toLowerCase()}s`;
  return {
    group: 'cache', domain: 'example.com', version, kind, plural, path: `src/api/${version}/${kind.toLowerCase()}.types.ts`,
    api: { crdVersion: 'v1', namespaced: true }, controller: true,
    ...(webhooks ? { webhooks: { ...webhooks, webhookVersion: 'v1' } } : {}), ...more,
  };
}

const MANIFESTS = `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  annotations:
    operator-ts.io/generated-by: operator-ts
  name: mutating-webhook-configuration
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: webhook-service
      namespace: system
      path: /mutate-cache-example-com-v1-memcached
  failurePolicy: Fail
  name: mmemcached-v1.cache.example.com
  rules:
  - apiGroups:
    - cache.example.com
    apiVersions:
    - v1
    operations:
    - CREATE
    - UPDATE
    resources:
    - memcacheds
  sideEffects: None
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  annotations:
    operator-ts.io/generated-by: operator-ts
  name: validating-webhook-configuration
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: webhook-service
      namespace: system
      path: /validate-cache-example-com-v1-cache
  failurePolicy: Fail
  name: vcache-v1.cache.example.com
  rules:
  - apiGroups:
    - cache.example.com
    apiVersions:
    - v1
    operations:
    - CREATE
    - UPDATE
    resources:
    - caches
  sideEffects: None
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: webhook-service
      namespace: system
      path: /validate-cache-example-com-v1-memcached
  failurePolicy: Fail
  name: vmemcached-v1.cache.example.com
  rules:
  - apiGroups:
    - cache.example.com
    apiVersions:
    - v1
    operations:
    - CREATE
    - UPDATE
    resources:
    - memcacheds
  sideEffects: None
`;

const CONVERSION = {
  strategy: 'Webhook',
  webhook: { clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/convert' } }, conversionReviewVersions: ['v1'] },
};

describe('buildWebhookManifests', () => {
  it('writes one mutating and one validating configuration, webhooks sorted by name, paths as the runtime serves them', () => {
    const out = buildWebhookManifests([
      resource('Memcached', 'v1alpha1'),
      resource('Memcached', 'v1', { defaulting: true, validation: true, conversion: true, spoke: ['v1alpha1'] }),
      resource('Cache', 'v1', { validation: true }),
    ]);
    assert.equal(out.admission, MANIFESTS);
    assert.deepEqual([...out.conversions], [['memcacheds.cache.example.com', CONVERSION]]);
  });

  it('gives no file to a project without webhooks, and a file without objects to one with conversion only', () => {
    assert.deepEqual(buildWebhookManifests([resource('Memcached', 'v1')]), { conversions: new Map() });
    const conversionOnly = buildWebhookManifests([resource('Memcached', 'v1alpha1'), resource('Memcached', 'v1', { conversion: true, spoke: ['v1alpha1'] })]);
    assert.ok(conversionOnly.admission !== undefined);
    assert.deepEqual(parseAllDocuments(conversionOnly.admission).map((d) => d.toJS()).filter((d) => d !== null), []);
  });

  it('leaves out the configuration no resource needs', () => {
    const out = buildWebhookManifests([resource('Memcached', 'v1', { defaulting: true })]);
    assert.deepEqual(parseAllDocuments(out.admission!).map((d) => (d.toJS() as { kind: string }).kind), ['MutatingWebhookConfiguration']);
  });

  it('refuses webhooks PROJECT cannot have, naming the resource and the fix', () => {
    const refuses = (resources: ProjectResource[], message: RegExp, hint: RegExp) =>
      assert.throws(() => buildWebhookManifests(resources), (err: unknown) => {
        assert.ok(err instanceof ManifestError, String(err));
        assert.match(err.message, /^PROJECT:1 \(\w+ cache\.example\.com\/v\w+\): /);
        assert.match(err.message, message);
        assert.match(err.hint ?? '', hint);
        return true;
      });
    const noApi = resource('Memcached', 'v1', { validation: true });
    delete noApi.api;
    refuses([noApi], /webhooks for a resource without an API/, /create api --group cache --version v1 --kind Memcached/);
    refuses([resource('Memcached', 'v1', { conversion: true })], /conversion is on for Memcached, which has only the version v1/, /Add another version first/);
    refuses([resource('Memcached', 'v1alpha1'), resource('Memcached', 'v1', { conversion: true, spoke: ['v2'] })],
      /spoke 'v2' is not a version of Memcached \(PROJECT has v1alpha1, v1\)/, /create api --version v2 --kind Memcached/);
    refuses([resource('Memcached', 'v1alpha1'), resource('Memcached', 'v1', { conversion: true, spoke: ['v1'] })], /is the conversion hub and lists itself as a spoke/, /spokes are the other versions \(v1alpha1\)/);
    refuses([resource('Memcached', 'v1alpha1'), resource('Cache', 'v1alpha1'), resource('Memcached', 'v1', { conversion: true, spoke: ['v1alpha1'] })].concat([
      resource('Memcached', 'v1beta1', { conversion: true }),
    ]), /Memcached has two conversion hubs in PROJECT, v1 and v1beta1/, /Keep conversion: true on one version/);
    refuses([resource('Memcached', 'v1alpha1'), resource('Memcached', 'v1', { spoke: ['v1alpha1'] })], /spoke versions \[v1alpha1\] but not conversion: true/, /Set conversion: true/);
    refuses([resource('M'.repeat(60), 'v1alpha1', { defaulting: true })], /webhook name label 'm{61}-v1alpha1' is 70 characters; Kubernetes allows 63/, /at most 53 characters/);
  });
});

const project = (resources: ProjectResource[]): string => renderProjectFile({
  version: '3', domain: 'example.com', layout: 'typescript/v1', projectName: 'p', cliVersion: 'x', leaderElectionId: 'p.example.com', resources,
});

const types = (version: string, storage: boolean): string => `${storage ? '/** @storageversion */\n' : ''}export interface Memcached {
  apiVersion: 'cache.example.com/${version}';
  kind: 'Memcached';
  spec?: { size?: number };
}
`;

describe('planManifests with webhooks', () => {
  const files = (webhooks: Omit<ProjectWebhooks, 'webhookVersion'> | undefined) => ({
    PROJECT: project([resource('Memcached', 'v1alpha1'), resource('Memcached', 'v1', webhooks)]),
    'src/api/v1alpha1/memcached.types.ts': types('v1alpha1', false),
    'src/api/v1/memcached.types.ts': types('v1', true),
  });

  it('sets the CRD spec.conversion of a kind with a conversion hub and writes config/webhook/manifests.yaml', async () => {
    await withProject(files({ defaulting: true, conversion: true, spoke: ['v1alpha1'] }), async (dir) => {
      const planned = await planManifests({ projectDir: dir });
      assert.deepEqual(planned.map((f) => f.path), ['config/crd/bases/cache.example.com_memcacheds.yaml', 'config/rbac/role.yaml', WEBHOOK_MANIFESTS_PATH]);
      const crd = parse(planned[0]!.contents) as { spec: { conversion: unknown; versions: Array<{ name: string }> } };
      assert.deepEqual(crd.spec.conversion, CONVERSION);
      assert.deepEqual(crd.spec.versions.map((v) => v.name), ['v1', 'v1alpha1']);
      const mutating = parse(planned[2]!.contents) as { kind: string; webhooks: Array<{ name: string }> };
      assert.deepEqual([mutating.kind, mutating.webhooks.map((w) => w.name)], ['MutatingWebhookConfiguration', ['mmemcached-v1.cache.example.com']]);
    });
  });

  it('without webhooks: no conversion, no file; a stale generated file is kept and reported', async () => {
    await withProject(files(undefined), async (dir) => {
      const planned = await planManifests({ projectDir: dir });
      assert.deepEqual(planned.map((f) => f.path), ['config/crd/bases/cache.example.com_memcacheds.yaml', 'config/rbac/role.yaml']);
      assert.equal((parse(planned[0]!.contents) as { spec: { conversion?: unknown } }).spec.conversion, undefined);
      assert.deepEqual((await generateManifests({ projectDir: dir })).stale, []);
      mkdirSync(join(dir, 'config/webhook'), { recursive: true });
      writeFileSync(join(dir, WEBHOOK_MANIFESTS_PATH), MANIFESTS);
      const result = await generateManifests({ projectDir: dir });
      assert.deepEqual(result.stale, [WEBHOOK_MANIFESTS_PATH]);
      assert.ok(existsSync(join(dir, WEBHOOK_MANIFESTS_PATH)));
    });
  });

  it('refuses a bad webhook in PROJECT before writing anything', async () => {
    await withProject(files({ conversion: true, spoke: ['v2'] }), async (dir) => {
      await assert.rejects(generateManifests({ projectDir: dir }), /spoke 'v2' is not a version of Memcached/);
      assert.ok(!existsSync(join(dir, 'config')));
    });
  });
});
