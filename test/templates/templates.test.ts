/**
 * Invariants of the generated project, checked on templates rendered in memory (test/templates/render.ts):
 * every YAML parses, the leader-election RBAC and the Deployment are what DESIGN.md §3 asks for, markers are
 * where `create api` inserts, and the api templates follow their flags. `kubectl kustomize` runs on a written
 * copy when kubectl is installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { isDns1123Label, isDns1123Subdomain } from '../../src/kubernetes-names.js';
import { MARKERS, apiContext, initContext, renderProject, renderSet, standInCrd, writeProject, type ApiOptions } from './render.js';

type Yaml = Record<string, unknown>;

const MEMCACHED: ApiOptions = { group: 'cache', version: 'v1alpha1', kind: 'Memcached' };
const BACKUP: ApiOptions = { group: 'ops', version: 'v1', kind: 'Backup', namespaced: false };

function docs(files: Map<string, string>, path: string): Yaml[] {
  const text = files.get(path);
  assert.ok(text !== undefined, `${path} was not rendered`);
  return parseAllDocuments(text).map((doc) => {
    assert.deepEqual(doc.errors, [], `${path} is not valid YAML`);
    return doc.toJS() as Yaml;
  }).filter((doc) => doc !== null);
}

function one(files: Map<string, string>, path: string, kind: string): Yaml {
  const found = docs(files, path).filter((doc) => doc.kind === kind);
  assert.equal(found.length, 1, `${path} must hold exactly one ${kind}`);
  return found[0]!;
}

function get(value: unknown, ...keys: Array<string | number>): unknown {
  return keys.reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[k]), value);
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function kustomize(files: Map<string, string>, dir: string): { status: number | null; stdout: string; stderr: string } {
  const root = mkdtempSync(join(tmpdir(), 'operator-ts-templates-'));
  try {
    writeProject(root, files);
    const result = spawnSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The project with stand-in CRDs in config/crd/bases (the manifests generator writes the real ones). */
async function withCrds(apis: ApiOptions[]): Promise<Map<string, string>> {
  const files = await renderProject({}, apis);
  for (const api of apis) {
    const ctx = apiContext(initContext(), api);
    files.set(`config/crd/bases/${String(ctx.crdFile)}`, standInCrd(ctx));
  }
  return files;
}

describe('init templates', async () => {
  const files = await renderProject();

  it('writes the project layout of DESIGN.md §3, with dotfiles renamed', () => {
    for (const path of [
      'package.json', 'tsconfig.json', 'tsconfig.build.json', 'eslint.config.js', 'README.md', 'Dockerfile', '.dockerignore', '.gitignore', 'LICENSE',
      'src/main.ts', 'src/flags.ts', 'scripts/run-tests.mjs', 'scripts/kustomize.mjs', 'scripts/build-installer.mjs',
      'config/default/kustomization.yaml', 'config/manager/kustomization.yaml', 'config/manager/manager.yaml',
      'config/rbac/kustomization.yaml', 'config/rbac/service_account.yaml', 'config/rbac/role.yaml', 'config/rbac/role_binding.yaml',
      'config/rbac/leader_election_role.yaml', 'config/rbac/leader_election_role_binding.yaml',
    ]) {
      assert.ok(files.has(path), `${path} is missing`);
    }
    assert.ok(![...files.keys()].some((p) => p.endsWith('.hbs') || p.split('/').some((s) => s.startsWith('_'))));
    assert.ok(![...files.keys()].some((p) => p.startsWith('config/samples/') || p.startsWith('config/crd/')), 'init writes no API files');
    // Dev tooling (the embedded API server) lives in the operator-ts CLI, not in the operator's image.
    assert.deepEqual([...files.keys()].filter((p) => p.startsWith('src/')).sort(), ['src/flags.ts', 'src/main.ts']);
  });

  it('renders every YAML file to valid YAML', () => {
    const yamlFiles = [...files.keys()].filter((p) => p.endsWith('.yaml'));
    assert.ok(yamlFiles.length >= 9);
    for (const path of yamlFiles) assert.ok(docs(files, path).length >= 1 || path === 'config/rbac/kustomization.yaml', path);
  });

  it('gives leader election a Role on leases and events, and no configmaps rule', () => {
    const role = one(files, 'config/rbac/leader_election_role.yaml', 'Role');
    assert.equal(get(role, 'metadata', 'name'), 'leader-election-role');
    assert.deepEqual(role.rules, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
    const binding = one(files, 'config/rbac/leader_election_role_binding.yaml', 'RoleBinding');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'leader-election-role' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'controller-manager', namespace: 'system' }]);
    const rbac = docs(files, 'config/rbac/kustomization.yaml')[0]!;
    assert.ok((rbac.resources as string[]).includes('leader_election_role.yaml'));
    assert.ok((rbac.resources as string[]).includes('leader_election_role_binding.yaml'));
  });

  it('starts with an empty manager-role bound to the manager service account', () => {
    const role = one(files, 'config/rbac/role.yaml', 'ClusterRole');
    assert.equal(get(role, 'metadata', 'name'), 'manager-role');
    assert.deepEqual(role.rules, []);
    const binding = one(files, 'config/rbac/role_binding.yaml', 'ClusterRoleBinding');
    assert.equal(get(binding, 'roleRef', 'name'), 'manager-role');
    assert.equal(get(binding, 'subjects', 0, 'name'), 'controller-manager');
    assert.equal(get(one(files, 'config/rbac/service_account.yaml', 'ServiceAccount'), 'metadata', 'name'), 'controller-manager');
  });

  it('runs one leader-elected, restricted replica that outlives the graceful shutdown', () => {
    const deployment = one(files, 'config/manager/manager.yaml', 'Deployment');
    assert.equal(get(deployment, 'spec', 'replicas'), 1);
    const pod = get(deployment, 'spec', 'template', 'spec') as Yaml;
    const container = get(pod, 'containers', 0) as Yaml;
    assert.ok((container.args as string[]).includes('--leader-elect'));
    assert.ok((container.args as string[]).includes('--health-probe-bind-address=:8081'));
    assert.equal(get(pod, 'securityContext', 'runAsNonRoot'), true);
    assert.equal(typeof get(pod, 'securityContext', 'runAsUser'), 'number');
    assert.equal(get(pod, 'securityContext', 'seccompProfile', 'type'), 'RuntimeDefault');
    assert.equal(get(container, 'securityContext', 'allowPrivilegeEscalation'), false);
    assert.equal(get(container, 'securityContext', 'readOnlyRootFilesystem'), true);
    assert.deepEqual(get(container, 'securityContext', 'capabilities', 'drop'), ['ALL']);
    assert.equal(get(container, 'livenessProbe', 'httpGet', 'path'), '/healthz');
    assert.equal(get(container, 'readinessProbe', 'httpGet', 'path'), '/readyz');
    for (const bound of ['requests', 'limits']) {
      assert.ok(get(container, 'resources', bound, 'cpu') && get(container, 'resources', bound, 'memory'), `resources.${bound}`);
    }
    // The manager's default graceful shutdown is 30 s; Kubernetes must not SIGKILL it earlier.
    assert.ok((pod.terminationGracePeriodSeconds as number) > 30);
    assert.equal(pod.serviceAccountName, 'controller-manager');
    assert.match(files.get('config/manager/manager.yaml')!, /replicas: 2/, 'a comment shows how to run two replicas');
    assert.equal(get(one(files, 'config/manager/manager.yaml', 'Namespace'), 'metadata', 'name'), 'system');
  });

  it('keeps ../crd commented in the default kustomization until the first API', () => {
    const text = files.get('config/default/kustomization.yaml')!;
    assert.match(text, /^#- \.\.\/crd$/m);
    const kustomization = docs(files, 'config/default/kustomization.yaml')[0]!;
    assert.equal(kustomization.namespace, 'memcached-operator-system');
    assert.equal(kustomization.namePrefix, 'memcached-operator-');
    assert.deepEqual(kustomization.resources, ['../rbac', '../manager', 'metrics_service.yaml']);
  });

  it('puts the create-api markers into main.ts and the RBAC kustomization', () => {
    const main = files.get('src/main.ts')!;
    assert.ok(main.includes(MARKERS.imports) && main.includes(MARKERS.controllers));
    assert.ok(main.indexOf(MARKERS.controllers) > main.indexOf('new Manager('), 'controllers are registered after the manager exists');
    assert.ok(main.indexOf(MARKERS.controllers) < main.indexOf('manager.start('), 'and before it starts');
    assert.ok(files.get('config/rbac/kustomization.yaml')!.includes(MARKERS.rbac));
  });

  it('wires the manager flags (declared in src/flags.ts), the leader-election id and exit codes in main.ts', () => {
    const main = files.get('src/main.ts')!;
    const flags = files.get('src/flags.ts')!;
    const id = String(initContext().leaderElectionId);
    assert.match(id, /^[0-9a-f]{8}\.example\.com$/);
    assert.ok(flags.includes(`const LEADER_ELECTION_ID = '${id}';`));
    assert.match(flags, /^import \{ Command, Option \} from 'commander';$/m);
    assert.match(main, /^import \{ parseFlags \} from '\.\/flags\.js';$/m);
    assert.ok(main.indexOf('parseFlags()') < main.indexOf('new Manager('), 'flags are checked before the manager exists');
    assert.doesNotMatch(main, /parseManagerFlags/);
    assert.match(main, /LeaderElectionLostError/);
    assert.match(main, /'leader election lost'/);
    assert.match(main, /process\.exitCode = 1/);
    assert.doesNotMatch(main, /process\.exit\(/);
    assert.match(main, /manager\.start\(setupSignalHandler\(\)\)/);
  });

  it('writes a package.json with the contract scripts and the runtime dependency', () => {
    const pkg = JSON.parse(files.get('package.json')!) as {
      name: string; type: string; private: boolean; license: string; engines: { node: string };
      scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>;
    };
    assert.equal(pkg.name, 'memcached-operator');
    assert.equal(pkg.type, 'module');
    assert.equal(pkg.private, true);
    assert.equal(pkg.engines.node, '>=20.17');
    for (const script of ['build', 'build:prod', 'start', 'dev', 'test', 'lint', 'manifests', 'docker-build', 'crd:install', 'crd:uninstall', 'deploy', 'undeploy']) {
      assert.ok(pkg.scripts[script], `script ${script}`);
    }
    assert.equal(pkg.scripts.manifests, 'operator-ts generate manifests');
    assert.equal(pkg.scripts.dev, 'tsc -p tsconfig.build.json && operator-ts dev');
    assert.match(pkg.scripts['crd:install']!, /apply config\/crd$/);
    assert.match(pkg.scripts['crd:uninstall']!, /delete config\/crd$/);
    assert.match(pkg.scripts.deploy!, /apply config\/default$/);
    // A dev dependency: production runs the bundle (npm run build:prod), which inlines the runtime; the CLI's bin
    // (operator-ts dev, generate manifests) is on the scripts' PATH all the same.
    assert.equal(pkg.devDependencies['operator-ts'], initContext().operatorTsDependency);
    assert.equal(pkg.dependencies['operator-ts'], undefined);
    assert.equal(pkg.scripts['build:prod'], 'node scripts/bundle.mjs');
    assert.equal(pkg.scripts.bundle, 'operator-ts generate bundle', 'npm run bundle is the OLM bundle, as make bundle is');
    assert.match(pkg.devDependencies.esbuild!, /^\^0\.\d+\.\d+$/);
    assert.equal(pkg.dependencies['@kubernetes/client-node'], '^1.4.0');
    // The generated src/flags.ts declares the manager flags with commander, the range this CLI uses.
    assert.equal(pkg.dependencies.commander, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).dependencies.commander);
    for (const dev of ['typescript', 'tsx', '@types/node', 'eslint', 'typescript-eslint', '@eslint/js']) assert.ok(pkg.devDependencies[dev], dev);
  });

  it('names no script after an npm lifecycle step, so npm install, pack and publish run none of them', () => {
    const scripts = Object.keys((JSON.parse(files.get('package.json')!) as { scripts: Record<string, string> }).scripts);
    const lifecycle = new Set([
      'preinstall', 'install', 'postinstall', 'preuninstall', 'uninstall', 'postuninstall', 'prepublish', 'preprepare', 'prepare',
      'postprepare', 'prepack', 'pack', 'postpack', 'prepublishOnly', 'publish', 'postpublish', 'preversion', 'version', 'postversion',
      'preshrinkwrap', 'shrinkwrap', 'postshrinkwrap', 'dependencies',
    ]);
    assert.deepEqual(scripts.filter((name) => lifecycle.has(name)), []);
    // `npm run x` also runs `prex` and `postx`: no script may be such a hook of another.
    assert.deepEqual(scripts.filter((name) => /^(pre|post)/.test(name) && scripts.includes(name.replace(/^(pre|post)/, ''))), []);
    assert.doesNotMatch(files.get('scripts/kustomize.mjs')!, /npm_command/, 'no guard against running as a lifecycle step is needed');
    // npm ci in the image runs no project script: the one script the image build needs is copied after it.
    const dockerfile = files.get('Dockerfile')!;
    assert.deepEqual(dockerfile.match(/^COPY scripts\/.*$/gm), ['COPY scripts/bundle.mjs scripts/']);
    assert.ok(dockerfile.indexOf('COPY scripts/') > dockerfile.indexOf('npm ci'));
  });

  it('renders the license variants and refuses an unknown one', () => {
    const license = (value: string) => renderSet('init', { ...initContext(), license: value, owner: 'Jane Doe' });
    assert.equal(JSON.parse(license('apache2').get('package.json')!).license, 'Apache-2.0');
    assert.equal(JSON.parse(license('mit').get('package.json')!).license, 'MIT');
    assert.equal(JSON.parse(license('none').get('package.json')!).license, 'UNLICENSED');
    assert.match(license('apache2').get('LICENSE')!, /Apache License, Version 2\.0[\s\S]*Jane Doe|Jane Doe[\s\S]*Apache License, Version 2\.0/);
    assert.match(license('mit').get('LICENSE')!, /^MIT License\n\nCopyright \(c\) 2026 Jane Doe\n/);
    assert.match(license('none').get('LICENSE')!, /All rights reserved/);
    assert.throws(() => license('gpl'), /gpl/);
  });

  it('says how the runtime is provided and vendors it into the Docker build only when vendored', async () => {
    const vendored = await renderProject({ vendored: true });
    assert.match(vendored.get('Dockerfile')!, /^COPY vendor\/ vendor\/$/m);
    assert.match(vendored.get('README.md')!, /vendor\/operator-ts-[\d.]+\.tgz/);
    const registry = await renderProject({ vendored: false });
    assert.doesNotMatch(registry.get('Dockerfile')!, /vendor/);
    assert.match(registry.get('README.md')!, /npm registry/);
    const dockerignore = registry.get('.dockerignore')!.split('\n').map((line) => line.trim());
    for (const needed of ['vendor/', 'src/', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      assert.ok(!dockerignore.includes(needed), `.dockerignore must keep ${needed} in the build context`);
    }
    assert.ok(dockerignore.includes('node_modules/'), 'the host node_modules stays out of the image');
    const dockerfile = registry.get('Dockerfile')!;
    assert.match(dockerfile, /^FROM node:20-alpine AS build$/m);
    assert.match(dockerfile, /^RUN npm run build && npm run build:prod$/m);
    // The final stage holds Node.js and the bundle only: no node_modules, no package.json, no dist/.
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.deepEqual(final.match(/^COPY .*$/gm), ['COPY --from=build /workspace/dist/bundle/ ./']);
    assert.match(final, /^USER 1000:1000$/m);
    assert.match(final, /^ENTRYPOINT \["node", "main\.mjs"\]$/m);
    assert.ok(!dockerignore.includes('scripts/') && !dockerignore.includes('scripts/bundle.mjs'), 'scripts/bundle.mjs stays in the build context');
  });

  it('fails loudly when a context value is missing (strict mode)', () => {
    const { leaderElectionId: _dropped, ...partial } = initContext();
    assert.throws(() => renderSet('init', partial), /leaderElectionId/);
  });

  it('passes kubectl kustomize config/default', { skip: !kubectl && 'kubectl is not installed' }, () => {
    const result = kustomize(files, 'config/default');
    assert.equal(result.status, 0, result.stderr);
    const kinds = parseAllDocuments(result.stdout).map((d) => (d.toJS() as Yaml).kind);
    for (const kind of ['Namespace', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Deployment']) {
      assert.ok(kinds.includes(kind), `${kind} in the kustomize output`);
    }
    assert.match(result.stdout, /name: memcached-operator-system/);
  });

  it('leader-for-life: the Deployment sets POD_NAME/POD_NAMESPACE; its RBAC is a separate piece one line enables', { skip: !kubectl && 'kubectl is not installed' }, () => {
    const docs = (out: string) => parseAllDocuments(out).map((d) => d.toJS() as Yaml);
    const byName = (all: Yaml[], kind: string, name: string) => all.find((d) => d.kind === kind && get(d, 'metadata', 'name') === name);
    const plain = kustomize(files, 'config/default');
    assert.equal(plain.status, 0, plain.stderr);
    const before = docs(plain.stdout);
    assert.equal(byName(before, 'Role', 'memcached-operator-leader-for-life-role'), undefined, 'off by default');
    assert.doesNotMatch(JSON.stringify(byName(before, 'Role', 'memcached-operator-leader-election-role')), /configmaps|pods|nodes/, 'the Lease role gains nothing');
    const env = get(byName(before, 'Deployment', 'memcached-operator-controller-manager'), 'spec', 'template', 'spec', 'containers', 0, 'env') as Yaml[];
    assert.deepEqual(env.filter((e) => String(e.name).startsWith('POD_')), [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);

    const kustomization = files.get('config/default/kustomization.yaml')!;
    assert.match(kustomization, /^#- \.\.\/leader-for-life$/m, 'one documented line to uncomment');
    const enabled = new Map(files);
    enabled.set('config/default/kustomization.yaml', kustomization.replace(/^#- \.\.\/leader-for-life$/m, '- ../leader-for-life'));
    const result = kustomize(enabled, 'config/default');
    assert.equal(result.status, 0, result.stderr);
    const after = docs(result.stdout);
    const role = byName(after, 'Role', 'memcached-operator-leader-for-life-role')!;
    assert.equal(get(role, 'metadata', 'namespace'), 'memcached-operator-system');
    assert.deepEqual(role.rules, [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ]);
    const binding = byName(after, 'RoleBinding', 'memcached-operator-leader-for-life-rolebinding')!;
    assert.equal(get(binding, 'metadata', 'namespace'), 'memcached-operator-system');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'memcached-operator-leader-for-life-role' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'memcached-operator-controller-manager', namespace: 'memcached-operator-system' }]);
    assert.equal(after.length, before.length + 2, 'exactly the Role and its binding are added');
  });
});

describe('secure metrics manifests', async () => {
  const files = await renderProject();
  const all = (out: string) => parseAllDocuments(out).map((d) => d.toJS() as Yaml);
  const byName = (docs: Yaml[], kind: string, name: string) => docs.find((d) => d.kind === kind && get(d, 'metadata', 'name') === name);
  const enable = (line: string) => {
    const kustomization = files.get('config/default/kustomization.yaml')!;
    const commented = new RegExp(`^#- \\.\\./${line}$`, 'm');
    assert.match(kustomization, commented, `one documented line enables ../${line}`);
    return new Map(files).set('config/default/kustomization.yaml', kustomization.replace(commented, `- ../${line}`));
  };

  it('the Deployment serves metrics on :8443 behind the metrics Service; the manager may review tokens and access; metrics-reader grants get /metrics', { skip: !kubectl && 'kubectl is not installed' }, () => {
    const result = kustomize(files, 'config/default');
    assert.equal(result.status, 0, result.stderr);
    const docs = all(result.stdout);
    const deployment = byName(docs, 'Deployment', 'memcached-operator-controller-manager')!;
    const args = get(deployment, 'spec', 'template', 'spec', 'containers', 0, 'args') as string[];
    assert.equal(args[0], '--metrics-bind-address=:8443');
    assert.ok(!args.some((a) => a.startsWith('--metrics-secure')), 'secure by default (the flag defaults to true)');
    const service = byName(docs, 'Service', 'memcached-operator-controller-manager-metrics-service')!;
    assert.equal(get(service, 'metadata', 'namespace'), 'memcached-operator-system');
    assert.deepEqual(get(service, 'spec', 'ports'), [{ name: 'https', port: 8443, protocol: 'TCP', targetPort: 8443 }]);
    const podLabels = get(deployment, 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
    for (const [k, v] of Object.entries(get(service, 'spec', 'selector') as Record<string, string>)) assert.equal(podLabels[k], v, `the Service selects the manager Pod by ${k}`);
    assert.deepEqual(byName(docs, 'ClusterRole', 'memcached-operator-metrics-auth-role')!.rules, [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);
    const binding = byName(docs, 'ClusterRoleBinding', 'memcached-operator-metrics-auth-rolebinding')!;
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'memcached-operator-metrics-auth-role' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'memcached-operator-controller-manager', namespace: 'memcached-operator-system' }]);
    assert.deepEqual(byName(docs, 'ClusterRole', 'memcached-operator-metrics-reader')!.rules, [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    assert.ok(!docs.some((d) => d.kind === 'ServiceMonitor' || d.kind === 'NetworkPolicy'), 'ServiceMonitor and NetworkPolicy are off by default');
  });

  it('one line enables the ServiceMonitor (HTTPS with the bearer token) and one the NetworkPolicy (namespaces labelled metrics: enabled)', { skip: !kubectl && 'kubectl is not installed' }, () => {
    const withMonitor = kustomize(enable('prometheus'), 'config/default');
    assert.equal(withMonitor.status, 0, withMonitor.stderr);
    const monitor = byName(all(withMonitor.stdout), 'ServiceMonitor', 'memcached-operator-controller-manager-metrics-monitor')!;
    assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(get(monitor, 'metadata', 'namespace'), 'memcached-operator-system');
    assert.deepEqual(get(monitor, 'spec', 'endpoints'), [{
      path: '/metrics', port: 'https', scheme: 'https', bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token', tlsConfig: { insecureSkipVerify: true },
    }]);
    const service = byName(all(withMonitor.stdout), 'Service', 'memcached-operator-controller-manager-metrics-service')!;
    const serviceLabels = get(service, 'metadata', 'labels') as Record<string, string>;
    for (const [k, v] of Object.entries(get(monitor, 'spec', 'selector', 'matchLabels') as Record<string, string>)) assert.equal(serviceLabels[k], v, `the ServiceMonitor selects the Service by ${k}`);

    const withPolicy = kustomize(enable('network-policy'), 'config/default');
    assert.equal(withPolicy.status, 0, withPolicy.stderr);
    const docs = all(withPolicy.stdout);
    const policy = byName(docs, 'NetworkPolicy', 'memcached-operator-allow-metrics-traffic')!;
    assert.equal(get(policy, 'metadata', 'namespace'), 'memcached-operator-system');
    assert.deepEqual(get(policy, 'spec', 'ingress'), [{ from: [{ namespaceSelector: { matchLabels: { metrics: 'enabled' } } }], ports: [{ port: 8443, protocol: 'TCP' }] }]);
    const podLabels = get(byName(docs, 'Deployment', 'memcached-operator-controller-manager'), 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
    for (const [k, v] of Object.entries(get(policy, 'spec', 'podSelector', 'matchLabels') as Record<string, string>)) assert.equal(podLabels[k], v, `the policy selects the manager Pod by ${k}`);
    for (const dir of ['config/prometheus', 'config/network-policy']) assert.equal(kustomize(files, dir).status, 0, `${dir} builds on its own`);
  });
});

describe('derived names', () => {
  it('a project name of the longest allowed length yields only objects a real API server accepts', { skip: !kubectl && 'kubectl is not installed' }, async () => {
    const projectName = `p${'x'.repeat(54)}9`;
    const files = await renderProject({ projectName }, [MEMCACHED]);
    files.set('config/crd/bases/cache.example.com_memcacheds.yaml', standInCrd(apiContext(initContext({ projectName }), MEMCACHED)));
    const result = kustomize(files, 'config/default');
    assert.equal(result.status, 0, result.stderr);
    for (const doc of parseAllDocuments(result.stdout).map((d) => d.toJS() as Yaml)) {
      const name = String(get(doc, 'metadata', 'name'));
      const label = doc.kind === 'Namespace';
      assert.ok(label ? isDns1123Label(name) : isDns1123Subdomain(name), `${String(doc.kind)} ${name}`);
      const namespace = get(doc, 'metadata', 'namespace');
      if (namespace !== undefined) assert.ok(isDns1123Label(String(namespace)), `namespace ${String(namespace)}`);
    }
  });
});

describe('api templates', () => {
  it('writes types, controller, test, sample and user roles for a namespaced API', () => {
    const files = renderSet('api', apiContext(initContext(), MEMCACHED));
    assert.deepEqual([...files.keys()].sort(), [
      'config/crd/kustomization.yaml',
      'config/rbac/memcached_admin_role.yaml',
      'config/rbac/memcached_editor_role.yaml',
      'config/rbac/memcached_viewer_role.yaml',
      'config/samples/cache_v1alpha1_memcached.yaml',
      'config/samples/kustomization.yaml',
      'src/api/v1alpha1/memcached.types.ts',
      'src/controllers/memcached.controller.ts',
      'test/memcached.controller.test.ts',
    ]);
    const types = files.get('src/api/v1alpha1/memcached.types.ts')!;
    assert.match(types, /apiVersion: 'cache\.example\.com\/v1alpha1';/);
    assert.match(types, /kind: 'Memcached';/);
    assert.match(types, /@plural memcacheds\n/);
    assert.match(types, /@scope Namespaced\n/);
    assert.match(types, /@subresource status\n/);
    assert.match(types, /@format int32\n[\s\S]*@minimum 1\n[\s\S]*@maximum 10\n[\s\S]*@default 1\n[\s\S]*size\?: number;/);
    assert.match(types, /conditions\?: Condition\[\];/);
    assert.match(types, /observedGeneration\?: number;/);
    assert.match(types, /export const MemcachedResource = defineResource<Memcached & \{ metadata: V1ObjectMeta \}>\(\{[\s\S]*namespaced: true,/);
    const sample = docs(files, 'config/samples/cache_v1alpha1_memcached.yaml')[0]!;
    assert.equal(sample.apiVersion, 'cache.example.com/v1alpha1');
    assert.equal(sample.kind, 'Memcached');
    assert.equal(get(sample, 'spec', 'size'), 1);
    assert.ok(files.get('config/crd/kustomization.yaml')!.includes(MARKERS.crd));
    assert.ok(files.get('config/samples/kustomization.yaml')!.includes(MARKERS.samples));
  });

  it('gives the controller the RBAC of a Kubebuilder controller, statically readable', () => {
    const controller = renderSet('api', apiContext(initContext(), MEMCACHED)).get('src/controllers/memcached.controller.ts')!;
    const rules = /export const rbac: RbacRule\[\] = \[([\s\S]*?)\n\];/.exec(controller);
    assert.ok(rules, 'rbac is an exported array literal');
    const body = rules[1]!;
    assert.match(body, /groups: \['cache\.example\.com'\], resources: \['memcacheds'\], verbs: \['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'\]/);
    assert.match(body, /resources: \['memcacheds\/status'\], verbs: \['get', 'update', 'patch'\]/);
    assert.match(body, /resources: \['memcacheds\/finalizers'\], verbs: \['update'\]/);
    assert.match(body, /groups: \[''\], resources: \['events'\], verbs: \['create', 'patch'\]/);
    assert.match(controller, /export class MemcachedReconciler implements Reconciler/);
    assert.match(controller, /export function setupMemcachedController\(manager: Manager\): void/);
    assert.match(controller, /controllerManagedBy\(manager\)\.for\(v1alpha1\.MemcachedResource\)/);
    assert.match(controller, /setStatusCondition\(/);
    assert.match(controller, /client\.updateStatus\(/);
    assert.match(controller, /recorder\.event\(/);
    // The idioms of a real controller: an owned child written only when it differs, a status write only on change.
    assert.match(body, /groups: \[''\], resources: \['configmaps'\], verbs: \['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'\]/);
    assert.match(controller, /await createOrUpdate\(client, ConfigMap, child, \(cm\) => \{[\s\S]*?setControllerReference\(obj, cm\);/);
    assert.match(controller, /\.for\(v1alpha1\.MemcachedResource\)\.owns\(ConfigMap\)/);
    assert.match(controller, /const changed = setStatusCondition\(/);
    assert.match(controller, /if \(!changed && status\.observedGeneration === generation\) return \{\};/);
    assert.match(controller, /client\.updateStatus\(v1alpha1\.MemcachedResource, obj\)\.catch\(ignoreNotFound\)/);
    assert.doesNotMatch(controller, /TODO|Your logic goes here/);
  });

  it('gives a cluster-scoped kind no namespaced child, only its status', () => {
    const controller = renderSet('api', apiContext(initContext(), BACKUP)).get('src/controllers/backup.controller.ts')!;
    assert.doesNotMatch(controller, /ConfigMap|createOrUpdate|configmaps/);
    assert.match(controller, /const changed = setStatusCondition\(/);
    assert.match(controller, /controllerManagedBy\(manager\)\.for\(v1\.BackupResource\)\.complete\(/);
  });

  it('states group, version, kind, plural and scope once, in the types file, and derives them elsewhere', () => {
    const files = renderSet('api', apiContext(initContext(), MEMCACHED));
    const types = files.get('src/api/v1alpha1/memcached.types.ts')!;
    assert.match(types, /defineResource<[^>]+>\(\{\n {2}group: 'cache\.example\.com',\n {2}version: 'v1alpha1',\n {2}kind: 'Memcached',\n {2}plural: 'memcacheds',\n {2}namespaced: true,\n\}\);/);
    const identity = /'(cache\.example\.com(\/v1alpha1)?|v1alpha1|Memcached|memcacheds)'/;
    // The rbac array stays literal: the manifests generator reads it without evaluating code.
    const controller = files.get('src/controllers/memcached.controller.ts')!.replace(/export const rbac: RbacRule\[\] = \[[\s\S]*?\n\];/, '');
    assert.doesNotMatch(controller, identity);
    const test = files.get('test/memcached.controller.test.ts')!;
    assert.doesNotMatch(test, identity);
    assert.match(test, /const \{ MemcachedResource \} = v1alpha1;/);
    assert.match(test, /apiVersion: MemcachedResource\.apiVersion, kind: MemcachedResource\.kind/);
  });

  it('tests the controller with the runtime client and eventually(), not client-node calls and a hand-written poll', () => {
    const test = renderSet('api', apiContext(initContext(), MEMCACHED)).get('test/memcached.controller.test.ts')!;
    assert.match(test, /import \{ eventually, startTestEnv, type TestEnv \} from 'operator-ts\/testing';/);
    assert.doesNotMatch(test, /@kubernetes\/client-node/);
    assert.doesNotMatch(test, /setTimeout|while \(|Date\.now\(\)/);
    assert.match(test, /client = manager\.client;/);
    assert.match(test, /client\.read\(MemcachedResource, namespace, name\)/);
    assert.match(test, /client\.patch\(MemcachedResource, namespace, name, \{ spec: \{ size: 3 \} \}\)/);
    assert.match(test, /eventually\(async \(\) => \{[\s\S]*\}, \{ timeoutMs: RECONCILE_TIMEOUT_MS, intervalMs: 100, signal: managerFailed\.signal \}\)/);
    assert.match(test, /managerFailed\.abort\(err\)/, 'a failed manager ends every wait at once');
  });

  it('gives each user role the API group and plural', () => {
    const files = renderSet('api', apiContext(initContext(), MEMCACHED));
    const verbs = (role: string) => get(one(files, `config/rbac/memcached_${role}_role.yaml`, 'ClusterRole'), 'rules', 0, 'verbs');
    assert.deepEqual(verbs('admin'), ['*']);
    assert.deepEqual(verbs('viewer'), ['get', 'list', 'watch']);
    assert.ok((verbs('editor') as string[]).includes('update'));
    const admin = one(files, 'config/rbac/memcached_admin_role.yaml', 'ClusterRole');
    assert.deepEqual(get(admin, 'rules', 0, 'apiGroups'), ['cache.example.com']);
    assert.deepEqual(get(admin, 'rules', 1, 'resources'), ['memcacheds/status']);
  });

  it('marks a cluster-scoped API as such and creates its test objects without a namespace', () => {
    const files = renderSet('api', apiContext(initContext(), BACKUP));
    assert.match(files.get('src/api/v1/backup.types.ts')!, /@scope Cluster\n/);
    assert.match(files.get('src/api/v1/backup.types.ts')!, /namespaced: false,/);
    const test = files.get('test/backup.controller.test.ts')!;
    assert.doesNotMatch(test, /Namespace/);
    assert.match(test, /const namespace = '';/);
    assert.match(renderSet('api', apiContext(initContext(), MEMCACHED)).get('test/memcached.controller.test.ts')!, /client\.create\(Namespace, /);
  });

  it('writes only what the resource and controller flags ask for', () => {
    const resourceOnly = [...renderSet('api', apiContext(initContext(), { ...MEMCACHED, controller: false })).keys()];
    assert.ok(resourceOnly.includes('src/api/v1alpha1/memcached.types.ts'));
    assert.ok(!resourceOnly.some((p) => p.startsWith('src/controllers/') || p.startsWith('test/')));
    const controllerOnly = [...renderSet('api', apiContext(initContext(), { ...MEMCACHED, resource: false })).keys()];
    assert.deepEqual(controllerOnly.sort(), ['src/controllers/memcached.controller.ts', 'test/memcached.controller.test.ts']);
  });

  it('integrates two APIs through the markers without breaking any YAML', async () => {
    const files = await renderProject({}, [MEMCACHED, BACKUP]);
    const main = files.get('src/main.ts')!;
    assert.match(main, /import \{ setupMemcachedController \} from '\.\/controllers\/memcached\.controller\.js';\nimport \{ setupBackupController \}/);
    assert.match(main, /\n {4}setupMemcachedController\(manager\);\n {4}setupBackupController\(manager\);\n {4}\/\/ \+operator-ts:scaffold:controllers/);
    assert.deepEqual(docs(files, 'config/default/kustomization.yaml')[0]!.resources, ['../crd', '../rbac', '../manager', 'metrics_service.yaml']);
    assert.deepEqual(docs(files, 'config/crd/kustomization.yaml')[0]!.resources, ['bases/cache.example.com_memcacheds.yaml', 'bases/ops.example.com_backups.yaml']);
    assert.deepEqual(docs(files, 'config/samples/kustomization.yaml')[0]!.resources, ['cache_v1alpha1_memcached.yaml', 'ops_v1_backup.yaml']);
    const rbac = docs(files, 'config/rbac/kustomization.yaml')[0]!.resources as string[];
    for (const file of ['memcached_admin_role.yaml', 'memcached_editor_role.yaml', 'memcached_viewer_role.yaml', 'backup_viewer_role.yaml']) {
      assert.ok(rbac.includes(file), file);
    }
    for (const path of [...files.keys()].filter((p) => p.endsWith('.yaml'))) docs(files, path);
  });

  it('passes kubectl kustomize for config/default and config/samples with APIs', { skip: !kubectl && 'kubectl is not installed' }, async () => {
    const files = await withCrds([MEMCACHED, BACKUP]);
    const all = kustomize(files, 'config/default');
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, /kind: CustomResourceDefinition/);
    assert.match(all.stdout, /name: memcached-operator-memcached-editor-role/);
    const samples = kustomize(files, 'config/samples');
    assert.equal(samples.status, 0, samples.stderr);
    assert.equal(parseAllDocuments(samples.stdout).length, 2);
  });
});
