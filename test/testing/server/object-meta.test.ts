import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timestamp } from '../../../src/testing/server/object-meta.js';

test('timestamp formats whole seconds in RFC 3339, each call for its own second', () => {
  assert.equal(timestamp(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05Z');
  assert.equal(timestamp(new Date('2026-01-02T03:04:05.999Z')), '2026-01-02T03:04:05Z');
  // The next second, and going back to an earlier one, are not served from the previous call.
  assert.equal(timestamp(new Date('2026-01-02T03:04:06.001Z')), '2026-01-02T03:04:06Z');
  assert.equal(timestamp(new Date('1999-12-31T23:59:59.500Z')), '1999-12-31T23:59:59Z');
});

test('timestamp without a date is the current second', () => {
  const before = Math.floor(Date.now() / 1000);
  const stamp = Date.parse(timestamp()) / 1000;
  const after = Math.floor(Date.now() / 1000);
  assert.ok(stamp >= before && stamp <= after, `${stamp} not within [${before}, ${after}]`);
});

test('timestamp of an invalid date throws like Date#toISOString', () => {
  assert.throws(() => timestamp(new Date(Number.NaN)), RangeError);
});
