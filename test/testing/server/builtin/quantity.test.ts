import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalQuantity, QuantityError } from '../../../../src/testing/server/builtin/quantity.js';

// Each pair is what a v1.32 API server stored for the sent text (ResourceQuota spec.hard, so rounded to milli).
const STORED: Array<[string, string]> = [
  ['1024Mi', '1Gi'], ['1000m', '1'], ['0.5', '500m'], ['1e3', '1e3'], ['1E3', '1E3'], ['+1Gi', '+1Gi'], ['1.5e3', '1500'],
  ['0.0001', '1m'], ['0.1m', '1m'], ['1536Mi', '1536Mi'], ['0.5Gi', '512Mi'], ['100Ki', '100Ki'], ['1025Ki', '1025Ki'],
  ['1073741824', '1073741824'], ['0.25', '250m'], ['12e3', '12e3'], ['1500m', '1500m'], ['2000000k', '2G'],
  ['99999999999999999999', '99999999999999999999'], ['1n', '1m'], ['0.5n', '1m'], ['0Mi', '0'], ['1.0', '1'], ['01', '01'],
  ['10e-1', '1'], ['1500u', '2m'], ['1.5m', '2m'], ['1e-3', '1e-3'], ['0.5Ki', '512'], ['1000E', '1'], ['1e21', '1e21'],
  ['1.5000', '1500m'], ['1.50', '1500m'], ['  2Gi ', '2Gi'], ['.', '0'], ['m', '0'], ['1.Ki', '1.Ki'], ['1e1000', '10e999'],
];

describe('canonicalQuantity', () => {
  it('stores ResourceList values as the API server does', () => {
    for (const [sent, stored] of STORED) assert.equal(canonicalQuantity(sent, { roundToMilli: true }), stored, sent);
  });

  it('keeps sub-milli precision for single quantities (emptyDir sizeLimit)', () => {
    assert.equal(canonicalQuantity('1500u'), '1500u');
    assert.equal(canonicalQuantity('1024Mi'), '1Gi');
    assert.equal(canonicalQuantity('0.5'), '500m');
  });

  it("refuses text the server's scanner refuses, with its message", () => {
    for (const bad of ['abc', '1Zi', '', '1.2.3', 'true']) {
      assert.throws(() => canonicalQuantity(bad), (err: Error) => err instanceof QuantityError && /quantities must match the regular expression/.test(err.message), bad);
    }
    assert.throws(() => canonicalQuantity('1kk'), /unable to parse quantity's suffix/);
  });
});
