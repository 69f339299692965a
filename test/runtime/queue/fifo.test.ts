import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from '../../../src/runtime/queue/fifo.js';
import { WorkQueue } from '../../../src/runtime/queue/work-queue.js';

test('Fifo keeps order across compactions and interleaved pushes', () => {
  const fifo = new Fifo<number>();
  const out: number[] = [];
  let next = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 300; i++) fifo.push(next++);
    for (let i = 0; i < 200; i++) out.push(fifo.shift()!);
  }
  while (fifo.length > 0) out.push(fifo.shift()!);
  assert.deepEqual(out, Array.from({ length: next }, (_, i) => i));
  assert.equal(fifo.shift(), undefined);
});

/** Exposes the queue's order so a test can count the work its takes do. */
class CountingQueue extends WorkQueue<string> {
  get copied(): number {
    return this.order.copied;
  }
}

test('draining 100k items does O(n) work: compactions copy fewer elements than were queued', async () => {
  const n = 100_000;
  const queue = new CountingQueue();
  for (let i = 0; i < n; i++) queue.add(`item-${i}`);
  queue.add('item-0'); // dedup still holds
  assert.equal(queue.len(), n);
  for (let i = 0; i < n; i++) {
    const item = await queue.get();
    assert.equal(item, `item-${i}`);
    queue.done(item!);
  }
  assert.equal(queue.len(), 0);
  // Array.shift would move n²/2 ≈ 5·10⁹ elements; a drain by head index copies at most n.
  assert.ok(queue.copied <= n, `copied ${queue.copied} elements for ${n} items`);
});

test('draining while adding keeps the copying linear in the number of items', async () => {
  const queue = new CountingQueue();
  let added = 0;
  for (let round = 0; round < 100; round++) {
    for (let i = 0; i < 2000; i++) queue.add(`r${round}-${i}`), added++;
    for (let i = 0; i < 1500; i++) queue.done((await queue.get())!);
  }
  assert.ok(queue.copied <= added, `copied ${queue.copied} for ${added} items`);
  assert.equal(queue.len(), added - 150_000);
});
