import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../../src/errors.js';
import { AlreadyInitializedError, planInit } from '../../src/scaffold/init-plan.js';
import { MemoryView, assertNoConflicts } from '../../src/scaffold/plan.js';
import { parseProjectFile } from '../../src/project/project-file.js';
import { fnv32aHex } from '../../src/project/leader-election-id.js';
import { info, initialisedProject } from './scaffold-fixtures.js';

const base = {
  domain: 'example.com', projectName: 'memcached-operator', owner: '', license: 'apache2', force: false, year: 2026, info,
  runtime: { spec: '^0.1.0', vendored: false },
};

describe('planInit', () => {
  it('plans the project of DESIGN §3 (minus API files) with PROJECT recording the leader-election id', () => {
    const files = initialisedProject();
    for (const path of ['PROJECT', 'package.json', 'src/main.ts', 'Dockerfile', '.gitignore', '.dockerignore',
      'config/default/kustomization.yaml', 'config/manager/manager.yaml', 'config/rbac/leader_election_role.yaml']) {
      assert.ok(files[path], `${path} is planned`);
    }
    const project = parseProjectFile(files['PROJECT']!.toString());
    assert.equal(project.leaderElectionId, `${fnv32aHex('memcached-operator')}.example.com`);
    assert.deepEqual(project.resources, []);
    assert.equal((JSON.parse(files['package.json']!.toString()) as { devDependencies: Record<string, string> }).devDependencies['operator-ts'], '^0.1.0');
    assert.ok(files['src/flags.ts']!.toString().includes(project.leaderElectionId));
    for (const [path, contents] of Object.entries(files)) {
      if (!/\.ya?ml$/.test(path)) continue;
      for (const doc of parseAllDocuments(contents.toString())) assert.deepEqual(doc.errors, [], `${path} parses`);
    }
  });

  it('adds the vendored runtime tarball as a binary file', () => {
    const tarball = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
    const { plan } = planInit({ ...base, view: new MemoryView(), runtime: { spec: 'file:vendor/operator-ts-0.1.0.tgz', vendored: true, tarball: { path: 'vendor/operator-ts-0.1.0.tgz', contents: tarball } } }, '/x');
    assert.ok(plan.entries.find((e) => e.path === 'vendor/operator-ts-0.1.0.tgz')!.contents.equals(tarball));
  });

  it('refuses an initialised directory', () => {
    assert.throws(() => planInit({ ...base, view: new MemoryView({ PROJECT: 'x' }) }, '/x'), AlreadyInitializedError);
    assert.throws(() => planInit({ ...base, force: true, view: new MemoryView({ 'src/main.ts': 'x' }) }, '/x'), /src\/main\.ts exists/);
  });

  it('reports existing files as conflicts unless forced', () => {
    const view = new MemoryView({ 'package.json': '{}', 'notes.txt': 'mine' });
    assert.throws(() => assertNoConflicts(planInit({ ...base, view }, '/x').plan), /package\.json/);
    const forced = planInit({ ...base, view, force: true }, '/x').plan;
    assert.equal(forced.entries.find((e) => e.path === 'package.json')!.action, 'replace');
  });

  it('validates every value before rendering', () => {
    assert.throws(() => planInit({ ...base, view: new MemoryView(), domain: 'Bad_Domain' }, '/x'), ValidationError);
    assert.throws(() => planInit({ ...base, view: new MemoryView(), projectName: 'Bad Name' }, '/x'), ValidationError);
    assert.throws(() => planInit({ ...base, view: new MemoryView(), license: 'gpl' }, '/x'), ValidationError);
    assert.throws(() => planInit({ ...base, view: new MemoryView(), owner: 'a"b' }, '/x'), ValidationError);
    assert.throws(() => planInit({ ...base, view: new MemoryView(), projectName: 'a'.repeat(60) }, '/x'), /makes the manager namespace '.*-system' 67 characters long/);
  });
});
