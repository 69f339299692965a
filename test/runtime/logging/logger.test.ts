import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { createLogger } from '../../../src/runtime/logging/logger.js';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

test('JSON lines carry ts, level, msg and the fields', () => {
  const { lines, stream } = sink();
  const log = createLogger({ stream, clock: new FakeClock() });
  log.info('reconciled', { name: 'a', count: 3 });
  assert.equal(lines.length, 1);
  assert.deepEqual(JSON.parse(lines[0]!), { ts: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'reconciled', name: 'a', count: 3 });
});

test('levels below the threshold are dropped', () => {
  const { lines, stream } = sink();
  const log = createLogger({ stream, level: 'warn' });
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.deepEqual(lines.map((l) => JSON.parse(l).level), ['warn', 'error']);
});

test('child loggers merge fields into every line; call fields win', () => {
  const { lines, stream } = sink();
  const log = createLogger({ stream }).child({ controller: 'memcached' }).child({ reconcileId: 'r-1' });
  log.info('one');
  log.info('two', { reconcileId: 'override', extra: true });
  const [one, two] = lines.map((l) => JSON.parse(l));
  assert.equal(one.controller, 'memcached');
  assert.equal(one.reconcileId, 'r-1');
  assert.equal(two.reconcileId, 'override');
  assert.equal(two.extra, true);
});

test('errors and cycles serialise instead of throwing; reserved keys cannot be overwritten', () => {
  const { lines, stream } = sink();
  const log = createLogger({ stream });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  log.error('failed', { error: new Error('boom', { cause: new Error('root') }), cyclic, msg: 'spoof' });
  const line = JSON.parse(lines[0]!);
  assert.equal(line.msg, 'failed');
  assert.equal(line.error.message, 'boom');
  assert.equal(line.error.cause.message, 'root');
  assert.equal(line.cyclic.self, '[Circular]');
});

test('text format is readable', () => {
  const { lines, stream } = sink();
  createLogger({ stream, format: 'text', clock: new FakeClock() }).warn('lease lost', { name: 'my lease', n: 2 });
  assert.equal(lines[0], '2026-01-01T00:00:00.000Z WARN  lease lost name="my lease" n=2');
});

test('bad level or format is refused', () => {
  assert.throws(() => createLogger({ level: 'loud' as never }), /log level 'loud'/);
  assert.throws(() => createLogger({ format: 'xml' as never }), /log format 'xml'/);
});
