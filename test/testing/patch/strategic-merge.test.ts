import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, PatchError } from '../../../src/testing/patch/index.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', finalizers: ['a'] },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
          { name: 'sidecar', image: 'side:1' },
        ],
        tolerations: [{ key: 'x' }],
      },
    },
  },
});

const sp = (current: object, patch: unknown) => applyPatch({ type: 'strategic', current, patch }) as any;

describe('strategic merge patch', () => {
  it('merges containers by name and env by name, keeping the others', () => {
    const out = sp(deployment(), { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] } } } });
    const [app, sidecar] = out.spec.template.spec.containers;
    assert.equal(app.image, 'app:2');
    assert.deepEqual(app.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    assert.deepEqual(app.ports, [{ containerPort: 80 }]);
    assert.deepEqual(sidecar, { name: 'sidecar', image: 'side:1' });
  });
  it('appends new keyed items and replaces lists without a merge key', () => {
    const out = sp(deployment(), { spec: { template: { spec: { containers: [{ name: 'new', image: 'n:1' }], tolerations: [{ key: 'y' }] } } } });
    assert.deepEqual(out.spec.template.spec.containers.map((c: any) => c.name), ['app', 'sidecar', 'new']);
    assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'y' }]);
  });
  it('deletes a keyed item with $patch: delete', () => {
    const out = sp(deployment(), { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    assert.deepEqual(out.spec.template.spec.containers.map((c: any) => c.name), ['app']);
  });
  it('replaces a list with a {$patch: replace} item and a map with $patch: replace', () => {
    const out = sp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } } } });
    assert.deepEqual(out.spec.template.spec.containers, [{ name: 'only', image: 'o:1' }]);
    const out2 = sp(deployment(), { spec: { template: { $patch: 'replace', spec: { containers: [] } } } });
    assert.deepEqual(out2.spec.template, { spec: { containers: [] } });
  });
  it('deletes a map with $patch: delete and a field with null', () => {
    const out = sp(deployment(), { spec: { template: { $patch: 'delete' }, replicas: null } });
    assert.deepEqual(out.spec, {});
  });
  it('merges finalizers as a set and removes with $deleteFromPrimitiveList', () => {
    assert.deepEqual(sp(deployment(), { metadata: { finalizers: ['b', 'a'] } }).metadata.finalizers, ['a', 'b']);
    assert.deepEqual(sp(deployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers, []);
  });
  it('orders items with $setElementOrder', () => {
    const out = sp(deployment(), { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } } } });
    assert.deepEqual(out.spec.template.spec.containers.map((c: any) => c.name), ['sidecar', 'app']);
  });
  it('honours $retainKeys', () => {
    const current = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const out = sp(current, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });
  it('merges Service ports by port and conditions by type', () => {
    const svc = { spec: { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] }, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
    const out = sp(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'True' }] } });
    assert.deepEqual(out.spec.ports, [{ port: 80, name: 'http' }, { port: 443, name: 'https', targetPort: 8443 }]);
    assert.deepEqual(out.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'True' }]);
  });
  it('answers 400 for an item without its merge key and for unknown directives', () => {
    for (const patch of [
      { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
      { spec: { $patch: 'explode' } },
      { spec: { $weird: 1 } },
      [1, 2],
    ]) {
      assert.throws(() => sp(deployment(), patch), (err: unknown) => err instanceof PatchError && err.status === 400);
    }
  });
});
