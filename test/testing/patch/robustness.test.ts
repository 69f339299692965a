import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, PatchError, type PatchType } from '../../../src/testing/patch/index.js';

/** Deterministic pseudo-random generator (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['spec', 'metadata', 'containers', 'name', 'finalizers', 'ports', 'env', '$patch', '$retainKeys', '$setElementOrder/containers', 'labels', 'data', 'op', 'path', 'value', 'from', 'apiVersion', 'kind', 'managedFields'];
const SCALARS: unknown[] = [null, true, 0, -1, 1.5, '', 'x', 'delete', 'replace', '/spec', '/-', '~', 'add', 'remove', 'test', 'move', 'copy'];

function randomValue(rand: () => number, depth: number): unknown {
  const roll = rand();
  if (depth <= 0 || roll < 0.4) return SCALARS[Math.floor(rand() * SCALARS.length)];
  if (roll < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth - 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) out[KEYS[Math.floor(rand() * KEYS.length)]!] = randomValue(rand, depth - 1);
  return out;
}

describe('patch robustness', () => {
  it('answers every random patch with an object or a PatchError, never another exception', () => {
    const rand = prng(42);
    const types: PatchType[] = ['merge', 'json', 'strategic', 'apply'];
    for (let i = 0; i < 4000; i++) {
      const type = types[i % types.length]!;
      const metadata = rand() < 0.3 ? { name: 'x', managedFields: randomValue(rand, 4) } : { name: 'x' };
      const current = { apiVersion: 'v1', kind: 'ConfigMap', metadata, ...(randomValue(rand, 3) as object) };
      const patch = randomValue(rand, 4);
      try {
        const out = applyPatch({ type, current: rand() < 0.1 && type === 'apply' ? undefined : current, patch, fieldManager: rand() < 0.8 ? 'm' : undefined, force: rand() < 0.5 });
        assert.equal(typeof out, 'object', `result of ${type} ${JSON.stringify(patch)}`);
        assert.ok(out !== null && !Array.isArray(out));
      } catch (err) {
        if (!(err instanceof PatchError)) {
          assert.fail(`${type} patch ${JSON.stringify(patch)} on ${JSON.stringify(current)} threw ${String((err as Error).stack)}`);
        }
        assert.ok([400, 404, 409, 415, 422].includes(err.status));
      }
    }
  });
});

describe('stored managedFields that are garbage', () => {
  it('are tolerated by apply and update tracking', () => {
    const current = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        managedFields: [
          { manager: 'other', operation: 'Apply', fieldsV1: { 'f:data': { 'k:{bad': {}, 'v:nope': {}, 'f:a': {} }, 'x:weird': { '.': {} } } },
          'not an entry',
          { manager: 7, fieldsV1: 'string' },
        ],
      },
      data: { a: '1' },
    };
    const out = applyPatch({ type: 'apply', current, patch: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { b: '2' } }, fieldManager: 'me' }) as any;
    assert.deepEqual(out.data, { a: '1', b: '2' });
    assert.throws(() => applyPatch({ type: 'apply', current, patch: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '9' } }, fieldManager: 'me' }), PatchError);
    const merged = applyPatch({ type: 'merge', current, patch: { data: { a: '3' } }, fieldManager: 'editor' }) as any;
    assert.equal(merged.data.a, '3');
  });
});
