import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { planManifests } from '../../src/manifests/index.js';
import { compileCrdSchema } from '../../src/testing/validation/index.js';
import { GADGET_FIXTURE, defaultedSpec, invalidSpecs, validSpec } from './constraint-cases.js';
import { fixturesDir } from './helpers.js';

/**
 * The generated schemas, run through the embedded API server's CRD validator (structural check,
 * defaulting, validation and CEL rules) without starting a server.
 */
describe('generated schemas validate objects as the API server would', async () => {
  const files = await planManifests({ projectDir: join(fixturesDir, GADGET_FIXTURE) });
  const crd = parse(files[0]!.contents);
  const schema = compileCrdSchema(crd.spec.versions[0].schema.openAPIV3Schema, { kind: 'Gadget' });
  const object = (spec: object): Record<string, unknown> => ({ apiVersion: 'toys.example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: structuredClone(spec) });

  it('a valid object passes with defaults applied and unknown fields kept where preserved', () => {
    const obj = object({ ...validSpec, extra: { anything: [1, 'x'] }, dropped: true });
    schema.applyDefaults(obj);
    assert.deepEqual(schema.validate(obj), []);
    assert.deepEqual(obj.spec, { ...defaultedSpec, extra: { anything: [1, 'x'] } });
  });

  it('every memcached fixture CRD schema compiles', async () => {
    for (const f of await planManifests({ projectDir: join(fixturesDir, 'memcached') })) {
      const doc = parse(f.contents);
      if (doc.kind !== 'CustomResourceDefinition') continue;
      for (const v of doc.spec.versions) compileCrdSchema(v.schema.openAPIV3Schema, { kind: doc.spec.names.kind });
    }
  });

  for (const [name, spec] of invalidSpecs) {
    it(`rejects: ${name}`, () => {
      const obj = object(spec);
      schema.applyDefaults(obj);
      assert.notDeepEqual(schema.validate(obj), [], `${name} should be rejected: ${JSON.stringify(obj.spec)}`);
    });
  }
});

