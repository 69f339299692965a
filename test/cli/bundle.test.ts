import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { cliEnv, ensureBuilt, runCli } from './cli-harness.js';
import { treeHash } from '../scaffold/tree-hash.js';

/** `generate bundle` and `bundle validate` through the real CLI, on a project with one API (kubectl renders config/default). */
let work: string;
let withApi: string;
let noApi: string;
let withWebhooks: string;
let counter = 0;

const CSV = 'bundle/manifests/memcached-operator.clusterserviceversion.yaml';
const BASE = 'config/manifests/bases/memcached-operator.clusterserviceversion.yaml';
const CRD = 'bundle/manifests/cache.example.com_memcacheds.yaml';

function copyOf(source: string): string {
  const dir = join(work, `case-${++counter}`, 'memcached-operator');
  cpSync(source, dir, { recursive: true });
  return dir;
}

function expectRefused(args: string[], cwd: string, message: RegExp, env = cliEnv()): string {
  const before = treeHash(cwd);
  const r = runCli(args, cwd, env);
  assert.equal(r.code, 1, `exit 1 expected\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, message);
  assert.equal(treeHash(cwd), before, 'the tree changed');
  return r.stderr;
}

function generateOk(dir: string, args: string[] = []): string {
  const r = runCli(['generate', 'bundle', ...args], dir);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function csvOf(dir: string, path = CSV): any {
  return parse(readFileSync(join(dir, path), 'utf8'));
}

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-bundle-'));
  noApi = join(work, 'base-no-api', 'memcached-operator');
  mkdirSync(noApi, { recursive: true });
  assert.equal(runCli(['init', '--domain', 'example.com', '--skip-install'], noApi).code, 0);
  withApi = join(work, 'base', 'memcached-operator');
  cpSync(noApi, withApi, { recursive: true });
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], withApi).code, 0);
  // Defaulting and validation on v1alpha1, and a v1 hub converting it.
  withWebhooks = join(work, 'base-webhooks', 'memcached-operator');
  cpSync(withApi, withWebhooks, { recursive: true });
  for (const args of [
    ['create', 'webhook', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--defaulting', '--programmatic-validation'],
    ['create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--resource', '--no-controller'],
    ['create', 'webhook', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--conversion'],
    ['generate', 'manifests'],
  ]) {
    const r = runCli(args, withWebhooks);
    assert.equal(r.code, 0, `${args.join(' ')}\n${r.stderr}`);
  }
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('generate bundle refuses bad input and writes nothing', () => {
  it('a project with no API', () => {
    expectRefused(['generate', 'bundle'], copyOf(noApi), /the project has no API[\s\S]*Hint: .*operator-ts create api/);
  });

  for (const version of ['1.0', 'v1.0.0', 'latest', '1.0.0.0', '01.2.3']) {
    it(`the version ${version}, naming it and suggesting a fix`, () => {
      const stderr = expectRefused(['generate', 'bundle', '--version', version], copyOf(withApi), new RegExp(`version "${version.replace(/\./g, '\\.')}" is not a semantic version`));
      assert.match(stderr, /Hint: use e\.g\. --version \d+\.\d+\.\d+/);
    });
  }

  it('v1.0.0 gets 1.0.0 as the suggestion, 1.0 gets 1.0.0', () => {
    assert.match(expectRefused(['generate', 'bundle', '--version', 'v1.0.0'], copyOf(withApi), /not a semantic/), /--version 1\.0\.0\b/);
    assert.match(expectRefused(['generate', 'bundle', '--version', '1.0'], copyOf(withApi), /not a semantic/), /--version 1\.0\.0\b/);
  });

  it('a default channel that is not among the channels', () => {
    expectRefused(['generate', 'bundle', '--channels', 'alpha,beta', '--default-channel', 'stable'], copyOf(withApi),
      /the default channel "stable" is not one of the channels \(alpha, beta\)[\s\S]*--channels alpha,beta,stable/);
  });

  it('an empty channel name', () => {
    expectRefused(['generate', 'bundle', '--channels', 'alpha,,stable'], copyOf(withApi), /--channels "alpha,,stable" has an empty channel name at position 2/);
    expectRefused(['generate', 'bundle', '--channels', ''], copyOf(withApi), /has an empty channel name at position 1/);
  });

  it('a package name that is not a DNS label', () => {
    expectRefused(['generate', 'bundle', '--package', 'My_Operator'], copyOf(withApi), /package name "My_Operator" is not a DNS label[\s\S]*--package my-operator/);
  });

  it('an image that is not an image reference', () => {
    expectRefused(['generate', 'bundle', '--image', 'Registry/Bad Image'], copyOf(withApi), /--image "Registry\/Bad Image" is not an image reference[\s\S]*--image registry\.example\.com\/memcached-operator:v0\.1\.0/);
  });

  it('a base CSV that is not a ClusterServiceVersion', () => {
    const dir = copyOf(withApi);
    mkdirSync(join(dir, 'config/manifests/bases'), { recursive: true });
    writeFileSync(join(dir, BASE), 'kind: ConfigMap\n');
    expectRefused(['generate', 'bundle'], dir, /config\/manifests\/bases\/memcached-operator\.clusterserviceversion\.yaml is not a ClusterServiceVersion/);
    writeFileSync(join(dir, BASE), 'spec: [\n');
    expectRefused(['generate', 'bundle'], dir, /memcached-operator\.clusterserviceversion\.yaml is not valid YAML/);
  });

  it('a sample that is not YAML', () => {
    const dir = copyOf(withApi);
    writeFileSync(join(dir, 'config/samples/cache_v1alpha1_memcached.yaml'), 'spec: {size: 1\n');
    expectRefused(['generate', 'bundle'], dir, /config\/samples\/cache_v1alpha1_memcached\.yaml is not valid YAML/);
  });

  it('kubectl missing from PATH', () => {
    const emptyBin = join(work, 'empty-bin');
    mkdirSync(emptyBin, { recursive: true });
    expectRefused(['generate', 'bundle'], copyOf(withApi), /could not run kubectl: it is not on PATH/, cliEnv({ PATH: emptyBin }));
  });

  it('a config/default that kustomize cannot build', () => {
    const dir = copyOf(withApi);
    writeFileSync(join(dir, 'config/default/kustomization.yaml'), 'resources:\n- ../missing\n');
    expectRefused(['generate', 'bundle'], dir, /kubectl kustomize config\/default failed/);
  });
});

describe('generate bundle', () => {
  it('--dry-run prints the plan and writes nothing', () => {
    const dir = copyOf(withApi);
    const before = treeHash(dir);
    const r = runCli(['generate', 'bundle', '--dry-run'], dir);
    assert.equal(r.code, 0, r.stderr);
    for (const path of [CSV, CRD, 'bundle/metadata/annotations.yaml', 'bundle.Dockerfile', BASE]) assert.match(r.stdout, new RegExp(`CREATE ${path.replace(/\./g, '\\.')} `));
    assert.match(r.stdout, /Dry run: nothing was written/);
    assert.equal(treeHash(dir), before);
  });

  it('writes a CSV from the rendered Deployment and RBAC, the CRD, the annotations and the Dockerfile, and it validates', () => {
    const dir = copyOf(withApi);
    const out = generateOk(dir, ['--version', '0.3.0', '--channels', 'alpha,stable', '--default-channel', 'stable', '--image', 'registry.example.com/memcached-operator:v0.3.0']);
    assert.match(out, /SKIP Namespace\/memcached-operator-system/);
    const csv = csvOf(dir);
    assert.equal(csv.metadata.name, 'memcached-operator.v0.3.0');
    assert.equal(csv.spec.version, '0.3.0');
    assert.equal(csv.spec.install.strategy, 'deployment');
    const [deployment] = csv.spec.install.spec.deployments;
    assert.equal(deployment.name, 'memcached-operator-controller-manager');
    assert.equal(deployment.spec.template.spec.containers[0].image, 'registry.example.com/memcached-operator:v0.3.0');
    assert.equal(csv.metadata.annotations.containerImage, 'registry.example.com/memcached-operator:v0.3.0');
    // The manager's ClusterRole (bound by a ClusterRoleBinding) and the leader-election Role (bound by a RoleBinding).
    const cluster = csv.spec.install.spec.clusterPermissions;
    assert.equal(cluster.length, 1);
    assert.equal(cluster[0].serviceAccountName, 'memcached-operator-controller-manager');
    assert.ok(cluster[0].rules.some((r: any) => r.apiGroups.includes('cache.example.com') && r.resources.includes('memcacheds')));
    const namespaced = csv.spec.install.spec.permissions;
    assert.ok(namespaced[0].rules.some((r: any) => r.resources.includes('leases')));
    assert.deepEqual(csv.spec.customresourcedefinitions.owned, [{
      description: 'Memcached is the Schema for the memcacheds API.', displayName: 'Memcached', kind: 'Memcached',
      name: 'memcacheds.cache.example.com', version: 'v1alpha1',
    }]);
    assert.ok(csv.spec.installModes.some((m: any) => m.type === 'AllNamespaces' && m.supported === true));
    assert.equal(csv.spec.minKubeVersion, '1.25.0');
    assert.equal(JSON.parse(csv.metadata.annotations['alm-examples'])[0].kind, 'Memcached');
    assert.equal(csv.spec.replaces, undefined, 'replaces is left to the user');
    // OLM creates the service account and the bindings; the user-facing roles ship as separate manifests.
    assert.ok(!existsSync(join(dir, 'bundle/manifests/memcached-operator-controller-manager_v1_serviceaccount.yaml')));
    assert.ok(existsSync(join(dir, 'bundle/manifests/memcached-operator-memcached-viewer-role_rbac.authorization.k8s.io_v1_clusterrole.yaml')));
    assert.equal(csvOf(dir, CRD).metadata.name, 'memcacheds.cache.example.com');
    const annotations = csvOf(dir, 'bundle/metadata/annotations.yaml').annotations;
    assert.equal(annotations['operators.operatorframework.io.bundle.mediatype.v1'], 'registry+v1');
    assert.equal(annotations['operators.operatorframework.io.bundle.package.v1'], 'memcached-operator');
    assert.equal(annotations['operators.operatorframework.io.bundle.channels.v1'], 'alpha,stable');
    assert.equal(annotations['operators.operatorframework.io.bundle.channel.default.v1'], 'stable');
    const dockerfile = readFileSync(join(dir, 'bundle.Dockerfile'), 'utf8');
    assert.match(dockerfile, /^LABEL operators\.operatorframework\.io\.bundle\.channels\.v1=alpha,stable$/m);
    assert.match(dockerfile, /^COPY bundle\/manifests\/ \/manifests\/$/m);
    const validate = runCli(['bundle', 'validate'], dir);
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /bundle valid: memcached-operator\.v0\.3\.0/);
  });

  it('defaults: version from package.json, package from PROJECT, channel alpha', () => {
    const dir = copyOf(withApi);
    generateOk(dir);
    assert.equal(csvOf(dir).metadata.name, 'memcached-operator.v0.1.0');
    assert.equal(csvOf(dir, 'bundle/metadata/annotations.yaml').annotations['operators.operatorframework.io.bundle.channel.default.v1'], 'alpha');
  });

  it('regeneration keeps the edits in the base CSV and never rewrites it', () => {
    const dir = copyOf(withApi);
    generateOk(dir);
    const base = csvOf(dir, BASE);
    base.spec.description = 'Runs memcached clusters.';
    base.spec.keywords = ['cache', 'memcached'];
    base.spec.maintainers = [{ name: 'Ops', email: 'ops@example.com' }];
    base.spec.provider = { name: 'Example Inc.' };
    base.spec.replaces = 'memcached-operator.v0.1.0';
    base.spec.installModes = [{ type: 'OwnNamespace', supported: true }, { type: 'AllNamespaces', supported: false }];
    base.spec.customresourcedefinitions = { owned: [{ name: 'memcacheds.cache.example.com', version: 'v1alpha1', kind: 'Memcached', displayName: 'Memcached Cluster', specDescriptors: [{ path: 'size', displayName: 'Size' }] }] };
    writeFileSync(join(dir, BASE), stringify(base));
    const edited = readFileSync(join(dir, BASE));
    generateOk(dir, ['--version', '0.2.0']);
    assert.deepEqual(readFileSync(join(dir, BASE)), edited, 'the base CSV is not rewritten');
    const csv = csvOf(dir);
    assert.equal(csv.metadata.name, 'memcached-operator.v0.2.0');
    assert.equal(csv.spec.description, 'Runs memcached clusters.');
    assert.deepEqual(csv.spec.keywords, ['cache', 'memcached']);
    assert.deepEqual(csv.spec.maintainers, [{ name: 'Ops', email: 'ops@example.com' }]);
    assert.equal(csv.spec.replaces, 'memcached-operator.v0.1.0');
    assert.deepEqual(csv.spec.installModes, [{ type: 'OwnNamespace', supported: true }, { type: 'AllNamespaces', supported: false }]);
    const [owned] = csv.spec.customresourcedefinitions.owned;
    assert.equal(owned.displayName, 'Memcached Cluster');
    assert.equal(owned.description, 'Memcached is the Schema for the memcacheds API.', 'a description not in the base comes from the doc comment');
    assert.deepEqual(owned.specDescriptors, [{ path: 'size', displayName: 'Size' }]);
    assert.equal(csv.spec.install.strategy, 'deployment');
  });

  it('replaces a hand-written file under bundle/ only with --force, and removes a generated manifest no longer produced', () => {
    const dir = copyOf(withApi);
    generateOk(dir);
    writeFileSync(join(dir, CRD), 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n# mine\n');
    const stale = 'bundle/manifests/old-role_rbac.authorization.k8s.io_v1_clusterrole.yaml';
    writeFileSync(join(dir, stale), `${readFileSync(join(dir, 'bundle.Dockerfile'), 'utf8').split('\n')[0]}\nkind: ClusterRole\n`);
    expectRefused(['generate', 'bundle'], dir, new RegExp(CRD.replace(/\./g, '\\.')));
    const r = runCli(['generate', 'bundle', '--force'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`REPLACE ${CRD.replace(/\./g, '\\.')}`));
    assert.match(r.stdout, new RegExp(`DELETE ${stale.replace(/\./g, '\\.')}`));
    assert.ok(!existsSync(join(dir, stale)));
    assert.equal(csvOf(dir, CRD).metadata.name, 'memcacheds.cache.example.com');
  });
});

describe('generate bundle with webhooks', () => {
  it('writes the webhooks as webhookdefinitions, leaves out what OLM makes itself, and the bundle validates', () => {
    const dir = copyOf(withWebhooks);
    const out = generateOk(dir, ['--version', '0.2.0']);
    for (const line of [
      'SKIP Service/memcached-operator-webhook-service: OLM creates its own Service for the CSV\'s webhookdefinitions',
      'SKIP Certificate/memcached-operator-serving-cert: OLM issues and rotates the webhook serving certificate itself',
      'SKIP Issuer/memcached-operator-selfsigned-issuer: OLM issues and rotates the webhook serving certificate itself',
      'SKIP MutatingWebhookConfiguration/memcached-operator-mutating-webhook-configuration: its webhooks are the CSV\'s webhookdefinitions',
      'SKIP ValidatingWebhookConfiguration/memcached-operator-validating-webhook-configuration: its webhooks are the CSV\'s webhookdefinitions',
    ]) assert.ok(out.includes(line), `${line}\nnot in\n${out}`);
    assert.doesNotMatch(out, /OLM does not install this kind/);
    const csv = csvOf(dir);
    const common = { containerPort: 443, deploymentName: 'memcached-operator-controller-manager', targetPort: 9443, admissionReviewVersions: ['v1'], sideEffects: 'None' };
    const rules = [{ apiGroups: ['cache.example.com'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['memcacheds'] }];
    assert.deepEqual(csv.spec.webhookdefinitions, [
      { ...common, conversionCRDs: ['memcacheds.cache.example.com'], generateName: 'cmemcacheds.kb.io', type: 'ConversionWebhook', webhookPath: '/convert' },
      { ...common, failurePolicy: 'Fail', generateName: 'mmemcached-v1alpha1.cache.example.com', rules, type: 'MutatingAdmissionWebhook', webhookPath: '/mutate-cache-example-com-v1alpha1-memcached' },
      { ...common, failurePolicy: 'Fail', generateName: 'vmemcached-v1alpha1.cache.example.com', rules, type: 'ValidatingAdmissionWebhook', webhookPath: '/validate-cache-example-com-v1alpha1-memcached' },
    ]);
    // OLM mounts its own certificate at the webhook cert directory; the cert-manager Secret would never exist.
    const pod = csv.spec.install.spec.deployments[0].spec.template.spec;
    assert.deepEqual(pod.volumes, []);
    assert.deepEqual(pod.containers[0].volumeMounts, []);
    assert.ok(pod.containers[0].args.includes('--webhook-cert-dir=/tmp/k8s-webhook-server/serving-certs'));
    assert.ok(!existsSync(join(dir, 'bundle/manifests/memcached-operator-webhook-service_v1_service.yaml')));
    assert.ok(existsSync(join(dir, 'bundle/manifests/memcached-operator-controller-manager-metrics-service_v1_service.yaml')));
    assert.equal(csvOf(dir, CRD).spec.conversion.strategy, 'Webhook', 'the CRD keeps its conversion; OLM points it at its Service');
    const validate = runCli(['bundle', 'validate'], dir);
    assert.equal(validate.code, 0, validate.stderr);
  });

  it('keeps the edits of a webhook definition in the base CSV', () => {
    const dir = copyOf(withWebhooks);
    generateOk(dir);
    const base = csvOf(dir, BASE);
    base.spec.webhookdefinitions = [{ generateName: 'vmemcached-v1alpha1.cache.example.com', timeoutSeconds: 5 }];
    writeFileSync(join(dir, BASE), stringify(base));
    generateOk(dir);
    const defs = csvOf(dir).spec.webhookdefinitions;
    const validating = defs.find((d: any) => d.generateName === 'vmemcached-v1alpha1.cache.example.com');
    assert.equal(validating.timeoutSeconds, 5);
    assert.equal(validating.webhookPath, '/validate-cache-example-com-v1alpha1-memcached');
    assert.equal(defs.length, 3);
  });

  it('a project without webhooks gets no webhookdefinitions and keeps its Deployment volumes as rendered', () => {
    const dir = copyOf(withApi);
    generateOk(dir);
    const csv = csvOf(dir);
    assert.equal('webhookdefinitions' in csv.spec, false);
    assert.deepEqual(csv.spec.install.spec.deployments[0].spec.template.spec.volumes ?? [], []);
  });
});

describe('bundle validate', () => {
  let good: string;
  before(() => {
    good = copyOf(withApi);
    generateOk(good);
  });

  function broken(edit: (dir: string) => void): string {
    const dir = copyOf(good);
    edit(dir);
    return dir;
  }

  function editYaml(dir: string, path: string, change: (doc: any) => void): void {
    const doc = csvOf(dir, path);
    change(doc);
    writeFileSync(join(dir, path), stringify(doc));
  }

  it('a bad version, naming the file, field and value; the name no longer matching', () => {
    const dir = broken((d) => editYaml(d, CSV, (csv) => (csv.spec.version = '1.0')));
    const stderr = expectRefused(['bundle', 'validate'], dir, /bundle\/manifests\/memcached-operator\.clusterserviceversion\.yaml: spec\.version: "1\.0" is not a semantic version/);
    assert.doesNotMatch(stderr, /bundle valid/);
    // Hand-edited to an unquoted 1.0, which YAML reads as the number 1.
    const unquoted = broken((d) => editYaml(d, CSV, (csv) => (csv.spec.version = 1)));
    assert.match(expectRefused(['bundle', 'validate'], unquoted, /spec\.version: is the YAML number 1, not a semantic version string/), /quote it if YAML would read it as a number/);
    const renamed = broken((d) => editYaml(d, CSV, (csv) => (csv.spec.version = '0.2.0')));
    expectRefused(['bundle', 'validate'], renamed, /metadata\.name: "memcached-operator\.v0\.1\.0" does not match package memcached-operator and version 0\.2\.0[\s\S]*name it memcached-operator\.v0\.2\.0/);
  });

  it('missing required fields and no supported install mode, all listed at once', () => {
    const dir = broken((d) => editYaml(d, CSV, (csv) => {
      delete csv.spec.displayName;
      csv.spec.installModes = csv.spec.installModes.map((m: any) => ({ ...m, supported: false }));
      csv.spec.install.strategy = 'helm';
    }));
    const stderr = expectRefused(['bundle', 'validate'], dir, /3 problems/);
    assert.match(stderr, /spec\.displayName: missing/);
    assert.match(stderr, /spec\.installModes: no mode is supported/);
    assert.match(stderr, /spec\.install\.strategy: "helm", must be "deployment"/);
  });

  it('an owned CRD missing from manifests/, or disagreeing on version', () => {
    expectRefused(['bundle', 'validate'], broken((d) => rmSync(join(d, CRD))), /owned\[memcacheds\.cache\.example\.com\]: CRD memcacheds\.cache\.example\.com is not in manifests\//);
    const dir = broken((d) => editYaml(d, CSV, (csv) => (csv.spec.customresourcedefinitions.owned[0].version = 'v2')));
    expectRefused(['bundle', 'validate'], dir, /\.version: "v2" is not a version of manifests\/cache\.example\.com_memcacheds\.yaml \(v1alpha1\)/);
  });

  it('annotations missing, or a default channel outside the channels', () => {
    expectRefused(['bundle', 'validate'], broken((d) => rmSync(join(d, 'bundle/metadata/annotations.yaml'))), /bundle\/metadata\/annotations\.yaml: annotations: missing/);
    const dir = broken((d) => editYaml(d, 'bundle/metadata/annotations.yaml', (doc) => (doc.annotations['operators.operatorframework.io.bundle.channel.default.v1'] = 'stable')));
    expectRefused(['bundle', 'validate'], dir, /channel\.default\.v1: "stable" is not one of the channels \(alpha\)/);
  });

  it('webhookdefinitions that OLM would refuse, all listed at once', () => {
    const hooks = copyOf(withWebhooks);
    generateOk(hooks);
    editYaml(hooks, CSV, (csv) => {
      const [conversion, mutating, validating] = csv.spec.webhookdefinitions;
      conversion.conversionCRDs = ['memcacheds.cache.example.com', 'others.cache.example.com'];
      mutating.deploymentName = 'memcached-operator-webhook';
      validating.type = 'AdmissionWebhook';
      delete validating.webhookPath;
      csv.spec.installModes = [{ type: 'OwnNamespace', supported: true }, { type: 'AllNamespaces', supported: true }];
    });
    const stderr = expectRefused(['bundle', 'validate'], hooks, /5 problems/);
    assert.match(stderr, /spec\.webhookdefinitions\[cmemcacheds\.kb\.io\]\.conversionCRDs: "others\.cache\.example\.com" is not an owned CRD/);
    assert.match(stderr, /\[mmemcached-v1alpha1\.cache\.example\.com\]\.deploymentName: "memcached-operator-webhook" is not a deployment of the install strategy \(memcached-operator-controller-manager\)/);
    assert.match(stderr, /\[vmemcached-v1alpha1\.cache\.example\.com\]\.type: "AdmissionWebhook" is not a webhook type\n\s+fix: use one of ValidatingAdmissionWebhook, MutatingAdmissionWebhook, ConversionWebhook/);
    assert.match(stderr, /\[vmemcached-v1alpha1\.cache\.example\.com\]\.webhookPath: null is not a path/);
    assert.match(stderr, /spec\.installModes: OwnNamespace, AllNamespaces supported, but a conversion webhook is installed only in AllNamespaces mode/);
  });

  it('a conversion CRD in two webhooks, a repeated name, and a webhookdefinitions that is not a list', () => {
    const hooks = copyOf(withWebhooks);
    generateOk(hooks);
    editYaml(hooks, CSV, (csv) => {
      const [conversion, mutating] = csv.spec.webhookdefinitions;
      csv.spec.webhookdefinitions.push({ ...conversion, generateName: 'cother.kb.io' }, { ...mutating });
    });
    const stderr = expectRefused(['bundle', 'validate'], hooks, /2 problems/);
    assert.match(stderr, /\[cother\.kb\.io\]\.conversionCRDs: "memcacheds\.cache\.example\.com" is converted by "cmemcacheds\.kb\.io" too/);
    assert.match(stderr, /\[mmemcached-v1alpha1\.cache\.example\.com\]\.generateName: a second MutatingAdmissionWebhook has this name/);
    editYaml(hooks, CSV, (csv) => (csv.spec.webhookdefinitions = 'none'));
    expectRefused(['bundle', 'validate'], hooks, /spec\.webhookdefinitions: is a string, not a list/);
  });

  it('a directory that is no bundle', () => {
    const dir = copyOf(withApi);
    expectRefused(['bundle', 'validate', 'nowhere'], dir, /1 problem:\n {2}nowhere: \(directory\): does not exist or is not a directory/);
    mkdirSync(join(dir, 'empty'));
    const stderr = expectRefused(['bundle', 'validate', 'empty'], dir, /empty\/manifests: manifests: directory missing/);
    assert.match(stderr, /empty\/metadata\/annotations\.yaml: annotations: missing/);
  });
});

