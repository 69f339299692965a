import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog } from '../../../src/testing/server/event-log.js';

const event = (rv: number, groupResource = 'configmaps') => ({ rv, groupResource, type: 'ADDED' as const, object: { metadata: { name: `o${rv}`, resourceVersion: String(rv) } } });

describe('EventLog', () => {
  it('keeps exactly `window` events and reports older resourceVersions as expired', () => {
    const log = new EventLog(3);
    for (let rv = 1; rv <= 10; rv++) log.append(event(rv));
    assert.equal(log.oldestAvailable(), 7);
    assert.equal(log.since('configmaps', 6), undefined);
    assert.deepEqual(log.since('configmaps', 7)!.map((e) => e.rv), [8, 9, 10]);
    assert.deepEqual(log.since('configmaps', 9)!.map((e) => e.rv), [10]);
    assert.deepEqual(log.since('configmaps', 10), []);
  });

  it('filters by resource and notifies subscribers of that resource only', () => {
    const log = new EventLog(100);
    const seen: number[] = [];
    const all: number[] = [];
    const unsubscribe = log.subscribe('leases.coordination.k8s.io', (e) => seen.push(e.rv));
    log.subscribeAll((e) => all.push(e.rv));
    log.append(event(1));
    log.append(event(2, 'leases.coordination.k8s.io'));
    unsubscribe();
    log.append(event(3, 'leases.coordination.k8s.io'));
    assert.deepEqual(seen, [2]);
    assert.deepEqual(all, [1, 2, 3]);
    assert.deepEqual(log.since('leases.coordination.k8s.io', 0)!.map((e) => e.rv), [2, 3]);
  });
});
