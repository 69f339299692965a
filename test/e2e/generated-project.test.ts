/**
 * End to end: the real CLI scaffolds a project (init + two APIs), which is then installed, built, tested and
 * linted like a user would, its manifests checked with kubectl kustomize, and two replicas of it run with
 * leader election against the embedded API server to check that exactly one reconciles and that a SIGTERM
 * hands over to the other.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CoordinationV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startTestEnv, type TestEnv } from '../../src/testing/index.js';
import { Replica, run, waitFor } from './process.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const cli = join(repoRoot, 'bin', 'operator-ts.js');
const npm = 'npm';

describe('generated project', { concurrency: false }, () => {
  let workDir: string;
  let project: string;

  before(async () => {
    assert.ok(existsSync(join(repoRoot, 'dist', 'cli', 'main.js')), 'run `npm run build` before the end-to-end tests');
    workDir = await mkdtemp(join(tmpdir(), 'operator-ts-e2e-'));
    project = join(workDir, 'memcached-operator');
    await mkdir(project);
  });

  after(async () => {
    if (workDir && !process.env.OPERATOR_TS_KEEP_E2E) await rm(workDir, { recursive: true, force: true });
  });

  it('init installs the project and records the leader-election id', async () => {
    const out = await run(process.execPath, [cli, 'init', '--domain', 'example.com', '--owner', 'E2E Authors', '--license', 'mit', '--yes'], { cwd: project });
    assert.match(out.stdout, /npm run dev/, 'init ends by printing the next commands');
    assert.ok(existsSync(join(project, 'node_modules', 'operator-ts', 'package.json')), 'npm install ran and installed the vendored runtime');
    const projectFile = await readFile(join(project, 'PROJECT'), 'utf8');
    assert.match(projectFile, /leaderElectionId: [0-9a-f]{8}\.example\.com/);
  });

  it('create api adds two APIs with their CRDs', async () => {
    await run(process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], { cwd: project });
    await run(process.execPath, [cli, 'create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'StaticSite', '--resource', '--controller'], { cwd: project });
    for (const crd of ['cache.example.com_memcacheds.yaml', 'web.example.com_staticsites.yaml']) {
      assert.ok(existsSync(join(project, 'config', 'crd', 'bases', crd)), `${crd} generated`);
    }
    const main = await readFile(join(project, 'src', 'main.ts'), 'utf8');
    assert.match(main, /setupMemcachedController\(manager\);/);
    assert.match(main, /setupStaticSiteController\(manager\);/);
  });

  it('builds with zero TypeScript errors, passes its own tests and lints clean', async () => {
    await run(npm, ['run', 'build'], { cwd: project });
    const test = await run(npm, ['test'], { cwd: project });
    assert.match(test.stdout, /# pass [1-9]/);
    assert.match(test.stdout, /# fail 0/);
    // The generated controller tests (runtime client + eventually from operator-ts/testing) ran and passed.
    assert.match(test.stdout, /^ {4}ok \d+ - marks a new Memcached Ready and follows spec changes$/m);
    assert.match(test.stdout, /^ {4}ok \d+ - marks a new StaticSite Ready and follows spec changes$/m);
    await run(npm, ['run', 'lint'], { cwd: project });
  });

  it('npm run build:prod writes dist/bundle; the bundle alone, away from node_modules, leads against the embedded server', async () => {
    await run(npm, ['run', 'build:prod'], { cwd: project });
    const bundle = join(project, 'dist', 'bundle');
    const files = await readdir(bundle);
    assert.ok(files.includes('main.mjs') && files.includes('THIRD_PARTY_NOTICES.txt'), files.join(', '));
    const notices = await readFile(join(bundle, 'THIRD_PARTY_NOTICES.txt'), 'utf8');
    for (const pkg of ['operator-ts@', 'prom-client@', 'commander@']) assert.ok(notices.includes(pkg), `notices name ${pkg}`);
    // As in the image: only the bundle's files, in a directory with no node_modules above it.
    const image = await mkdtemp(join(tmpdir(), 'operator-ts-e2e-image-'));
    await cp(bundle, image, { recursive: true });
    const env = await startTestEnv({ crds: [join(project, 'config', 'crd', 'bases')] });
    const operator = new Replica(process.execPath, ['main.mjs', '--leader-elect', '--health-probe-bind-address=127.0.0.1:0', '--log-format=json'], {
      cwd: image,
      env: { KUBECONFIG: env.kubeconfigPath },
    });
    try {
      await waitFor('the bundled operator to become leader', () => operator.records().find((r) => r.msg === 'became leader'), 30_000, () => operator.output());
      assert.equal(operator.child.exitCode, null, operator.output());
    } finally {
      operator.child.kill('SIGTERM');
      await operator.exited;
      await env.stop();
      await rm(image, { recursive: true, force: true });
    }
    assert.ok(operator.records().some((r) => r.msg === 'released leader lease'), `released its lease on SIGTERM\n${operator.output()}`);
  });

  it('dist/main.js --help lists every flag declared in src/flags.ts; a bad value stops it before it connects, naming the flag', async () => {
    const flags = await readFile(join(project, 'src', 'flags.ts'), 'utf8');
    assert.match(flags, /from 'commander'/);
    const help = await run(process.execPath, ['dist/main.js', '--help'], { cwd: project });
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const [flag, shown] of [
      ['--leader-elect', 'default: false'], ['--leader-election-id', 'default: '], ['--leader-election-namespace', ''],
      ['--leader-election-lease-duration', 'default: 15s'], ['--leader-election-renew-deadline', 'default: 10s'],
      ['--leader-election-retry-period', 'default: 2s'], ['--leader-election-release-on-cancel', 'default: true'],
      ['--health-probe-bind-address', 'default: :8081'], ['--metrics-bind-address', 'default: 0'], ['--log-level', 'default: "info"'],
      ['--log-format', 'default: "json"'], ['--max-concurrent-reconciles', 'default: 1'], ['--graceful-shutdown-timeout', 'default: 30s'],
      ['--kube-api-qps', 'default: 20'], ['--kube-api-burst', 'default: 30'],
    ] as const) {
      const env = flag.slice(2).toUpperCase().replace(/-/g, '_');
      const start = text.indexOf(`${flag} `);
      const end = text.indexOf(`env: ${env})`, start);
      assert.ok(start >= 0 && end > start, `${flag} and its ${env} in\n${help.stdout}`);
      assert.ok(text.slice(start, end).includes(shown), `${flag} shows ${shown} in\n${help.stdout}`);
    }
    // A kubeconfig that does not exist: the flag error must come first, before anything reads or connects.
    const env = { KUBECONFIG: join(workDir, 'missing-kubeconfig') };
    const bad = await run(process.execPath, ['dist/main.js', '--leader-election-renew-deadline=soon'], { cwd: project, env, allowFailure: true });
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /--leader-election-renew-deadline 'soon' is not a duration/);
    assert.doesNotMatch(bad.stdout + bad.stderr, /kubeconfig/i);
    const timing = await run(process.execPath, ['dist/main.js'], { cwd: project, env: { ...env, LEADER_ELECTION_RETRY_PERIOD: '9s' }, allowFailure: true });
    assert.equal(timing.code, 1, timing.stderr);
    assert.match(timing.stderr, /--leader-election-renew-deadline \(10s\) must be greater than 1\.2 × --leader-election-retry-period \(9s\)/);
    const unknown = await run(process.execPath, ['dist/main.js', '--leader-elekt'], { cwd: project, env, allowFailure: true });
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.match(unknown.stderr, /unknown option '--leader-elekt'/);
  });

  it('npm run dev builds and runs the operator through operator-ts dev, and stops on Ctrl-C', async () => {
    assert.ok(!existsSync(join(project, 'src', 'dev.ts')), 'no dev tooling in the operator sources');
    const dev = new Replica(npm, ['run', 'dev', '--', '--log-format=json', '--health-probe-bind-address=127.0.0.1:0'], {
      cwd: project, env: {}, processGroup: true,
    });
    try {
      const reconciledSample = (kind: string) =>
        dev.records().some((r) => r.name === `${kind}-sample` && r.reconcileId !== undefined && String(r.msg).startsWith('reconciled')) || undefined;
      await waitFor('the Memcached sample to be reconciled', () => reconciledSample('memcached'), 60_000, () => dev.output());
      await waitFor('the StaticSite sample to be reconciled', () => reconciledSample('staticsite'), 30_000, () => dev.output());
      assert.match(dev.output(), /dev: applied Memcached default\/memcached-sample/);
      assert.match(dev.output(), /dev: kubectl --kubeconfig \S+ get all -A/);
    } finally {
      dev.interrupt();
    }
    const code = await dev.exited;
    // npm itself ends by re-raising the SIGINT it got, as it does at a terminal; operator-ts dev under it exits 0.
    assert.ok(code === 0 || (code === null && dev.child.signalCode === 'SIGINT'), `npm run dev ended with ${code ?? dev.child.signalCode}\n${dev.output()}`);
    assert.match(dev.output(), /dev: operator exited with code 0; embedded API server stopped/);
    assert.equal(dev.records().filter((r) => r.msg === 'manager started').length, 1, 'one operator ran');
  });

  it('npm run dev fails with the operator when the operator fails', async () => {
    const failed = await run(npm, ['run', 'dev', '--', '--leader-election-lease-duration=soon'], { cwd: project, allowFailure: true });
    assert.equal(failed.code, 1, `${failed.stdout}\n${failed.stderr}`);
    assert.match(failed.stdout + failed.stderr, /leader-election-lease-duration/, 'the operator named its bad flag');
    assert.match(failed.stderr, /Error: the operator \(dist\/main\.js\) exited with code 1\./);
  });

  it('crd:install and crd:uninstall apply and delete the CRDs with kubectl', async () => {
    const env = await startTestEnv();
    try {
      const kubectlEnv = { KUBECONFIG: env.kubeconfigPath };
      await run(npm, ['run', 'crd:install'], { cwd: project, env: kubectlEnv });
      const installed = await run('kubectl', ['get', 'crd', '-o', 'name'], { cwd: project, env: kubectlEnv });
      assert.match(installed.stdout, /memcacheds\.cache\.example\.com/);
      assert.match(installed.stdout, /staticsites\.web\.example\.com/);
      await run(npm, ['run', 'crd:uninstall'], { cwd: project, env: kubectlEnv });
      const left = await run('kubectl', ['get', 'crd', '-o', 'name'], { cwd: project, env: kubectlEnv });
      assert.doesNotMatch(left.stdout, /example\.com/);
    } finally {
      await env.stop();
    }
  });

  it('kustomize renders the Lease RBAC, a leader-electing Deployment and both CRDs', async () => {
    const out = await run('kubectl', ['kustomize', 'config/default'], { cwd: project });
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as Record<string, any>);
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

    const leaderRole = byKind('Role').find((r) => String(r.metadata.name).endsWith('leader-election-role'));
    assert.ok(leaderRole, 'a leader-election Role');
    const leaseRule = leaderRole.rules.find((r: any) => r.resources.includes('leases'));
    assert.deepEqual(leaseRule.apiGroups, ['coordination.k8s.io']);
    assert.deepEqual([...leaseRule.verbs].sort(), ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    assert.ok(!leaderRole.rules.some((r: any) => r.resources.includes('configmaps')), 'no legacy configmaps rule');

    const [deployment] = byKind('Deployment');
    assert.equal(deployment.metadata.namespace, 'memcached-operator-system');
    const container = deployment.spec.template.spec.containers[0];
    assert.ok(container.args.includes('--leader-elect'));
    assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);

    const crdNames = byKind('CustomResourceDefinition').map((c) => c.metadata.name).sort();
    assert.deepEqual(crdNames, ['memcacheds.cache.example.com', 'staticsites.web.example.com']);
    const managerRole = byKind('ClusterRole').find((r) => String(r.metadata.name).endsWith('manager-role'));
    assert.ok(managerRole?.rules.some((r: any) => r.apiGroups.includes('cache.example.com') && r.resources.includes('memcacheds')));
  });

  it('build-installer writes dist/install.yaml with IMG, leaving tracked files alone, and every object in it is accepted by server-side apply', async () => {
    const manager = await readFile(join(project, 'config', 'manager', 'kustomization.yaml'), 'utf8');
    const image = 'registry.example.com/memcached-operator:v0.1.0';
    await run(npm, ['run', 'build-installer'], { cwd: project, env: { IMG: image } });
    assert.equal(await readFile(join(project, 'config', 'manager', 'kustomization.yaml'), 'utf8'), manager, 'config/manager is unchanged');
    const installYaml = await readFile(join(project, 'dist', 'install.yaml'), 'utf8');
    const docs = parseAllDocuments(installYaml).map((d) => d.toJS() as Record<string, any>);
    const [deployment] = docs.filter((d) => d.kind === 'Deployment');
    assert.equal(deployment.spec.template.spec.containers.find((c: any) => c.name === 'manager').image, image);
    assert.deepEqual([...new Set(docs.map((d) => d.kind))].sort(),
      ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Deployment', 'Namespace', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);

    const env = await startTestEnv();
    try {
      const kubectlEnv = { KUBECONFIG: env.kubeconfigPath };
      const applied = await run('kubectl', ['apply', '--server-side', '-f', 'dist/install.yaml'], { cwd: project, env: kubectlEnv });
      assert.equal(applied.stdout.trim().split('\n').filter((l) => l.endsWith(' serverside-applied')).length, docs.length, applied.stdout);
      // Read back: every object exists on the server under its rendered name.
      const stored = await run('kubectl', ['get', '-f', 'dist/install.yaml', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}{"\\n"}{end}'], { cwd: project, env: kubectlEnv });
      assert.deepEqual(stored.stdout.trim().split('\n').sort(), docs.map((d) => `${d.kind}/${d.metadata.name}`).sort());
    } finally {
      await env.stop();
    }
  });

  it('generate bundle writes an OLM bundle from the same manifests and bundle validate accepts it', async () => {
    await run(process.execPath, [cli, 'generate', 'bundle', '--version', '0.1.0', '--image', 'registry.example.com/memcached-operator:v0.1.0'], { cwd: project });
    const csv = parseAllDocuments(await readFile(join(project, 'bundle', 'manifests', 'memcached-operator.clusterserviceversion.yaml'), 'utf8'))[0]!.toJS();
    assert.deepEqual(csv.spec.customresourcedefinitions.owned.map((o: any) => o.kind).sort(), ['Memcached', 'StaticSite']);
    assert.ok(existsSync(join(project, 'bundle', 'manifests', 'web.example.com_staticsites.yaml')));
    const validate = await run(process.execPath, [cli, 'bundle', 'validate'], { cwd: project });
    assert.match(validate.stdout, /bundle valid: memcached-operator\.v0\.1\.0/);
  });

  describe('two replicas with --leader-elect', { concurrency: false }, () => {
    let env: TestEnv;
    const replicas: Replica[] = [];
    let leaseId: string;

    before(async () => {
      env = await startTestEnv({ crds: [join(project, 'config', 'crd', 'bases')] });
      const projectFile = await readFile(join(project, 'PROJECT'), 'utf8');
      leaseId = /leaderElectionId: (\S+)/.exec(projectFile)![1];
      for (let i = 0; i < 2; i++) {
        replicas.push(
          new Replica(process.execPath, ['dist/main.js', '--leader-elect', '--health-probe-bind-address=127.0.0.1:0', '--log-format=json'], {
            cwd: project,
            env: { KUBECONFIG: env.kubeconfigPath },
          }),
        );
      }
    });

    after(async () => {
      for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
      await env?.stop();
    });

    const leases = () => env.kubeConfig.makeApiClient(CoordinationV1Api);
    const holder = async () => {
      try {
        const lease = await leases().readNamespacedLease({ name: leaseId, namespace: 'default' });
        return lease.spec?.holderIdentity || undefined;
      } catch {
        return undefined;
      }
    };
    const dump = () => replicas.map((r, i) => `--- replica ${i} ---\n${r.output().slice(-3000)}`).join('\n');
    const reconciled = (r: Replica, name: string) => r.records().some((rec) => rec.name === name && rec.reconcileId !== undefined);
    const readyMemcached = async (name: string) => {
      const obj = (await env.kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
        group: 'cache.example.com', version: 'v1alpha1', namespace: 'default', plural: 'memcacheds', name,
      })) as any;
      return obj.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? obj : undefined;
    };
    const createMemcached = (name: string) =>
      env.kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: 'cache.example.com', version: 'v1alpha1', namespace: 'default', plural: 'memcacheds',
        body: { apiVersion: 'cache.example.com/v1alpha1', kind: 'Memcached', metadata: { name }, spec: { size: 2 } },
      });

    it('exactly one replica leads and reconciles', async () => {
      const leader = await waitFor('a lease holder', holder, 20_000, dump);
      await waitFor('both replicas started', () => replicas.every((r) => r.identity()) || undefined, 20_000, dump);
      const leaderIndex = replicas.findIndex((r) => r.identity() === leader);
      assert.notEqual(leaderIndex, -1, `the holder ${leader} is one of our replicas\n${dump()}`);

      await createMemcached('first');
      await waitFor('first Memcached Ready', () => readyMemcached('first'), 20_000, dump);
      // The reconcile's log line may reach us a moment after the status it wrote.
      await waitFor('the leader to log the reconcile', () => reconciled(replicas[leaderIndex], 'first') || undefined, 10_000, dump);
      assert.ok(!reconciled(replicas[1 - leaderIndex], 'first'), 'the standby did not reconcile');
    });

    it('SIGTERM on the leader hands the lease to the standby, which then reconciles', async (t) => {
      const leader = (await holder())!;
      const leaderIndex = replicas.findIndex((r) => r.identity() === leader);
      const standby = replicas[1 - leaderIndex];
      const started = Date.now();
      replicas[leaderIndex].child.kill('SIGTERM');
      const newHolder = await waitFor('a new lease holder', async () => {
        const h = await holder();
        return h && h !== leader ? h : undefined;
      }, 20_000, dump);
      t.diagnostic(`hand-over took ${Date.now() - started} ms`);
      assert.equal(newHolder, standby.identity());
      assert.equal(await replicas[leaderIndex].exited, 0, 'the old leader shut down cleanly');

      await createMemcached('second');
      await waitFor('second Memcached Ready', () => readyMemcached('second'), 20_000, dump);
      await waitFor('the new leader to log the reconcile', () => reconciled(standby, 'second') || undefined, 10_000, dump);
    });
  });
});
