import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { WorkQueue } from '../../../src/runtime/queue/work-queue.js';
import { DelayingQueue } from '../../../src/runtime/queue/delaying-queue.js';
import type { Request } from '../../../src/runtime/types.js';

const req = (name: string, namespace = 'default'): Request => ({ namespace, name });

test('a burst of adds for one key becomes one item', async () => {
  const q = new WorkQueue<Request>();
  for (let i = 0; i < 50; i++) q.add(req('a'));
  q.add(req('b'));
  assert.equal(q.len(), 2);
  assert.deepEqual(await q.get(), req('a'));
  assert.deepEqual(await q.get(), req('b'));
  assert.equal(q.len(), 0);
});

test('keys distinguish namespaces', () => {
  const q = new WorkQueue<Request>();
  q.add(req('a', 'ns1'));
  q.add(req('a', 'ns2'));
  assert.equal(q.len(), 2);
});

test('an item being processed is not handed out again until done; the re-add is deferred', async () => {
  const q = new WorkQueue<Request>();
  q.add(req('a'));
  const first = await q.get();
  assert.deepEqual(first, req('a'));
  q.add(req('a'));
  q.add(req('a'));
  assert.equal(q.len(), 0, 'the re-add waits for done');
  let second: Request | undefined;
  void q.get().then((r) => (second = r));
  await flushMicrotasks();
  assert.equal(second, undefined, 'no second worker gets the item while it is processing');
  q.done(first!);
  await flushMicrotasks();
  assert.deepEqual(second, req('a'));
  q.done(second!);
  assert.equal(q.len(), 0, 'both re-adds collapsed into one');
});

test('get waits for an add; FIFO order across keys', async () => {
  const q = new WorkQueue<string>();
  const got: string[] = [];
  const w1 = q.get().then((x) => got.push(x!));
  const w2 = q.get().then((x) => got.push(x!));
  q.add('x');
  q.add('y');
  await Promise.all([w1, w2]);
  assert.deepEqual(got, ['x', 'y']);
});

test('shutDown: waiting gets resolve undefined, adds are ignored, drain waits for in-flight items', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const inFlight = await q.get();
  const waiting = q.get();
  q.add('b'); // handed to the waiting get
  assert.equal(await waiting, 'b');
  const idle = q.get();
  q.shutDown();
  assert.equal(await idle, undefined);
  q.add('c');
  assert.equal(q.len(), 0);
  assert.equal(await q.get(), undefined);
  let drained = false;
  const d = q.drain().then(() => (drained = true));
  await flushMicrotasks();
  assert.equal(drained, false, 'two items are still in flight');
  q.done(inFlight!);
  await flushMicrotasks();
  assert.equal(drained, false);
  q.done('b');
  await d;
  assert.equal(drained, true);
});

test('get resolves undefined when its signal aborts', async () => {
  const q = new WorkQueue<string>();
  const ac = new AbortController();
  const p = q.get(ac.signal);
  ac.abort();
  assert.equal(await p, undefined);
  q.add('a');
  assert.equal(await q.get(), 'a', 'the aborted waiter did not swallow the item');
});

test('addAfter adds once the fake clock reaches the delay', async () => {
  const clock = new FakeClock();
  const q = new DelayingQueue<string>({ clock });
  q.addAfter('a', 1000);
  assert.equal(q.len(), 0);
  await clock.advance(999);
  assert.equal(q.len(), 0);
  await clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
});

test('addAfter keeps the earliest schedule for one key', async () => {
  const clock = new FakeClock();
  const q = new DelayingQueue<string>({ clock });
  q.addAfter('a', 5000);
  q.addAfter('a', 100);
  q.addAfter('a', 3000);
  await clock.advance(100);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  await clock.advance(10_000);
  assert.equal(q.len(), 0, 'the later schedules were dropped');
  assert.equal(q.waitingCount(), 0);
});

test('addAfter with zero or negative delay adds at once; shutdown cancels pending delays', async () => {
  const clock = new FakeClock();
  const q = new DelayingQueue<string>({ clock });
  q.addAfter('now', 0);
  q.addAfter('neg', -5);
  assert.equal(q.len(), 2);
  q.addAfter('later', 1000);
  q.shutDown();
  await clock.advance(2000);
  assert.equal(q.len(), 0);
  assert.equal(clock.pendingSleepers, 0);
});
