import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJsonPath } from '../../../src/testing/server/jsonpath.js';
import { toTable } from '../../../src/testing/server/table.js';
import type { ServedResource } from '../../../src/testing/server/registry.js';

const object = {
  metadata: { name: 'm', creationTimestamp: new Date(Date.now() - 90_000).toISOString() },
  spec: { size: 3, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] },
  status: { conditions: [{ type: 'Progressing', status: 'False' }, { type: 'Ready', status: 'True' }] },
};

describe('printer-column JSONPath', () => {
  it('follows fields, indexes and wildcards', () => {
    assert.deepEqual(evaluateJsonPath(object, '.spec.size'), [3]);
    assert.deepEqual(evaluateJsonPath(object, '.spec.ports[1].port'), [81]);
    assert.deepEqual(evaluateJsonPath(object, '.spec.ports[*].name'), ['a', 'b']);
    assert.deepEqual(evaluateJsonPath(object, '{.spec.size}'), [3]);
  });

  it('filters list items by a field, with == and !=', () => {
    assert.deepEqual(evaluateJsonPath(object, '.status.conditions[?(@.type=="Ready")].status'), ['True']);
    assert.deepEqual(evaluateJsonPath(object, ".status.conditions[?(@.type!='Ready')].type"), ['Progressing']);
    assert.deepEqual(evaluateJsonPath(object, '.spec.ports[?(@.port==80)].name'), ['a']);
  });

  it('matches nothing for absent fields and malformed paths', () => {
    assert.deepEqual(evaluateJsonPath(object, '.status.missing'), []);
    assert.deepEqual(evaluateJsonPath(object, '.status.conditions[?(@.type=="Gone")].status'), []);
    assert.deepEqual(evaluateJsonPath(object, 'spec..size['), []);
  });
});

describe('Table output', () => {
  const columns = [
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ];
  const resource = { printerColumns: new Map([['v1', columns]]) } as unknown as ServedResource;

  it("uses a CRD's printer columns instead of the default Age column, evaluating filters and dates", () => {
    const table = toTable(resource, 'v1', [object], {}) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Size', 'Ready', 'Age']);
    assert.deepEqual(table.rows[0]!.cells, ['m', 3, 'True', '90s']);
  });

  it('shows Name and Age when the resource has no printer columns', () => {
    const plain = { printerColumns: new Map() } as unknown as ServedResource;
    const table = toTable(plain, 'v1', [object], {}) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Age']);
    assert.deepEqual(table.rows[0]!.cells, ['m', '90s']);
  });
});
