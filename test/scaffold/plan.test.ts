import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FileConflictError } from '../../src/scaffold/errors.js';
import { MemoryView, PlanBuilder, assertNoConflicts, formatPlan, writes } from '../../src/scaffold/plan.js';

describe('PlanBuilder', () => {
  const disk = new MemoryView({ 'a.txt': 'old a', 'same.txt': 'same', 'k.yaml': 'existing', 'u.txt': 'old u' });

  it('classifies create, update, skip and conflict', () => {
    const b = new PlanBuilder(disk);
    b.add('new.txt', 'hello');
    b.add('a.txt', 'new a');
    b.add('same.txt', 'same');
    b.add('k.yaml', 'template', 'skip');
    b.add('u.txt', 'new u', 'overwrite');
    const plan = b.build();
    assert.deepEqual(plan.entries.map((e) => [e.path, e.action]), [
      ['a.txt', 'conflict'], ['k.yaml', 'skip'], ['new.txt', 'create'], ['same.txt', 'skip'], ['u.txt', 'update'],
    ]);
    assert.equal(plan.entries.find((e) => e.path === 'u.txt')!.previous!.toString(), 'old u');
    assert.deepEqual(writes(plan).map((e) => e.path), ['new.txt', 'u.txt']);
  });

  it('turns errors into replacements with force, and says so in the plan', () => {
    const b = new PlanBuilder(disk, true);
    b.add('a.txt', 'new a');
    const plan = b.build();
    assert.equal(plan.entries[0]!.action, 'replace');
    assert.deepEqual(writes(plan).map((e) => e.path), ['a.txt']);
    assert.deepEqual(formatPlan(plan), ['REPLACE a.txt (--force: your changes to this file are overwritten)']);
  });

  it('deletes a file that exists, reads it as absent afterwards, and ignores one that does not exist', () => {
    const b = new PlanBuilder(disk);
    b.remove('u.txt');
    b.remove('missing.txt');
    assert.equal(b.read('u.txt'), undefined);
    const plan = b.build();
    assert.deepEqual(plan.entries.map((e) => `${e.action} ${e.path}`), ['delete u.txt']);
    assert.equal(plan.entries[0]!.previous!.toString(), 'old u');
    assert.deepEqual(formatPlan(plan), ['DELETE u.txt (generated earlier, no longer produced)']);
  });

  it('reads through pending contents; a skipped existing file reads from disk', () => {
    const b = new PlanBuilder(disk);
    b.add('k.yaml', 'template', 'skip');
    b.add('new.yaml', 'template', 'skip');
    assert.equal(b.read('k.yaml')!.toString(), 'existing');
    assert.equal(b.read('new.yaml')!.toString(), 'template');
    b.update('k.yaml', 'existing + insert');
    assert.equal(b.build().entries.find((e) => e.path === 'k.yaml')!.action, 'update');
  });

  it('lists every conflict in one error', () => {
    const b = new PlanBuilder(disk);
    b.add('a.txt', 'x');
    b.add('u.txt', 'y');
    assert.throws(() => assertNoConflicts(b.build()), (error: unknown) => {
      assert.ok(error instanceof FileConflictError);
      assert.deepEqual(error.paths, ['a.txt', 'u.txt']);
      assert.match(error.message, /2 files this command would write already exist: a\.txt, u\.txt/);
      assert.match(error.hint!, /--force/);
      return true;
    });
  });

  it('formats the dry-run plan', () => {
    const b = new PlanBuilder(disk);
    b.add('new.txt', 'hello');
    b.add('same.txt', 'same');
    b.update('u.txt', 'changed');
    b.add('a.txt', 'x');
    assert.deepEqual(formatPlan(b.build()), ['CONFLICT a.txt (exists)', 'CREATE new.txt (5 bytes)', 'SKIP same.txt', 'UPDATE u.txt']);
  });
});
