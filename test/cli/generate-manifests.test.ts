import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runCli } from './cli-harness.js';
import { treeHash } from '../scaffold/tree-hash.js';
import { parseProjectFile, renderProjectFile, type ProjectWebhooks } from '../../src/project/project-file.js';

/** `generate manifests` on bad input: exit 1, one message naming the problem, the tree byte-for-byte as it was. */
let work: string;
let withApi: string;
let counter = 0;

function copyOfProject(): string {
  const dir = join(work, `case-${++counter}`, 'memcached-operator');
  cpSync(withApi, dir, { recursive: true });
  return dir;
}

function expectRefused(args: string[], cwd: string, treeRoot: string, message: RegExp): string {
  const before = treeHash(treeRoot);
  const r = runCli(args, cwd);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.equal(r.stdout, '');
  assert.equal(treeHash(treeRoot), before, 'the tree changed');
  return r.stderr;
}

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-generate-'));
  withApi = join(work, 'base', 'memcached-operator');
  mkdirSync(withApi, { recursive: true });
  assert.equal(runCli(['init', '--domain', 'example.com', '--skip-install'], withApi).code, 0);
  assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], withApi).code, 0);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('generate manifests outside a project', () => {
  it('refuses the current directory when it has no PROJECT file', () => {
    const dir = join(work, `case-${++counter}`, 'not-a-project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const stderr = expectRefused(['generate', 'manifests'], dir, dir, /has no PROJECT file, so it is not an operator-ts project/);
    assert.ok(stderr.includes(dir), stderr);
    assert.match(stderr, /Hint: .*operator-ts init.*--project-dir/);
  });

  it('refuses --project-dir pointing at a directory without PROJECT, or at none', () => {
    const root = join(work, `case-${++counter}`);
    mkdirSync(join(root, 'empty'), { recursive: true });
    expectRefused(['generate', 'manifests', '--project-dir', 'empty'], root, root, new RegExp(`${join(root, 'empty')} has no PROJECT file`));
    expectRefused(['generate', 'manifests', '--project-dir', 'missing'], root, root, new RegExp(`${join(root, 'missing')} does not exist`));
  });
});

describe('generate manifests on sources that do not compile', () => {
  const types = 'src/api/v1alpha1/memcached.types.ts';

  it('an initializer inside an interface: the compiler message with file:line', () => {
    const dir = copyOfProject();
    const source = readFileSync(join(dir, types), 'utf8');
    const lines = source.split('\n');
    const index = lines.findIndex((l) => /^\s+size\?: number;/.test(l));
    assert.ok(index >= 0, 'the template has no size field');
    lines[index] = lines[index]!.replace('size?: number;', 'size?: number = 3;');
    writeFileSync(join(dir, types), lines.join('\n'));
    expectRefused(['generate', 'manifests'], dir, dir, new RegExp(`^Error: ${types}:${index + 1} \\(TS1246\\): An interface property cannot have an initializer`));
  });

  it('a missing closing brace: the compiler message with file:line', () => {
    const dir = copyOfProject();
    const source = readFileSync(join(dir, types), 'utf8');
    const broken = source.replace(/\n}\n/, '\n');
    assert.notEqual(broken, source);
    writeFileSync(join(dir, types), broken);
    expectRefused(['generate', 'manifests'], dir, dir, new RegExp(`^Error: ${types}:\\d+ \\(TS1\\d{3}\\): [^\\n]*expected`));
  });
});

describe('create api writes what generate manifests would', () => {
  it('on a project with two APIs, generate manifests finds nothing to change', () => {
    const dir = copyOfProject();
    assert.equal(runCli(['create', 'api', '--group', 'ops', '--version', 'v1', '--kind', 'Backup', '--cluster-scoped'], dir).code, 0);
    const crds = ['config/crd/bases/cache.example.com_memcacheds.yaml', 'config/crd/bases/ops.example.com_backups.yaml'];
    for (const crd of crds) assert.match(readFileSync(join(dir, crd), 'utf8'), /kind: CustomResourceDefinition/);
    assert.match(readFileSync(join(dir, 'config/rbac/role.yaml'), 'utf8'), /- backups\n/);
    const before = treeHash(dir);
    const r = runCli(['generate', 'manifests'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Manifests: 0 written, 3 unchanged.\n');
    assert.equal(treeHash(dir), before);
  });

  /** Runs each create api in a copy of the one-API project, then asserts generate manifests changes nothing. */
  function expectInSync(creates: string[][], files: number): string {
    const dir = copyOfProject();
    for (const args of creates) {
      const r = runCli(['create', 'api', ...args], dir);
      assert.equal(r.code, 0, r.stderr);
    }
    const before = treeHash(dir);
    const r = runCli(['generate', 'manifests'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Manifests: 0 written, ${files} unchanged.\n`);
    assert.equal(treeHash(dir), before);
    return dir;
  }

  it('a cluster-scoped kind without a controller', () => {
    const dir = expectInSync([['--group', 'infra', '--version', 'v1', '--kind', 'Region', '--cluster-scoped', '--no-controller']], 3);
    assert.match(readFileSync(join(dir, 'config/crd/bases/infra.example.com_regions.yaml'), 'utf8'), /scope: Cluster/);
    assert.doesNotMatch(readFileSync(join(dir, 'config/rbac/role.yaml'), 'utf8'), /regions/);
  });

  it('a kind with an irregular --plural', () => {
    const dir = expectInSync([['--group', 'zoo', '--version', 'v1beta1', '--kind', 'Goose', '--plural', 'geese']], 3);
    const crd = readFileSync(join(dir, 'config/crd/bases/zoo.example.com_geese.yaml'), 'utf8');
    assert.match(crd, /plural: geese\n/);
    assert.match(crd, /singular: goose\n/);
    assert.match(readFileSync(join(dir, 'config/rbac/role.yaml'), 'utf8'), /- geese\/finalizers\n/);
  });

  it('a second and a third version of a kind, ordered as the generator orders them', () => {
    const dir = expectInSync([
      ['--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--no-controller'],
      ['--group', 'cache', '--version', 'v1beta1', '--kind', 'Memcached', '--no-controller'],
    ], 2);
    const crd = readFileSync(join(dir, 'config/crd/bases/cache.example.com_memcacheds.yaml'), 'utf8');
    assert.deepEqual([...crd.matchAll(/^ {4}name: (v\S+)$/gm)].map((m) => m[1]), ['v1', 'v1beta1', 'v1alpha1']);
    assert.deepEqual([...crd.matchAll(/^ {4}storage: (\S+)$/gm)].map((m) => m[1]), ['false', 'false', 'true']);
  });

  it('a controller added later for types created with --no-controller', () => {
    expectInSync([
      ['--group', 'ops', '--version', 'v1', '--kind', 'Backup', '--no-controller'],
      ['--group', 'ops', '--version', 'v1', '--kind', 'Backup', '--no-resource', '--controller', '--force'],
    ], 3);
  });

  it('without role.yaml or with a broken CRD, create api falls back to the generator', () => {
    const dir = copyOfProject();
    rmSync(join(dir, 'config/rbac/role.yaml'));
    writeFileSync(join(dir, 'config/crd/bases/cache.example.com_memcacheds.yaml'), 'not: [a crd\n');
    const r = runCli(['create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--no-controller'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'config/rbac/role.yaml'), 'utf8'), /- memcacheds\/status\n/);
    assert.match(readFileSync(join(dir, 'config/crd/bases/cache.example.com_memcacheds.yaml'), 'utf8'), /name: v1alpha1\n/);
    const g = runCli(['generate', 'manifests'], dir);
    assert.equal(g.stdout, 'Manifests: 0 written, 2 unchanged.\n', g.stderr);
  });
});

describe('generate manifests and PROJECT webhooks', () => {
  const setWebhooks = (dir: string, webhooks: ProjectWebhooks | undefined) => {
    const project = parseProjectFile(readFileSync(join(dir, 'PROJECT'), 'utf8'));
    const resources = project.resources.map(({ webhooks: _old, ...r }) => (webhooks ? { ...r, webhooks } : r));
    writeFileSync(join(dir, 'PROJECT'), renderProjectFile({ ...project, resources }));
  };

  it('refuses conversion on a kind with one version, naming PROJECT, the kind and the fix; nothing written', () => {
    const dir = copyOfProject();
    setWebhooks(dir, { conversion: true, webhookVersion: 'v1' });
    const stderr = expectRefused(['generate', 'manifests'], dir, dir, /PROJECT:1 \(Memcached cache\.example\.com\/v1alpha1\): conversion is on for Memcached, which has only the version v1alpha1/);
    assert.match(stderr, /Hint: Add another version first/);
  });

  it('writes config/webhook/manifests.yaml, and warns about it once PROJECT records no webhooks', () => {
    const dir = copyOfProject();
    setWebhooks(dir, { defaulting: true, webhookVersion: 'v1' });
    const first = runCli(['generate', 'manifests'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^UPDATE config\/webhook\/manifests\.yaml$/m);
    assert.match(readFileSync(join(dir, 'config/webhook/manifests.yaml'), 'utf8'), /name: mmemcached-v1alpha1\.cache\.example\.com\n/);
    setWebhooks(dir, undefined);
    const second = runCli(['generate', 'manifests'], dir);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /^Warning: config\/webhook\/manifests\.yaml is left from earlier webhooks; PROJECT records none now/m);
  });
});
