import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, SchemaCompileError } from '../../../src/testing/validation/index.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const KEYS = ['spec', 'size', 'tags', 'items', 'name', 'labels', 'metadata', 'status', 'x'];
const SCALARS: unknown[] = [null, true, 0, -3, 2.5, 11, '', 'a', 'fast', '2024-01-01T00:00:00Z'];
function randomValue(rand: () => number, depth: number): unknown {
  const roll = rand();
  if (depth <= 0 || roll < 0.4) return SCALARS[Math.floor(rand() * SCALARS.length)];
  if (roll < 0.65) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth - 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) out[KEYS[Math.floor(rand() * KEYS.length)]!] = randomValue(rand, depth - 1);
  return out;
}

const schema = compileCrdSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.size > 0' }, { rule: '!has(self.tags) || self.tags.all(t, t != "bad")' }, { rule: 'self.size == oldSelf.size' }],
      properties: {
        size: { type: 'integer', default: 1, maximum: 10 },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self.name == oldSelf.name' }] } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        x: { 'x-kubernetes-int-or-string': true },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
});

describe('validation robustness', () => {
  it('defaults and validates random objects without throwing', () => {
    const rand = prng(7);
    for (let i = 0; i < 3000; i++) {
      const obj = { metadata: { name: 'x' }, ...(randomValue(rand, 4) as object) };
      const old = rand() < 0.5 ? (randomValue(rand, 4) as object) : undefined;
      schema.applyDefaults(obj);
      const errors = schema.validate(obj, old && typeof old === 'object' ? old : undefined);
      for (const error of errors) {
        assert.equal(typeof error.path, 'string');
        assert.ok(error.message.length > 0);
      }
    }
  });
  it('random schemas either compile or throw SchemaCompileError', () => {
    const rand = prng(11);
    const words = ['type', 'properties', 'items', 'object', 'array', 'string', 'integer', 'x-kubernetes-list-type', 'map', 'set', 'x-kubernetes-validations', 'rule', 'default', 'minimum', 'required', 'nullable', 'x-kubernetes-preserve-unknown-fields'];
    const randomSchema = (depth: number): unknown => {
      if (depth <= 0 || rand() < 0.3) return words[Math.floor(rand() * words.length)];
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 4); i > 0; i--) out[words[Math.floor(rand() * words.length)]!] = rand() < 0.5 ? randomSchema(depth - 1) : [randomSchema(depth - 1)];
      return out;
    };
    for (let i = 0; i < 2000; i++) {
      const candidate = { type: 'object', ...(randomSchema(3) as object) };
      try {
        compileCrdSchema(candidate);
      } catch (err) {
        if (!(err instanceof SchemaCompileError)) assert.fail(`${JSON.stringify(candidate)} threw ${String((err as Error).stack)}`);
      }
    }
  });
});
