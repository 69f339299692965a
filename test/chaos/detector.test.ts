import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findHandOvers, findSplitBrainWrites, type HistoryRecord } from '../../chaos/detector.js';

const lease = (rv: number, holder: string): HistoryRecord => ({ kind: 'lease', rv: BigInt(rv), holder, seenAt: rv });
const write = (rv: number, writer: string): HistoryRecord => ({ kind: 'write', rv: BigInt(rv), object: `o${rv}`, writer, replica: writer, seenAt: rv });

describe('findSplitBrainWrites', () => {
  it('counts a write accepted after another replica took the Lease, in resourceVersion order not arrival order', () => {
    // Arrival order differs from the server's order: the write (rv 12) came after b's acquisition (rv 11).
    const history = [lease(10, 'a'), write(12, 'a'), lease(11, 'b'), write(9, 'a'), write(13, 'b')];
    const found = findSplitBrainWrites(history);
    assert.deepEqual(found.map((f) => [f.write.rv, f.write.writer, f.holder]), [[12n, 'a', 'b']]);
  });

  it('does not count writes by the holder, writes before any hold, or writes while the Lease is released', () => {
    const history = [write(1, 'a'), lease(2, 'a'), write(3, 'a'), lease(4, ''), write(5, 'a'), lease(6, 'b'), write(7, 'b')];
    assert.deepEqual(findSplitBrainWrites(history), []);
  });

  it('counts every write of a replica that never holds the Lease', () => {
    const history = [lease(1, 'a'), write(2, 'unelected'), write(3, 'a'), write(4, 'unelected')];
    assert.equal(findSplitBrainWrites(history).length, 2);
  });

  it('compares resourceVersions as numbers, not strings', () => {
    const history = [lease(9, 'a'), lease(10, 'b'), write(100, 'a')];
    assert.equal(findSplitBrainWrites(history).length, 1);
  });
});

describe('findHandOvers', () => {
  it('lists holder changes, skipping renewals and a release in between', () => {
    const history = [lease(1, 'a'), lease(2, 'a'), lease(3, ''), lease(5, 'b'), lease(4, 'b'), lease(6, 'c')];
    assert.deepEqual(findHandOvers(history).map((h) => [h.from, h.to]), [['a', 'b'], ['b', 'c']]);
  });
});
