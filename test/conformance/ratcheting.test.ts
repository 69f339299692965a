import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, eventually, rawRequest, uniqueSuffix } from './helpers.js';
import { installCrd, removeCrd, specOnlyCrd } from './crd-fixture.js';

/**
 * CRD validation ratcheting (on by default since 1.30): after a schema is tightened, an update may keep a
 * value the new schema refuses as long as that value is unchanged; changing it to another refused value
 * is refused. Also the wording of a duplicate map-list item.
 */
function gadgetCrd(suffix: string, nameMax: number, sizeMax: number) {
  const spec = {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: nameMax },
      note: { type: 'string' },
      size: { type: 'integer', 'x-kubernetes-validations': [{ rule: `self <= ${sizeMax}`, message: `size must be at most ${sizeMax}` }] },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, label: { type: 'string', maxLength: nameMax } } },
      },
    },
  };
  return specOnlyCrd({ group: `ratchet${suffix}.example.com`, kind: 'Gadget', plural: 'gadgets', spec });
}

describe('CRD validation ratcheting', () => {
  let target: ConformanceTarget;
  let ns: string;
  let gadget: ReturnType<typeof gadgetCrd>;
  const suffix = uniqueSuffix();
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'ratchet');
    gadget = gadgetCrd(suffix, 10, 10);
    await installCrd(target, gadget.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, gadget.crd.metadata.name);
    await target.stop();
  });

  const path = (name = '') => `/apis/${gadget.group}/v1/namespaces/${ns}/gadgets${name ? `/${name}` : ''}`;
  const body = (name: string, spec: object, resourceVersion?: string) =>
    JSON.stringify({ apiVersion: gadget.apiVersion, kind: 'Gadget', metadata: { name, ...(resourceVersion ? { resourceVersion } : {}) }, spec });
  const create = (name: string, spec: object) => rawRequest(target, { method: 'POST', path: path(), contentType: 'application/json', body: body(name, spec) });
  const patch = (name: string, spec: object) =>
    rawRequest(target, { method: 'PATCH', path: path(name), contentType: 'application/merge-patch+json', body: JSON.stringify({ spec }) });

  it('prints a duplicate map-list key as Go does', async () => {
    const res = await create('dupes', { ports: [{ name: 'g' }, { name: 'g' }] });
    assertStatus(res.json, 422, 'Invalid', /spec\.ports\[1\]: Duplicate value: map\[string\]interface \{\}\{"name":"g"\}/);
  });

  it('keeps unchanged values the tightened schema refuses, and refuses changed ones', async () => {
    const created = await create('old', { name: 'abcdefgh', size: 8, ports: [{ name: 'a', label: 'longlabel' }, { name: 'b', label: 'x' }] });
    assert.equal(created.status, 201, created.text);

    // Tighten: name and labels at most 3 characters, size at most 5.
    const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${gadget.crd.metadata.name}`;
    const current = (await rawRequest(target, { method: 'GET', path: crdPath })).json;
    const tightened = gadgetCrd(suffix, 3, 5).crd;
    const put = await rawRequest(target, { method: 'PUT', path: crdPath, contentType: 'application/json', body: JSON.stringify({ ...tightened, metadata: current.metadata }) });
    assert.equal(put.status, 200, put.text);
    await eventually('the tightened schema in force', async () => {
      const probe = await create(`probe-${Math.random().toString(36).slice(2, 8)}`, { name: 'abcdefgh' });
      return probe.status === 422 ? true : undefined;
    });

    const other = await patch('old', { note: 'changed' });
    assert.equal(other.status, 200, other.text);
    const reordered = await patch('old', { ports: [{ name: 'b', label: 'y' }, { name: 'a', label: 'longlabel' }] });
    assert.equal(reordered.status, 200, reordered.text);

    const name = await patch('old', { name: 'abcdefghij' });
    assertStatus(name.json, 422, 'Invalid', /spec\.name: Too long: may not be more than 3 bytes/);
    const label = await patch('old', { ports: [{ name: 'b', label: 'y' }, { name: 'a', label: 'longerlabel' }] });
    assertStatus(label.json, 422, 'Invalid', /spec\.ports\[1\]\.label: Too long: may not be more than 3 bytes/);
    const size = await patch('old', { size: 9 });
    assertStatus(size.json, 422, 'Invalid', /size must be at most 5/);
    assert.doesNotMatch(size.text, /spec\.name/);
  });
});
