import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { findCycles, folderGraph } from './folder-graph.js';

const RUNTIME = fileURLToPath(new URL('../../../src/runtime', import.meta.url));

test('the folders of src/runtime import each other without cycles', () => {
  const graph = folderGraph(RUNTIME);
  assert.ok(graph.has('manager') && graph.get('manager')!.has('http'), 'the graph sees the manager importing http/');
  assert.deepEqual(findCycles(graph).map((c) => c.join(' → ')), []);
});

test('metrics/ and probes/ do not reach into manager/', () => {
  const graph = folderGraph(RUNTIME);
  assert.ok(!graph.get('metrics')?.has('manager'));
  assert.ok(!graph.get('probes')?.has('manager'));
});

test('findCycles reports a cycle between two folders and through the root', () => {
  const graph = new Map([
    ['.', new Set(['cache'])],
    ['cache', new Set(['informer', '.'])],
    ['informer', new Set(['cache'])],
  ]);
  assert.deepEqual(findCycles(graph), [['.', 'cache', '.'], ['cache', 'informer', 'cache']]);
});
