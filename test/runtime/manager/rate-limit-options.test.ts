import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveManagerOptions } from '../../../src/runtime/manager/options.js';
import { ManagerOptionsError } from '../../../src/runtime/manager/errors.js';
import type { ClientRateLimitOptions } from '../../../src/runtime/manager/rate-limit-options.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { unreachableKubeConfig } from './fakes.js';

const resolve = (client: ClientRateLimitOptions | undefined) =>
  resolveManagerOptions({ kubeConfig: unreachableKubeConfig(), logger: silentLogger, client }).clientRateLimit;

test('no client option, or a negative qps, means no client-side limit (controller-runtime since v0.21; client-go for qps < 0)', () => {
  assert.equal(resolve(undefined), undefined);
  assert.equal(resolve({}), undefined);
  assert.equal(resolve({ qps: -1 }), undefined);
  assert.equal(resolve({ qps: -1, burst: 30 }), undefined);
});

test('qps and burst are kept; burst defaults to client-go’s 10', () => {
  assert.deepEqual(resolve({ qps: 20, burst: 30 }), { qps: 20, burst: 30 });
  assert.deepEqual(resolve({ qps: 0.5 }), { qps: 0.5, burst: 10 });
});

test('bad values fail with ManagerOptionsError naming the option, the value and a fix', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ qps: 0 }, 'client.qps', /client\.qps is 0: .*positive.*negative to turn the limit off/],
    [{ qps: Number.NaN }, 'client.qps', /client\.qps is NaN: it must be a finite number/],
    [{ qps: Number.POSITIVE_INFINITY }, 'client.qps', /client\.qps is Infinity/],
    [{ qps: '20' }, 'client.qps', /client\.qps is "20": it must be a finite number/],
    [{ qps: 20, burst: 0 }, 'client.burst', /client\.burst is 0: it must be a whole number of at least 1/],
    [{ qps: 20, burst: 2.5 }, 'client.burst', /client\.burst is 2\.5/],
    [{ qps: 20, burst: -1 }, 'client.burst', /client\.burst is -1/],
    [20, 'client', /client is 20: it must be an object/],
  ];
  for (const [client, option, message] of cases) {
    assert.throws(
      () => resolve(client as ClientRateLimitOptions),
      (err: unknown) => err instanceof ManagerOptionsError && err.option === option && message.test(err.message) && (err.hint ?? '').length > 0,
      `client: ${JSON.stringify(client)}`,
    );
  }
});
