import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitPlan, commitPlanToNewDirectory, nodeCommitFs, type CommitFs } from '../../src/scaffold/commit.js';
import { InterruptedError, WriteError } from '../../src/scaffold/errors.js';
import { DiskView, PlanBuilder, type Plan } from '../../src/scaffold/plan.js';
import { treeHash } from './tree-hash.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'operator-ts-commit-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'kustomization.yaml'), 'resources: []\n');
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function samplePlan(root: string): Plan {
  const b = new PlanBuilder(new DiskView(root));
  b.add('src/api/v1/a.ts', 'export const a = 1;\n');
  b.add('src/controllers/a.controller.ts', 'export {};\n');
  b.update('config/kustomization.yaml', 'resources: [a]\n');
  b.update('run.sh', '#!/bin/sh\necho hi\n');
  b.add('bin/tool', '#!/bin/sh\n', 'error', 0o755);
  return b.build();
}

/** A CommitFs whose `op` fails on its n-th call (1-based). */
function failingFs(op: keyof CommitFs, n: number): CommitFs {
  let calls = 0;
  return {
    ...nodeCommitFs,
    [op]: async (...args: unknown[]) => {
      calls += 1;
      if (calls === n) throw Object.assign(new Error(`injected ${op} failure`), { code: 'EIO' });
      return (nodeCommitFs[op] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  };
}

describe('commitPlan', () => {
  it('writes every file, keeps modes of updated files and leaves no temp files', async () => {
    const result = await commitPlan({ root: dir, plan: samplePlan(dir) });
    assert.equal(result.written.length, 5);
    assert.equal(readFileSync(join(dir, 'config/kustomization.yaml'), 'utf8'), 'resources: [a]\n');
    assert.equal(statSync(join(dir, 'run.sh')).mode & 0o777, 0o755);
    assert.equal(statSync(join(dir, 'bin/tool')).mode & 0o111, 0o111);
    assert.deepEqual(readdirSync(join(dir, 'config')), ['kustomization.yaml']);
  });

  for (const [op, n] of [['rename', 1], ['rename', 3], ['rename', 5], ['writeFile', 2], ['writeFile', 5], ['mkdir', 2]] as const) {
    it(`restores the tree byte for byte when ${op} #${n} fails`, async () => {
      const before = treeHash(dir);
      await assert.rejects(commitPlan({ root: dir, plan: samplePlan(dir), fs: failingFs(op, n) }), (error: unknown) => {
        assert.ok(error instanceof WriteError);
        assert.match(error.message, /nothing was changed/);
        return true;
      });
      assert.equal(treeHash(dir), before);
    });
  }

  it('deletes a planned file only when everything else landed, and restores it on failure', async () => {
    const withDelete = (): Plan => {
      const b = new PlanBuilder(new DiskView(dir));
      b.add('src/new.ts', 'export {};\n');
      b.remove('config/kustomization.yaml');
      return b.build();
    };
    const before = treeHash(dir);
    await assert.rejects(commitPlan({ root: dir, plan: withDelete(), fs: failingFs('rename', 2) }), WriteError);
    assert.equal(treeHash(dir), before);
    await commitPlan({ root: dir, plan: withDelete() });
    assert.equal(existsSync(join(dir, 'config/kustomization.yaml')), false);
    assert.deepEqual(readdirSync(join(dir, 'config')), [], 'no set-aside copy is left behind');
    assert.equal(readFileSync(join(dir, 'src/new.ts'), 'utf8'), 'export {};\n');
  });

  it('rolls back when interrupted mid-commit', async () => {
    const before = treeHash(dir);
    const controller = new AbortController();
    let steps = 0;
    const beforeStep = async (): Promise<void> => {
      steps += 1;
      if (steps === 7) controller.abort(new InterruptedError('SIGINT'));
    };
    await assert.rejects(commitPlan({ root: dir, plan: samplePlan(dir), signal: controller.signal, beforeStep }), InterruptedError);
    assert.equal(treeHash(dir), before);
  });

  it('names the file and the cause when the target is not writable', { skip: process.getuid?.() === 0 ? 'root ignores permissions' : false }, async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 'config'), 0o500);
    const before = treeHash(dir);
    try {
      await assert.rejects(commitPlan({ root: dir, plan: samplePlan(dir) }), /cannot write config\/kustomization\.yaml .*permission denied/);
      assert.equal(treeHash(dir), before);
    } finally {
      chmodSync(join(dir, 'config'), 0o755);
    }
  });
});

describe('commitPlanToNewDirectory', () => {
  it('stages beside the target and renames it into place', async () => {
    const target = join(dir, 'new-project');
    const b = new PlanBuilder(new DiskView(target));
    b.add('PROJECT', 'x\n');
    b.add('src/main.ts', 'y\n');
    await commitPlanToNewDirectory({ root: target, plan: b.build() });
    assert.equal(readFileSync(join(target, 'src/main.ts'), 'utf8'), 'y\n');
    assert.deepEqual(readdirSync(dir).sort(), ['config', 'new-project', 'run.sh']);
  });

  it('leaves nothing behind when staging fails', async () => {
    const target = join(dir, 'deep', 'new-project');
    const b = new PlanBuilder(new DiskView(target));
    b.add('PROJECT', 'x\n');
    b.add('src/main.ts', 'y\n');
    const before = treeHash(dir);
    await assert.rejects(commitPlanToNewDirectory({ root: target, plan: b.build(), fs: failingFs('rename', 2) }), WriteError);
    assert.equal(treeHash(dir), before);
    assert.equal(existsSync(join(dir, 'deep')), false);
  });
});
