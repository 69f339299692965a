/**
 * CRD validation benchmark: objects per second through compileCrdSchema's validate() for a schema with
 * `pattern`s (Go RE2 semantics) next to the same patterns checked by ajv with JavaScript's RegExp (the
 * baseline: faster, but wrong for `(?i)`, `\z`, `\pL`), and for CEL rules using the Kubernetes libraries.
 * Run: node --import tsx bench/crd-validation.bench.ts
 */
import { Ajv } from 'ajv';
import { compileCrdSchema } from '../src/testing/validation/index.js';
import { re2RegExpEngine } from '../src/testing/validation/re2-pattern.js';

const N = 20_000;
const patterns = {
  name: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  duration: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
  path: '^/[a-zA-Z0-9/._~%!$&\'()*+,;=:@-]*$',
};
const properties = Object.fromEntries(Object.entries(patterns).map(([key, pattern]) => [key, { type: 'string', pattern }]));
const spec = { type: 'object', properties };
const objectOf = (i: number) => ({ spec: { name: `host-${i}.example.com`, duration: `${i % 60}m${i % 30}s`, path: `/api/v${i % 3}/items` } });

function rate(label: string, run: (i: number) => void): number {
  for (let i = 0; i < 500; i++) run(i);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) run(i);
  const perSecond = N / ((performance.now() - t0) / 1000);
  console.log(`${label.padEnd(58)} ${perSecond.toFixed(0).padStart(8)} objects/s`);
  return perSecond;
}

const re2 = compileCrdSchema({ type: 'object', properties: { spec } });
const nativeAjv = new Ajv({ allErrors: true, strict: false }).compile({ type: 'object', properties: { spec } });
const native = rate('baseline: ajv, JavaScript RegExp, 3 patterns', (i) => {
  if (!nativeAjv(objectOf(i))) throw new Error('baseline rejected a valid object');
});
const re2Ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: re2RegExpEngine } }).compile({ type: 'object', properties: { spec } });
const withRe2 = rate('ajv, Go RE2 (re2js), 3 patterns', (i) => {
  if (!re2Ajv(objectOf(i))) throw new Error('rejected a valid object');
});
console.log(`RE2 patterns cost ${(native / withRe2).toFixed(1)}x the baseline's time per object`);
rate('compileCrdSchema().validate (RE2, list types, rules walk)', (i) => {
  if (re2.validate(objectOf(i)).length > 0) throw new Error('rejected a valid object');
});

const celSchema = compileCrdSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: { limit: { type: 'string', maxLength: 16 }, request: { type: 'string', maxLength: 16 }, net: { type: 'string', maxLength: 32 }, addr: { type: 'string', maxLength: 32 } },
      'x-kubernetes-validations': [
        { rule: 'quantity(self.limit).compareTo(quantity(self.request)) >= 0' },
        { rule: 'cidr(self.net).containsIP(self.addr)' },
      ],
    },
  },
});
const plainSchema = compileCrdSchema({
  type: 'object',
  properties: { spec: { type: 'object', properties: { limit: { type: 'integer' }, request: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.limit >= self.request' }] } },
});
rate('baseline: one CEL rule on integers', (i) => {
  if (plainSchema.validate({ spec: { limit: i + 1, request: i } }).length > 0) throw new Error('rejected a valid object');
});
rate('CEL quantity() and cidr().containsIP() rules', (i) => {
  if (celSchema.validate({ spec: { limit: `${i + 1}Mi`, request: `${i}Ki`, net: '10.0.0.0/8', addr: `10.0.${i % 256}.1` } }).length > 0) throw new Error('rejected a valid object');
});
