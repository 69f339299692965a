import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_KINDS } from '../../../src/testing/server/builtin-kinds-table.js';
import { registerBuiltinResources } from '../../../src/testing/server/builtin-kinds.js';
import { apiResourceList } from '../../../src/testing/server/discovery.js';
import { coreEventHooks, eventsV1View } from '../../../src/testing/server/event-views.js';
import { generationInput } from '../../../src/testing/server/generation.js';
import { ResourceRegistry, groupResourceOf } from '../../../src/testing/server/registry.js';
import { crdScalePaths, formatLabelSelector, scaleOf } from '../../../src/testing/server/scale.js';
import { parseFieldSelector } from '../../../src/testing/server/selectors.js';

describe('built-in kinds table', () => {
  it('has one row per group and plural, with a preferred version and lower-case plurals', () => {
    const keys = BUILTIN_KINDS.map((r) => `${r.plural}.${r.group}`);
    assert.equal(new Set(keys).size, keys.length, 'duplicate rows');
    for (const row of BUILTIN_KINDS) {
      assert.ok(row.versions.length > 0, row.kind);
      assert.match(row.plural, /^[a-z]+$/, row.kind);
    }
  });

  it('registers every row; the two Event resources share one storage', () => {
    const registry = new ResourceRegistry();
    registerBuiltinResources(registry);
    assert.equal(registry.all().length, BUILTIN_KINDS.length);
    const core = registry.lookup('', 'v1', 'events')!;
    const v1 = registry.lookup('events.k8s.io', 'v1', 'events')!;
    assert.notEqual(core, v1);
    assert.equal(groupResourceOf(core), 'events');
    assert.equal(groupResourceOf(v1), 'events');
    assert.equal(registry.lookup('apps', 'v1', 'statefulsets')?.tracksGeneration, true);
    assert.equal(registry.lookup('', 'v1', 'pods')?.tracksGeneration, false);
    assert.equal(registry.lookup('autoscaling', 'v2', 'horizontalpodautoscalers')?.tracksGeneration, false);
  });

  it('discovery lists scale before status, with the Scale group/version, and no deletecollection on namespaces', () => {
    const registry = new ResourceRegistry();
    registerBuiltinResources(registry);
    const apps = (apiResourceList(registry, 'apps', 'v1') as { resources: Array<Record<string, any>> }).resources.map((r) => r.name);
    assert.deepEqual(apps.filter((n) => n.startsWith('deployments')), ['deployments', 'deployments/scale', 'deployments/status']);
    const core = (apiResourceList(registry, '', 'v1') as { resources: Array<Record<string, any>> }).resources;
    assert.ok(!core.find((r) => r.name === 'namespaces')!.verbs.includes('deletecollection'));
    assert.ok(core.find((r) => r.name === 'pods')!.verbs.includes('deletecollection'));
  });
});

describe('generation input', () => {
  const deployment = { generation: { fields: ['spec', 'metadata.annotations'] }, statusSubresource: true };
  it('counts only the listed fields for built-in kinds', () => {
    const a = { metadata: { labels: { a: '1' }, annotations: { x: '1' } }, spec: { replicas: 1 }, status: { ready: 1 } };
    assert.deepEqual(generationInput(deployment, a), generationInput(deployment, { ...a, metadata: { ...a.metadata, labels: {} }, status: {} }));
    assert.notDeepEqual(generationInput(deployment, a), generationInput(deployment, { ...a, metadata: { annotations: { x: '2' } } }));
    const webhooks = { generation: { fields: ['webhooks'] }, statusSubresource: false };
    assert.deepEqual(generationInput(webhooks, { metadata: {}, webhooks: [1] }), [[1]]);
  });
  it('counts everything but metadata (and status when a subresource) for custom resources', () => {
    assert.deepEqual(generationInput({ statusSubresource: true }, { metadata: { name: 'x' }, spec: { a: 1 }, status: { b: 2 }, extra: 3 }), { spec: { a: 1 }, extra: 3 });
  });
});

describe('scale', () => {
  it('formats label selectors like the real server: sorted by key, set values sorted', () => {
    assert.equal(formatLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'c', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist' }, { key: 'e', operator: 'NotIn', values: ['x'] }] }),
      'a=1,b=2,c,!d,e notin (x),env in (dev,prod)');
    assert.equal(formatLabelSelector('app=x'), 'app=x');
    assert.equal(formatLabelSelector(undefined), '');
    assert.equal(formatLabelSelector({}), '');
  });
  it('builds a Scale from the declared paths; missing counts read as 0', () => {
    const obj = { metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '7', creationTimestamp: 't', labels: { no: 'pe' } }, spec: { size: 3 }, status: { selector: 'app=p' } };
    assert.deepEqual(scaleOf(obj, { specReplicasPath: '.spec.size', statusReplicasPath: '.status.ready', labelSelectorPath: '.status.selector' }), {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '7', creationTimestamp: 't' },
      spec: { replicas: 3 }, status: { replicas: 0, selector: 'app=p' },
    });
  });
  it('reads a CRD\'s scale paths per served version and ignores versions without them', () => {
    const paths = crdScalePaths([
      { name: 'v1', subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } },
      { name: 'v2', subresources: { status: {} } },
    ]);
    assert.deepEqual([...paths!.keys()], ['v1']);
    assert.equal(crdScalePaths([{ name: 'v1' }]), undefined);
  });
});

describe('events.k8s.io view of core Events', () => {
  const v1 = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, note: 'n', regarding: { kind: 'Pod', name: 'p' },
    reportingController: 'c', reportingInstance: 'i', deprecatedCount: 2, deprecatedSource: { component: 'k' },
    deprecatedFirstTimestamp: 'f', deprecatedLastTimestamp: 'l', reason: 'R', type: 'Normal', eventTime: 't', action: 'A',
  };
  it('maps every renamed field both ways and round-trips', () => {
    const stored = eventsV1View.toStored(v1);
    assert.deepEqual(stored, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, message: 'n', involvedObject: { kind: 'Pod', name: 'p' },
      reportingComponent: 'c', reportingInstance: 'i', count: 2, source: { component: 'k' }, firstTimestamp: 'f', lastTimestamp: 'l',
      reason: 'R', type: 'Normal', eventTime: 't', action: 'A',
    });
    assert.deepEqual(eventsV1View.fromStored(stored, 'events.k8s.io/v1', 'Event'), v1);
  });
  it('stores the fields core/v1 always prints, and the v1 view omits empty reporting strings', () => {
    const stored = eventsV1View.toStored({ metadata: { name: 'e' }, note: 'n' });
    assert.deepEqual([stored.source, stored.firstTimestamp, stored.lastTimestamp, stored.eventTime, stored.reportingComponent, stored.reportingInstance], [{}, null, null, null, '', '']);
    const viewed = eventsV1View.fromStored(stored, 'events.k8s.io/v1', 'Event');
    assert.equal('reportingController' in viewed, false);
    assert.equal(viewed.eventTime, null);
    const core: Record<string, any> = { metadata: {}, reason: 'R', source: { component: 'k' } };
    coreEventHooks.prepare!(core, undefined, 'v1');
    assert.deepEqual(core.source, { component: 'k' });
    assert.equal(core.reportingComponent, '');
  });
  it('drops a core-only field sent through the v1 view rather than keeping a stale value', () => {
    assert.equal(eventsV1View.toStored({ metadata: {}, message: 'stale' }).message, undefined);
  });
  it('selects with v1 field labels on stored objects', () => {
    const selector = parseFieldSelector('regarding.name=p,reportingController=c', ['regarding.name', 'reportingController'], eventsV1View.storedField);
    assert.equal(selector.matches(eventsV1View.toStored(v1)), true);
    assert.equal(selector.matches(eventsV1View.toStored({ ...v1, reportingController: 'other' })), false);
  });
});
