/**
 * The kustomize pieces that deploy webhooks: planWebhookKustomize on a project made by the real init and create api
 * plans, then the manifests generator, then `kubectl kustomize config/default` — namePrefix and namespace must reach
 * every webhook Service reference and the cert-manager annotations must name the serving Certificate.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { planManifests } from '../../src/manifests/index.js';
import { PROJECT_FILE, parseProjectFile, renderProjectFile, type ProjectConfig, type ProjectResource } from '../../src/project/project-file.js';
import { MemoryView, PlanBuilder, type Plan } from '../../src/scaffold/plan.js';
import { enableEntry, planWebhookKustomize } from '../../src/scaffold/webhook-kustomize.js';
import { renderProject, writeProject } from '../templates/render.js';

type Yaml = Record<string, any>;

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function apply(files: Map<string, string>, plan: Plan): void {
  for (const entry of plan.entries) {
    if (entry.action === 'delete') files.delete(entry.path);
    else if (entry.action !== 'skip') files.set(entry.path, entry.contents.toString('utf8'));
  }
}

/** PROJECT with `webhooks` set on the resources `pick` chooses. */
function withWebhooks(files: Map<string, string>, pick: (r: ProjectResource) => ProjectResource['webhooks']): ProjectConfig {
  const project = parseProjectFile(files.get(PROJECT_FILE)!);
  const resources = project.resources.map((r) => {
    const webhooks = pick(r);
    return webhooks ? { ...r, webhooks } : r;
  });
  const updated = { ...project, resources };
  files.set(PROJECT_FILE, renderProjectFile(updated));
  return updated;
}

function planKustomize(files: Map<string, string>, project: ProjectConfig): Plan {
  const builder = new PlanBuilder(new MemoryView(Object.fromEntries(files)));
  planWebhookKustomize(builder, project);
  return builder.build();
}

describe('planWebhookKustomize', async () => {
  const base = await renderProject({}, [
    { group: 'cache', version: 'v1alpha1', kind: 'Memcached' },
    { group: 'cache', version: 'v1', kind: 'Memcached', controller: false },
    { group: 'ops', version: 'v1', kind: 'Backup', namespaced: false },
  ]);
  const files = new Map(base);
  const project = withWebhooks(files, (r) => {
    if (r.kind === 'Memcached' && r.version === 'v1') return { defaulting: true, validation: true, conversion: true, spoke: ['v1alpha1'], webhookVersion: 'v1' };
    if (r.kind === 'Backup') return { validation: true, webhookVersion: 'v1' };
    return undefined;
  });
  const plan = planKustomize(files, project);
  apply(files, plan);
  const dir = mkdtempSync(join(tmpdir(), 'operator-ts-webhook-kustomize-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the webhook, cert-manager and default pieces and enables them in config/default and config/crd', () => {
    const created = plan.entries.filter((e) => e.action === 'create').map((e) => e.path).sort();
    assert.deepEqual(created, [
      'config/certmanager/certificate-webhook.yaml', 'config/certmanager/issuer.yaml', 'config/certmanager/kustomization.yaml',
      'config/certmanager/kustomizeconfig.yaml', 'config/crd/kustomizeconfig.yaml', 'config/default/certmanager_replacements.yaml',
      'config/default/manager_webhook_patch.yaml', 'config/webhook/kustomization.yaml', 'config/webhook/service.yaml',
    ]);
    const updated = plan.entries.filter((e) => e.action === 'update').map((e) => e.path).sort();
    assert.deepEqual(updated, ['config/crd/kustomization.yaml', 'config/default/kustomization.yaml']);
    const kustomization = files.get('config/default/kustomization.yaml')!;
    for (const line of ['- ../webhook', '- ../certmanager', '- path: manager_webhook_patch.yaml', 'replacements:', '- path: certmanager_replacements.yaml']) {
      assert.match(kustomization, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'), `${line} enabled`);
    }
    assert.match(files.get('config/crd/kustomization.yaml')!, /^configurations:\n- kustomizeconfig\.yaml$/m);
  });

  it('is idempotent: a second run changes nothing', () => {
    const again = planKustomize(files, project);
    assert.deepEqual(again.entries.filter((e) => e.action !== 'skip').map((e) => e.path), []);
  });

  it('renders with kubectl kustomize: prefixed, namespaced Service refs, cert-manager annotations and DNS names', { skip: !kubectl && 'kubectl is not installed' }, async () => {
    writeProject(dir, files);
    for (const f of await planManifests({ projectDir: dir })) files.set(f.path, f.contents);
    writeProject(dir, files);
    const result = spawnSync('kubectl', ['kustomize', join(dir, 'config/default')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const docs = parseAllDocuments(result.stdout).map((d) => d.toJS() as Yaml);
    const find = (kind: string, name: string) => {
      const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
      assert.ok(doc, `${kind} ${name} in\n${docs.map((d) => `${d.kind} ${d.metadata.name}`).join('\n')}`);
      return doc;
    };
    const ns = 'memcached-operator-system';
    const inject = { 'cert-manager.io/inject-ca-from': `${ns}/memcached-operator-serving-cert` };
    const service = { name: 'memcached-operator-webhook-service', namespace: ns };
    const mutating = find('MutatingWebhookConfiguration', 'memcached-operator-mutating-webhook-configuration');
    assert.deepEqual(mutating.metadata.annotations, { ...inject, 'operator-ts.io/generated-by': 'operator-ts' });
    assert.deepEqual(mutating.webhooks.map((w: Yaml) => [w.name, w.clientConfig.service]), [
      ['mmemcached-v1.cache.example.com', { ...service, path: '/mutate-cache-example-com-v1-memcached' }],
    ]);
    const validating = find('ValidatingWebhookConfiguration', 'memcached-operator-validating-webhook-configuration');
    assert.deepEqual(validating.metadata.annotations, { ...inject, 'operator-ts.io/generated-by': 'operator-ts' });
    assert.deepEqual(validating.webhooks.map((w: Yaml) => [w.name, w.clientConfig.service]), [
      ['vbackup-v1.ops.example.com', { ...service, path: '/validate-ops-example-com-v1-backup' }],
      ['vmemcached-v1.cache.example.com', { ...service, path: '/validate-cache-example-com-v1-memcached' }],
    ]);
    const crd = find('CustomResourceDefinition', 'memcacheds.cache.example.com');
    assert.equal(crd.metadata.annotations['cert-manager.io/inject-ca-from'], inject['cert-manager.io/inject-ca-from']);
    assert.deepEqual(crd.spec.conversion, {
      strategy: 'Webhook', webhook: { clientConfig: { service: { ...service, path: '/convert' } }, conversionReviewVersions: ['v1'] },
    });
    const backups = find('CustomResourceDefinition', 'backups.ops.example.com');
    assert.equal(backups.spec.conversion, undefined);
    assert.equal(backups.metadata.annotations['cert-manager.io/inject-ca-from'], undefined, 'only CRDs converted by webhook get the CA');
    const certificate = find('Certificate', 'memcached-operator-serving-cert');
    assert.equal(certificate.metadata.namespace, ns);
    assert.deepEqual(certificate.spec, {
      dnsNames: [`${service.name}.${ns}.svc`, `${service.name}.${ns}.svc.cluster.local`],
      issuerRef: { kind: 'Issuer', name: 'memcached-operator-selfsigned-issuer' },
      secretName: 'webhook-server-cert',
    });
    assert.equal(find('Issuer', 'memcached-operator-selfsigned-issuer').metadata.namespace, ns);
    const svc = find('Service', service.name);
    assert.deepEqual(svc.spec.ports, [{ port: 443, protocol: 'TCP', targetPort: 9443 }]);
    assert.deepEqual(svc.spec.selector, { 'control-plane': 'controller-manager', 'app.kubernetes.io/name': 'memcached-operator' });
    const pod = find('Deployment', 'memcached-operator-controller-manager').spec.template.spec;
    const container = pod.containers[0];
    assert.ok(container.args.includes('--webhook-cert-dir=/tmp/k8s-webhook-server/serving-certs'), container.args.join(' '));
    assert.ok(container.args.includes('--webhook-port=9443'));
    assert.deepEqual(container.ports.find((p: Yaml) => p.name === 'webhook-server'), { containerPort: 9443, name: 'webhook-server', protocol: 'TCP' });
    assert.deepEqual(container.volumeMounts, [{ mountPath: '/tmp/k8s-webhook-server/serving-certs', name: 'webhook-certs', readOnly: true }]);
    assert.deepEqual(pod.volumes, [{ name: 'webhook-certs', secret: { secretName: 'webhook-server-cert' } }]);
  });
});

describe('enableEntry', () => {
  const entry = { key: 'resources', value: '../webhook', item: ['- ../webhook'] };
  it('uncomments the line init wrote', () => {
    assert.equal(enableEntry('resources:\n- ../rbac\n#- ../webhook\n', 'k.yaml', entry), 'resources:\n- ../rbac\n- ../webhook\n');
  });
  it('leaves an enabled entry alone', () => {
    assert.equal(enableEntry('resources:\n- ../webhook\n#- ../webhook\n', 'k.yaml', entry), 'resources:\n- ../webhook\n#- ../webhook\n');
  });
  it('adds the entry to the list of a project without the commented line, keeping comments', () => {
    assert.equal(enableEntry('# mine\nresources:\n- ../rbac\n', 'k.yaml', entry), '# mine\nresources:\n- ../rbac\n- ../webhook\n');
    assert.equal(enableEntry('namespace: x\n', 'k.yaml', entry), 'namespace: x\nresources:\n- ../webhook\n');
    assert.equal(enableEntry('resources:\n- a\n# +marker\n', 'k.yaml', { key: 'configurations', value: 'c.yaml', item: ['- c.yaml'] }), 'resources:\n- a\n# +marker\nconfigurations:\n- c.yaml\n');
  });
  it('refuses a kustomization it cannot read, naming the file', () => {
    assert.throws(() => enableEntry('resources: [\n', 'config/default/kustomization.yaml', entry), /config\/default\/kustomization\.yaml cannot be wired for webhooks: it is not valid YAML/);
    assert.throws(() => enableEntry('resources: ../x\n', 'k.yaml', entry), /'resources' is not a list/);
  });
});
