import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fnv32a, fnv32aHex, leaderElectionId } from '../../src/project/leader-election-id.js';

describe('fnv32a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    assert.equal(fnv32a(''), 0x811c9dc5);
    assert.equal(fnv32a('a'), 0xe40c292c);
    assert.equal(fnv32a('foobar'), 0xbf9cf968);
  });
  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // 'é' is the two bytes c3 a9 in UTF-8; hashing its single UTF-16 unit (0xe9) would differ.
    assert.equal(fnv32a('é'), 0x1e9de8c1);
  });
  it('formats 8 lowercase hex digits, zero-padded', () => {
    assert.match(fnv32aHex('memcached-operator'), /^[0-9a-f]{8}$/);
    assert.equal(fnv32aHex(''), '811c9dc5');
  });
  it('builds the leader-election id from the project name and the domain', () => {
    assert.equal(leaderElectionId('foobar', 'example.com'), 'bf9cf968.example.com');
  });
});
