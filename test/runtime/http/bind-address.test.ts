import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBindAddress, BindAddressError, formatBindAddress } from '../../../src/runtime/http/bind-address.js';

test('bind addresses parse Go-style', () => {
  assert.deepEqual(parseBindAddress('x', ':8081'), { host: undefined, port: 8081 });
  assert.deepEqual(parseBindAddress('x', '127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseBindAddress('x', '[::1]:9000'), { host: '::1', port: 9000 });
  assert.equal(parseBindAddress('x', '0'), undefined);
  assert.throws(() => parseBindAddress('healthProbeBindAddress', '8081'), BindAddressError);
  assert.throws(() => parseBindAddress('x', ':70000'), /above 65535/);
});

test('bind addresses format back the way they are written on a command line', () => {
  assert.equal(formatBindAddress({ port: 8081 }), ':8081');
  assert.equal(formatBindAddress({ host: '127.0.0.1', port: 0 }), '127.0.0.1:0');
  assert.equal(formatBindAddress({ host: '::1', port: 9000 }), '[::1]:9000');
});
