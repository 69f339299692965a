import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchWebhook, type AdmissionAttributes } from '../../../../src/testing/server/admission/webhook-match.js';
import type { ServedResource } from '../../../../src/testing/server/registry.js';

const pods = { group: '', versions: ['v1'], kind: 'Pod', plural: 'pods', namespaced: true } as ServedResource;
const widgets = { group: 'example.com', versions: ['v2', 'v1'], kind: 'Widget', plural: 'widgets', namespaced: false } as ServedResource;

function attrs(over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return { resource: pods, version: 'v1', operation: 'CREATE', namespace: 'ns', object: { metadata: { labels: { app: 'a' } } }, dryRun: false, options: {}, ...over };
}
const rule = (resources: string[], over: object = {}) => ({ rules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources, ...over }] });
const labels = (l: Record<string, string> | undefined) => () => l;
const matches = (webhook: object, a: AdmissionAttributes = attrs(), ns: Record<string, string> | undefined = {}) => matchWebhook(webhook, a, labels(ns));

describe('matchWebhook', () => {
  it('reads resources as the real server does: `*` is every resource but no subresource, `pods/*` every pods subresource', () => {
    assert.ok(matches(rule(['*'])));
    assert.equal(matches(rule(['*']), attrs({ subresource: 'status' })), undefined);
    assert.ok(matches(rule(['*/*']), attrs({ subresource: 'status' })));
    assert.ok(matches(rule(['pods/*']), attrs({ subresource: 'status' })));
    assert.equal(matches(rule(['pods/*'])), undefined);
    assert.ok(matches(rule(['*/status']), attrs({ subresource: 'status' })));
    assert.ok(matches(rule(['pods/status']), attrs({ subresource: 'status' })));
    assert.equal(matches(rule(['pods/status'])), undefined);
    assert.equal(matches(rule(['configmaps'])), undefined);
  });

  it('checks operations, groups and scope', () => {
    assert.equal(matches(rule(['pods'], { operations: ['UPDATE'] })), undefined);
    assert.ok(matches(rule(['pods'], { operations: ['CREATE', 'UPDATE'] })));
    assert.equal(matches(rule(['pods'], { apiGroups: ['apps'] })), undefined);
    assert.equal(matches(rule(['pods'], { scope: 'Cluster' })), undefined);
    assert.ok(matches(rule(['pods'], { scope: 'Namespaced' })));
  });

  it('matches another served version under matchPolicy Equivalent (the default) and sends that version; not under Exact', () => {
    const onV1 = rule(['widgets'], { apiVersions: ['v1'] });
    const a = attrs({ resource: widgets, version: 'v2', namespace: undefined });
    assert.deepEqual(matches(onV1, a), { version: 'v1' });
    assert.equal(matches({ ...onV1, matchPolicy: 'Exact' }, a), undefined);
    assert.deepEqual(matches({ ...rule(['widgets']), matchPolicy: 'Exact' }, a), { version: 'v2' });
  });

  it('applies the namespaceSelector to the namespace\'s labels and the objectSelector to the new or the old object', () => {
    const hook = { ...rule(['pods']), namespaceSelector: { matchLabels: { team: 'a' } } };
    assert.ok(matches(hook, attrs(), { team: 'a' }));
    assert.equal(matches(hook, attrs(), { team: 'b' }), undefined);
    assert.equal(matches(hook, attrs(), undefined), undefined);
    // Cluster-scoped objects are not filtered by namespaceSelector.
    assert.ok(matches({ ...hook, ...rule(['*']) }, attrs({ resource: widgets, version: 'v2', namespace: undefined }), { team: 'b' }));
    const byObject = { ...rule(['pods']), objectSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] } };
    assert.ok(matches(byObject));
    assert.equal(matches(byObject, attrs({ object: { metadata: {} } })), undefined);
    assert.ok(matches(byObject, attrs({ operation: 'UPDATE', object: { metadata: {} }, oldObject: { metadata: { labels: { app: 'a' } } } })));
    assert.ok(matches(byObject, attrs({ operation: 'DELETE', object: undefined, oldObject: { metadata: { labels: { app: 'a' } } } })));
  });
});
