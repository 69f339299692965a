import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, PatchError, recordUpdateOwnership } from '../../../src/testing/patch/index.js';

const now = new Date('2026-01-02T03:04:05.678Z');
const apply = (current: object | undefined, intent: unknown, fieldManager = 'ctrl', force = false) =>
  applyPatch({ type: 'apply', current, patch: intent, fieldManager, force, now }) as any;
const intent = (data: Record<string, string>, extra: object = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', ...extra }, data });
const managers = (obj: any) => obj.metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`);

describe('server-side apply', () => {
  it('creates from YAML and records an Apply entry with FieldsV1', () => {
    const out = apply(undefined, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {app: x}\ndata:\n  a: "1"\n');
    assert.deepEqual(out.data, { a: '1' });
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'ctrl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:data': { 'f:a': {} } },
      },
    ]);
  });
  it('requires a field manager, apiVersion and kind, and a YAML object', () => {
    assert.throws(
      () => applyPatch({ type: 'apply', current: undefined, patch: intent({ a: '1' }) }),
      (err: unknown) => err instanceof PatchError && err.status === 422 && /fieldManager: Required value/.test(err.message),
    );
    const cases: Array<[unknown, string | undefined]> = [
      [{ metadata: { name: 'cm' } }, 'ctrl'],
      ['- a\n- b\n', 'ctrl'],
      ['a: [unclosed', 'ctrl'],
    ];
    for (const [body, manager] of cases) {
      assert.throws(
        () => applyPatch({ type: 'apply', current: undefined, patch: body, fieldManager: manager }),
        (err: unknown) => err instanceof PatchError && err.status === 400,
      );
    }
  });
  it('re-applying the same intent changes nothing but the time', () => {
    const first = apply(undefined, intent({ a: '1' }));
    const second = apply(first, intent({ a: '1' }));
    assert.deepEqual(second, first);
  });
  it('removes fields it no longer sets and keeps fields set by others', () => {
    const created = apply(undefined, intent({ a: '1', b: '2' }, { labels: { mine: 'y' } }));
    const edited = applyPatch({ type: 'merge', current: created, patch: { data: { c: '3' } }, fieldManager: 'kubectl-edit', now }) as any;
    const out = apply(edited, intent({ a: '1' }));
    assert.deepEqual(out.data, { a: '1', c: '3' });
    assert.equal(out.metadata.labels, undefined, 'an emptied labels map is pruned');
    assert.deepEqual(managers(out), ['ctrl/Apply', 'kubectl-edit/Update']);
  });
  it('conflicts with 409 when another manager owns a field it would change', () => {
    const created = apply(undefined, intent({ a: '1' }));
    const other = apply(created, intent({ b: '1' }), 'other');
    const err = (() => {
      try {
        apply(other, intent({ b: '2' }));
      } catch (e) {
        return e as PatchError;
      }
      assert.fail('expected a conflict');
    })();
    assert.equal(err.status, 409);
    assert.equal(err.reason, 'Conflict');
    assert.match(err.message, /Apply failed with 1 conflict:\n- conflict with "other": \.data\.b/);
    assert.deepEqual(err.causes, [{ type: 'FieldManagerConflict', message: 'conflict with "other"', field: '.data.b' }]);
  });
  it('does not conflict when the other manager already has the same value (shared ownership)', () => {
    const created = apply(undefined, intent({ a: '1' }));
    const shared = apply(created, intent({ a: '1' }), 'other');
    const out = apply(shared, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    assert.deepEqual(out.data, { a: '1' }, 'still owned by other, so not removed');
    assert.deepEqual(managers(out), ['other/Apply']);
  });
  it('takes a field over with force and strips it from the old owner', () => {
    const created = apply(undefined, intent({ a: '1', b: '1' }), 'other');
    const out = apply(created, intent({ a: '2' }), 'ctrl', true);
    assert.deepEqual(out.data, { a: '2', b: '1' });
    const otherEntry = out.metadata.managedFields.find((e: any) => e.manager === 'other');
    assert.deepEqual(otherEntry.fieldsV1, { 'f:data': { 'f:b': {} } });
  });
  it('conflicts with Update managers too, naming their apiVersion', () => {
    const created = apply(undefined, intent({ a: '1' }));
    const updated = applyPatch({ type: 'json', current: created, patch: [{ op: 'add', path: '/data/x', value: 'u' }], fieldManager: 'kubectl', now });
    assert.throws(() => apply(updated, intent({ a: '1', x: 'mine' })), /conflict with "kubectl" using v1: \.data\.x/);
  });
  it('merges keyed lists by key and removes only its own items', () => {
    const dep = (containers: object[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers } } } });
    const created = apply(undefined, dep([{ name: 'app', image: 'a:1' }]));
    assert.deepEqual(created.metadata.managedFields[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers'], {
      'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} },
    });
    const withSidecar = apply(created, dep([{ name: 'side', image: 's:1' }]), 'injector');
    assert.deepEqual(withSidecar.spec.template.spec.containers.map((c: any) => c.name), ['app', 'side']);
    const updated = apply(withSidecar, dep([{ name: 'app', image: 'a:2' }]));
    assert.deepEqual(updated.spec.template.spec.containers, [{ name: 'app', image: 'a:2' }, { name: 'side', image: 's:1' }]);
    const removed = apply(updated, dep([{ name: 'app2', image: 'b:1' }]));
    assert.deepEqual(removed.spec.template.spec.containers.map((c: any) => c.name), ['side', 'app2']);
  });
  it('checks a resourceVersion given in the intent', () => {
    const created = { ...apply(undefined, intent({ a: '1' })) };
    created.metadata = { ...created.metadata, resourceVersion: '7' };
    assert.equal(apply(created, intent({ a: '2' }, { resourceVersion: '7' })).data.a, '2');
    assert.throws(() => apply(created, intent({ a: '2' }, { resourceVersion: '6' })), (e: unknown) => e instanceof PatchError && e.status === 409);
  });
  it('ignores server-owned metadata in the intent and treats null as unset', () => {
    const out = apply(undefined, { ...intent({ a: '1' }, { uid: 'forged', generation: 9 }), spec: { x: null } });
    assert.equal(out.metadata.uid, undefined);
    assert.equal(out.metadata.generation, undefined);
    assert.deepEqual(out.spec, {});
  });
});

describe('recordUpdateOwnership', () => {
  it('gives changed fields to the updater and takes them from others', () => {
    const created = apply(undefined, intent({ a: '1', b: '1' }));
    const next = { ...created, data: { a: '2', b: '1', c: '3' } };
    const out = recordUpdateOwnership({ previous: created, next, manager: 'edit', now }) as any;
    const byManager = Object.fromEntries(out.metadata.managedFields.map((e: any) => [e.manager, e.fieldsV1]));
    assert.deepEqual(byManager.ctrl, { 'f:data': { 'f:b': {} } });
    assert.deepEqual(byManager.edit, { 'f:data': { 'f:a': {}, 'f:c': {} } });
  });
  it('drops ownership of removed fields and entries that own nothing', () => {
    const created = apply(undefined, intent({ a: '1' }));
    const out = recordUpdateOwnership({ previous: created, next: { ...created, data: {} }, manager: 'edit', now }) as any;
    assert.deepEqual(out.metadata.managedFields.map((e: any) => e.manager), ['edit']);
  });
  it('records everything on create', () => {
    const out = recordUpdateOwnership({ previous: undefined, next: intent({ a: '1' }), manager: 'kubectl-create', now }) as any;
    assert.deepEqual(out.metadata.managedFields[0].fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
    assert.equal(out.metadata.managedFields[0].operation, 'Update');
  });
});
