import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.js';
import { managerNamespace, validateCrdName, validateDerivedNames } from '../../src/project/derived-names.js';

describe('validateDerivedNames', () => {
  it('accepts the longest project name whose namespace is still a DNS-1123 label', () => {
    const name = 'a'.repeat(56);
    assert.doesNotThrow(() => validateDerivedNames(name, 'example.com'));
    assert.equal(managerNamespace(name).length, 63);
  });

  it('names the derived namespace, its length and the longest project name that fits', () => {
    const name = `p${'x'.repeat(58)}9`; // 60 characters, a valid DNS-1123 label on its own
    assert.throws(() => validateDerivedNames(name, 'example.com'), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, `project name '${name}' (60 characters) makes the manager namespace '${name}-system' 67 characters long, but it must be a DNS-1123 label of at most 63; --project-name can have at most 56 characters.`);
      assert.match(error.hint!, /--project-name memcached-operator/);
      return true;
    });
  });

  it('checks the leader-election Lease name the domain produces', () => {
    const domain = Array.from({ length: 4 }, () => 'd'.repeat(61)).join('.'); // 247 characters: valid alone
    assert.throws(() => validateDerivedNames('demo', domain), /makes the leader-election Lease '[0-9a-f]{8}\..*' 256 characters long.*--domain can have at most 244 characters/);
  });
});

describe('validateCrdName', () => {
  it('accepts a CRD name of 253 characters and refuses 254', () => {
    const group = `${'g'.repeat(61)}.${'g'.repeat(61)}.${'g'.repeat(61)}.${'g'.repeat(4)}`; // 190
    assert.doesNotThrow(() => validateCrdName('p'.repeat(62), group));
    assert.throws(() => validateCrdName('p'.repeat(63), group), /is 254 characters long/);
  });
});
