import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { ValidationError } from '../../../src/errors.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../../src/runtime/helpers/finalizers.js';
import { AlreadyOwnedError, requestForOwner, setControllerReference, setOwnerReference } from '../../../src/runtime/helpers/owner-references.js';
import { findStatusCondition, isStatusConditionTrue, removeStatusCondition, setStatusCondition } from '../../../src/runtime/helpers/conditions.js';
import type { Condition } from '../../../src/runtime/types.js';

const owner = (name = 'web', uid = 'uid-1', kind = 'Memcached'): KubernetesObject => ({
  apiVersion: 'cache.example.com/v1alpha1', kind, metadata: { name, namespace: 'default', uid },
});

test('finalizers: add is idempotent, remove reports change', () => {
  const obj: KubernetesObject = { metadata: { name: 'x' } };
  assert.equal(hasFinalizer(obj, 'a/b'), false);
  assert.equal(addFinalizer(obj, 'a/b'), true);
  assert.equal(addFinalizer(obj, 'a/b'), false);
  assert.deepEqual(obj.metadata?.finalizers, ['a/b']);
  assert.equal(addFinalizer(obj, 'c/d'), true);
  assert.equal(removeFinalizer(obj, 'a/b'), true);
  assert.equal(removeFinalizer(obj, 'a/b'), false);
  assert.deepEqual(obj.metadata?.finalizers, ['c/d']);
  const bare: KubernetesObject = {};
  assert.equal(addFinalizer(bare, 'z'), true);
  assert.deepEqual(bare.metadata?.finalizers, ['z']);
});

test('setControllerReference sets a controlling reference once and maps back to the owner', () => {
  const child: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'default' } };
  setControllerReference(owner(), child);
  setControllerReference(owner(), child); // idempotent
  assert.deepEqual(child.metadata?.ownerReferences, [
    { apiVersion: 'cache.example.com/v1alpha1', kind: 'Memcached', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(requestForOwner(child, { group: 'cache.example.com', kind: 'Memcached', namespaced: true }), [{ namespace: 'default', name: 'web' }]);
  assert.deepEqual(requestForOwner(child, { group: 'other.example.com', kind: 'Memcached', namespaced: true }), [], 'group must match');
  assert.deepEqual(requestForOwner(child, { group: 'cache.example.com', kind: 'Redis', namespaced: true }), [], 'kind must match');
});

test('setControllerReference refuses a second controller, bad owners and cross-namespace owners', () => {
  const child: KubernetesObject = { metadata: { name: 'c', namespace: 'default' } };
  setControllerReference(owner(), child);
  assert.throws(() => setControllerReference(owner('other', 'uid-2'), child), AlreadyOwnedError);
  assert.throws(() => setControllerReference({ kind: 'X', metadata: { name: 'n' } }, child), (e: unknown) => e instanceof ValidationError && /apiVersion.*metadata\.uid/.test(e.message));
  const elsewhere: KubernetesObject = { metadata: { name: 'c', namespace: 'prod' } };
  assert.throws(() => setControllerReference(owner(), elsewhere), /namespace "default" but the child is in "prod"/);
  const clusterOwner: KubernetesObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', uid: 'u' } };
  setOwnerReference(clusterOwner, elsewhere);
  assert.equal(elsewhere.metadata?.ownerReferences?.[0].controller, undefined);
});

test('setStatusCondition keeps lastTransitionTime while the status stays, changes it on a flip, and says whether anything changed', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  const status: { conditions?: Condition[] } = {};
  assert.equal(setStatusCondition(status, { type: 'Available', status: 'False', reason: 'Starting', message: 'pods starting' }, clock), true, 'a new type is a change');
  const conds = () => status.conditions!;
  assert.equal(conds()[0].lastTransitionTime, '2026-01-01T00:00:00Z');
  await clock.advance(60_000);
  assert.equal(setStatusCondition(status, { type: 'Available', status: 'False', reason: 'Starting', message: 'pods starting' }, clock), false, 'the same condition again is no change');
  assert.equal(conds()[0].lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(setStatusCondition(status, { type: 'Available', status: 'False', reason: 'Waiting', message: '1/3 ready', observedGeneration: 2 }, clock), true, 'reason, message and generation are changes');
  assert.equal(conds()[0].lastTransitionTime, '2026-01-01T00:00:00Z', 'status unchanged: lastTransitionTime kept');
  assert.equal(conds()[0].reason, 'Waiting');
  assert.equal(conds()[0].observedGeneration, 2);
  assert.equal(setStatusCondition(status, { type: 'Available', status: 'False', reason: 'Waiting', message: '1/3 ready', observedGeneration: 3 }, clock), true, 'observedGeneration alone is a change');
  await clock.advance(60_000);
  assert.equal(setStatusCondition(status, { type: 'Available', status: 'True', reason: 'Waiting', message: '1/3 ready', observedGeneration: 3 }, clock), true, 'status alone is a change');
  assert.equal(conds()[0].lastTransitionTime, '2026-01-01T00:02:00Z');
  assert.equal(setStatusCondition(status, { type: 'Degraded', status: 'False', reason: 'OK', message: '', lastTransitionTime: '2025-12-31T00:00:00Z' }, clock), true);
  assert.equal(conds().length, 2);
  assert.equal(findStatusCondition(conds(), 'Degraded')?.lastTransitionTime, '2025-12-31T00:00:00Z');
  assert.equal(isStatusConditionTrue(conds(), 'Available'), true);
  assert.equal(findStatusCondition(conds(), 'Missing'), undefined);
  assert.throws(() => setStatusCondition(status, { type: 'X', status: 'Yes' as 'True', reason: 'r', message: '' }), /status "Yes"/);
  assert.equal(conds().length, 2, 'a refused condition changes nothing');
  assert.equal(removeStatusCondition(status, 'Missing'), false, 'removing an absent type is no change');
  assert.equal(removeStatusCondition(status, 'Available'), true);
  assert.deepEqual(conds().map((c) => c.type), ['Degraded'], 'removed in place');
  assert.equal(removeStatusCondition({}, 'Available'), false, 'a holder without conditions');
  assert.throws(
    () => removeStatusCondition(conds() as unknown as { conditions?: Condition[] }, 'Degraded'),
    (e: unknown) => e instanceof ValidationError && /removeStatusCondition needs/.test(e.message) && /removeStatusCondition\(\(obj\.status \?\?= \{\}\), type\)/.test(e.hint ?? ''),
  );
  assert.throws(
    () => setStatusCondition(conds() as unknown as { conditions?: Condition[] }, { type: 'X', status: 'True', reason: 'r', message: '' }),
    (e: unknown) => e instanceof ValidationError && /got an array/.test(e.message) && /obj\.status/.test(e.hint ?? ''),
  );
});
