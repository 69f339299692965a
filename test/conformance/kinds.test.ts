import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, kubectlOk, rawRequest, uniqueSuffix } from './helpers.js';
import { installCrd, removeCrd } from './crd-fixture.js';

// Minimal objects a v1.32 server accepts (required fields set), one per served kind.
const container = { name: 'app', image: 'registry.invalid/app:1' };
const podTemplate = (labels: Record<string, string>, restartPolicy?: string) => ({
  metadata: { labels },
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [container] },
});

interface KindCase {
  path: string;
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  body: (ns: string) => object;
}

const NAMESPACED: KindCase[] = [
  { path: '/api/v1', apiVersion: 'v1', kind: 'Pod', namespaced: true, body: () => ({ spec: { containers: [container] } }) },
  { path: '/api/v1', apiVersion: 'v1', kind: 'Service', namespaced: true, body: () => ({ spec: { ports: [{ port: 80 }] } }) },
  { path: '/api/v1', apiVersion: 'v1', kind: 'Endpoints', namespaced: true, body: () => ({ subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }) },
  { path: '/api/v1', apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespaced: true, body: () => ({ spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }) },
  { path: '/api/v1', apiVersion: 'v1', kind: 'LimitRange', namespaced: true, body: () => ({ spec: { limits: [{ type: 'Container', default: { cpu: '100m' } }] } }) },
  { path: '/api/v1', apiVersion: 'v1', kind: 'ResourceQuota', namespaced: true, body: () => ({ spec: { hard: { pods: '10' } } }) },
  { path: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'StatefulSet', namespaced: true, body: () => ({ spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: podTemplate({ app: 'db' }) } }) },
  { path: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true, body: () => ({ spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate({ app: 'agent' }) } }) },
  { path: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'ReplicaSet', namespaced: true, body: () => ({ spec: { selector: { matchLabels: { app: 'rs' } }, template: podTemplate({ app: 'rs' }) } }) },
  { path: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'ControllerRevision', namespaced: true, body: () => ({ revision: 1, data: { spec: { template: {} } } }) },
  { path: '/apis/batch/v1', apiVersion: 'batch/v1', kind: 'Job', namespaced: true, body: () => ({ spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } }) },
  { path: '/apis/batch/v1', apiVersion: 'batch/v1', kind: 'CronJob', namespaced: true, body: () => ({ spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container] } } } } } }) },
  { path: '/apis/networking.k8s.io/v1', apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespaced: true, body: () => ({ spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } }) },
  { path: '/apis/networking.k8s.io/v1', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true, body: () => ({ spec: { podSelector: {} } }) },
  { path: '/apis/policy/v1', apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespaced: true, body: () => ({ spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }) },
  { path: '/apis/autoscaling/v2', apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespaced: true, body: () => ({ spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 } }) },
  { path: '/apis/rbac.authorization.k8s.io/v1', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespaced: true, body: () => ({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }) },
  { path: '/apis/rbac.authorization.k8s.io/v1', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespaced: true, body: (ns) => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }] }) },
];

const CLUSTER: KindCase[] = [
  { path: '/api/v1', apiVersion: 'v1', kind: 'PersistentVolume', namespaced: false, body: () => ({ spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/conformance' } } }) },
  { path: '/api/v1', apiVersion: 'v1', kind: 'Node', namespaced: false, body: () => ({}) },
  { path: '/apis/networking.k8s.io/v1', apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', namespaced: false, body: () => ({ spec: { controller: 'example.com/ingress' } }) },
  { path: '/apis/rbac.authorization.k8s.io/v1', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false, body: () => ({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] }) },
  { path: '/apis/rbac.authorization.k8s.io/v1', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false, body: () => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'nobody' }] }) },
  { path: '/apis/admissionregistration.k8s.io/v1', apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', namespaced: false, body: () => ({ webhooks: [] }) },
  { path: '/apis/admissionregistration.k8s.io/v1', apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', namespaced: false, body: () => ({ webhooks: [] }) },
  { path: '/apis/scheduling.k8s.io/v1', apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', namespaced: false, body: () => ({ value: 1000 }) },
  { path: '/apis/storage.k8s.io/v1', apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', namespaced: false, body: () => ({ provisioner: 'example.com/none' }) },
];

/** The plural of each kind above, as its REST path names it. */
const PLURALS: Record<string, string> = {
  Pod: 'pods', Service: 'services', Endpoints: 'endpoints', PersistentVolumeClaim: 'persistentvolumeclaims', LimitRange: 'limitranges',
  ResourceQuota: 'resourcequotas', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', ReplicaSet: 'replicasets',
  ControllerRevision: 'controllerrevisions', Job: 'jobs', CronJob: 'cronjobs', Ingress: 'ingresses', NetworkPolicy: 'networkpolicies',
  PodDisruptionBudget: 'poddisruptionbudgets', HorizontalPodAutoscaler: 'horizontalpodautoscalers', Role: 'roles', RoleBinding: 'rolebindings',
  PersistentVolume: 'persistentvolumes', Node: 'nodes', IngressClass: 'ingressclasses', ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings', MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
  ValidatingWebhookConfiguration: 'validatingwebhookconfigurations', PriorityClass: 'priorityclasses', StorageClass: 'storageclasses',
};

/** Kinds whose strategy sets metadata.generation (v1.32 pkg/registry/<group>/<kind>/strategy.go). */
const WITH_GENERATION = new Set(['StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget',
  'IngressClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'PriorityClass']);

describe('built-in kinds', () => {
  let target: ConformanceTarget;
  let ns: string;
  const suffix = uniqueSuffix();
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'kinds');
    // Pods need the namespace's `default` ServiceAccount (a real cluster's controller creates it, maybe not yet).
    const sa = await rawRequest(target, { method: 'POST', path: `/api/v1/namespaces/${ns}/serviceaccounts`, body: JSON.stringify({ metadata: { name: 'default' } }), contentType: 'application/json' });
    assert.ok(sa.status === 201 || sa.status === 409, sa.text);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  for (const c of [...NAMESPACED, ...CLUSTER]) {
    it(`creates, reads, lists and deletes a ${c.kind}`, async () => {
      const plural = PLURALS[c.kind]!;
      const collection = c.namespaced ? `${c.path}/namespaces/${ns}/${plural}` : `${c.path}/${plural}`;
      const name = c.namespaced ? 'sample' : `conf-kinds-${suffix}`;
      const body = { apiVersion: c.apiVersion, kind: c.kind, metadata: { name }, ...c.body(ns) };
      const created = await rawRequest(target, { method: 'POST', path: collection, body: JSON.stringify(body), contentType: 'application/json' });
      assert.equal(created.status, 201, `create ${c.kind}: ${created.text}`);
      assert.equal(created.json.apiVersion, c.apiVersion);
      assert.equal(created.json.kind, c.kind);
      assert.equal(created.json.metadata.generation, WITH_GENERATION.has(c.kind) ? 1 : undefined, `generation of a new ${c.kind}`);
      const read = await rawRequest(target, { method: 'GET', path: `${collection}/${name}` });
      assert.equal(read.status, 200);
      assert.equal(read.json.metadata.uid, created.json.metadata.uid);
      const list = await rawRequest(target, { method: 'GET', path: collection });
      assert.equal(list.json.kind, `${c.kind}List`);
      const item = list.json.items.find((i: any) => i.metadata.name === name);
      assert.ok(item, `${name} listed`);
      // Typed list items carry no TypeMeta on a real server (clients fill it from the list's kind).
      assert.equal(item.kind, undefined);
      assert.equal(item.apiVersion, undefined);
      const deleted = await rawRequest(target, { method: 'DELETE', path: `${collection}/${name}` });
      assert.ok(deleted.status === 200 || deleted.status === 202, `delete ${c.kind}: ${deleted.text}`);
    });
  }

  it('bumps a StatefulSet\'s generation on spec changes only, and a Deployment\'s on annotation changes too', async () => {
    const apps = target.kubeConfig.makeApiClient(AppsV1Api);
    const mergePatch = async (path: string, body: object) => {
      const res = await rawRequest(target, { method: 'PATCH', path, body: JSON.stringify(body), contentType: 'application/merge-patch+json' });
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    const base = `/apis/apps/v1/namespaces/${ns}`;
    await apps.createNamespacedStatefulSet({ namespace: ns, body: { metadata: { name: 'gen' }, spec: { serviceName: 'gen', selector: { matchLabels: { app: 'gen' } }, template: podTemplate({ app: 'gen' }) } } });
    const labelled = await mergePatch(`${base}/statefulsets/gen`, { metadata: { labels: { a: 'b' }, annotations: { x: 'y' } } });
    assert.equal(labelled.metadata.generation, 1);
    const scaled = await mergePatch(`${base}/statefulsets/gen`, { spec: { replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    await apps.createNamespacedDeployment({ namespace: ns, body: { metadata: { name: 'gen' }, spec: { selector: { matchLabels: { app: 'gen' } }, template: podTemplate({ app: 'gen' }) } } });
    const annotated = await mergePatch(`${base}/deployments/gen`, { metadata: { annotations: { x: 'y' } } });
    assert.equal(annotated.metadata.generation, 2);
  });

  describe('discovery', () => {
    it('lists each kind with its shortNames, categories and verbs', async () => {
      const rows = async (path: string) => new Map<string, any>((await rawRequest(target, { method: 'GET', path })).json.resources.map((r: any) => [r.name, r]));
      const core = await rows('/api/v1');
      assert.deepEqual(core.get('pods').shortNames, ['po']);
      assert.deepEqual(core.get('pods').categories, ['all']);
      assert.deepEqual(core.get('persistentvolumeclaims').shortNames, ['pvc']);
      assert.deepEqual(core.get('limitranges').shortNames, ['limits']);
      assert.deepEqual(core.get('resourcequotas').shortNames, ['quota']);
      assert.equal(core.get('nodes').namespaced, false);
      assert.deepEqual(core.get('namespaces').verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
      assert.deepEqual(core.get('endpoints').verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
      assert.ok(core.has('pods/status'));
      assert.ok(!core.has('endpoints/status'));
      const apps = await rows('/apis/apps/v1');
      assert.deepEqual(apps.get('statefulsets').shortNames, ['sts']);
      assert.deepEqual(apps.get('daemonsets').categories, ['all']);
      const scale = apps.get('deployments/scale');
      assert.equal(scale.group, 'autoscaling');
      assert.equal(scale.version, 'v1');
      assert.equal(scale.kind, 'Scale');
      assert.deepEqual(scale.verbs, ['get', 'patch', 'update']);
      assert.ok(apps.has('statefulsets/scale') && apps.has('replicasets/scale'));
      assert.ok(!apps.has('daemonsets/scale'));
      assert.deepEqual((await rows('/apis/batch/v1')).get('cronjobs').shortNames, ['cj']);
      assert.deepEqual((await rows('/apis/networking.k8s.io/v1')).get('networkpolicies').shortNames, ['netpol']);
      assert.deepEqual((await rows('/apis/policy/v1')).get('poddisruptionbudgets').shortNames, ['pdb']);
      assert.deepEqual((await rows('/apis/autoscaling/v2')).get('horizontalpodautoscalers').shortNames, ['hpa']);
      assert.deepEqual((await rows('/apis/admissionregistration.k8s.io/v1')).get('validatingwebhookconfigurations').categories, ['api-extensions']);
      assert.deepEqual((await rows('/apis/scheduling.k8s.io/v1')).get('priorityclasses').shortNames, ['pc']);
      assert.deepEqual((await rows('/apis/storage.k8s.io/v1')).get('storageclasses').shortNames, ['sc']);
    });

    it('kubectl api-resources shows the rows of these groups', async () => {
      const out = await kubectlOk(target, ['api-resources', '--no-headers']);
      const lines = out.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
      for (const row of [
        'pods po v1 true Pod', 'statefulsets sts apps/v1 true StatefulSet', 'cronjobs cj batch/v1 true CronJob',
        'jobs batch/v1 true Job', 'roles rbac.authorization.k8s.io/v1 true Role', 'clusterroles rbac.authorization.k8s.io/v1 false ClusterRole',
        'ingresses ing networking.k8s.io/v1 true Ingress', 'horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler',
        'events ev events.k8s.io/v1 true Event', 'priorityclasses pc scheduling.k8s.io/v1 false PriorityClass',
      ]) {
        assert.ok(lines.includes(row), `kubectl api-resources has no row "${row}"`);
      }
    });
  });

  describe('scale subresource', () => {
    const deployment = (name: string) => ({ metadata: { name }, spec: { replicas: 1, selector: { matchLabels: { app: name }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, template: podTemplate({ app: name, tier: 'web' }) } });

    it('reads and writes a Deployment\'s replicas through autoscaling/v1 Scale', async () => {
      const apps = target.kubeConfig.makeApiClient(AppsV1Api);
      await apps.createNamespacedDeployment({ namespace: ns, body: deployment('scaled') });
      const scale = await apps.readNamespacedDeploymentScale({ name: 'scaled', namespace: ns });
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.apiVersion, 'autoscaling/v1');
      assert.equal(scale.spec?.replicas, 1);
      // status.replicas is whatever the deployment controller has counted so far (a real cluster runs one).
      assert.equal(typeof scale.status?.replicas, 'number');
      assert.equal(scale.status?.selector, 'app=scaled,tier in (api,web)');
      const replaced = await apps.replaceNamespacedDeploymentScale({ name: 'scaled', namespace: ns, body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'scaled', namespace: ns }, spec: { replicas: 4 } } });
      assert.equal(replaced.spec?.replicas, 4);
      const read = await apps.readNamespacedDeployment({ name: 'scaled', namespace: ns });
      assert.equal(read.spec?.replicas, 4);
      assert.equal(read.metadata?.generation, 2);
    });

    it('kubectl scale works on a StatefulSet and a ReplicaSet', async () => {
      const apps = target.kubeConfig.makeApiClient(AppsV1Api);
      await apps.createNamespacedStatefulSet({ namespace: ns, body: { metadata: { name: 'kscale' }, spec: { serviceName: 'kscale', selector: { matchLabels: { app: 'kscale' } }, template: podTemplate({ app: 'kscale' }) } } });
      assert.match(await kubectlOk(target, ['scale', 'statefulset', 'kscale', '-n', ns, '--replicas=3']), /scaled/);
      assert.equal((await apps.readNamespacedStatefulSet({ name: 'kscale', namespace: ns })).spec?.replicas, 3);
      await apps.createNamespacedReplicaSet({ namespace: ns, body: { metadata: { name: 'kscale' }, spec: { selector: { matchLabels: { app: 'kscale' } }, template: podTemplate({ app: 'kscale' }) } } });
      assert.match(await kubectlOk(target, ['scale', 'rs/kscale', '-n', ns, '--replicas=2']), /scaled/);
      assert.equal((await apps.readNamespacedReplicaSet({ name: 'kscale', namespace: ns })).spec?.replicas, 2);
    });

    it('answers errors like the real server: missing object, negative replicas, stale resourceVersion, no scale on DaemonSets', async () => {
      const base = `/apis/apps/v1/namespaces/${ns}/deployments`;
      const missing = await rawRequest(target, { method: 'GET', path: `${base}/nosuch/scale` });
      assert.equal(missing.status, 404);
      assertStatus(missing.json, 404, 'NotFound', /^deployments\/scale\.apps "nosuch" not found$/);
      await target.kubeConfig.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns, body: deployment('errs') });
      const negative = await rawRequest(target, { method: 'PATCH', path: `${base}/errs/scale`, body: '{"spec":{"replicas":-1}}', contentType: 'application/merge-patch+json' });
      assertStatus(negative.json, 422, 'Invalid', /^Scale\.autoscaling "errs" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0$/);
      const stale = await rawRequest(target, { method: 'PUT', path: `${base}/errs/scale`, body: JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'errs', namespace: ns, resourceVersion: '1' }, spec: { replicas: 2 } }), contentType: 'application/json' });
      assertStatus(stale.json, 409, 'Conflict', /^Operation cannot be fulfilled on deployments\.apps "errs": the object has been modified/);
      const ds = await rawRequest(target, { method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/daemonsets/any/scale` });
      assert.equal(ds.status, 404);
    });

    it('scales a custom resource through the paths its CRD declares', async () => {
      const group = `conf${uniqueSuffix()}.example.com`;
      const crdName = `pools.${group}`;
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crdName },
        spec: {
          group, scope: 'Namespaced', names: { plural: 'pools', singular: 'pool', kind: 'Pool', listKind: 'PoolList' },
          versions: [{
            name: 'v1', served: true, storage: true,
            subresources: { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.ready', labelSelectorPath: '.status.selector' } },
            schema: { openAPIV3Schema: { type: 'object', properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' } } },
              status: { type: 'object', properties: { ready: { type: 'integer' }, selector: { type: 'string' } } },
            } } },
          }],
        },
      };
      await installCrd(target, crd);
      try {
        const base = `/apis/${group}/v1/namespaces/${ns}/pools`;
        const created = await rawRequest(target, { method: 'POST', path: base, body: JSON.stringify({ apiVersion: `${group}/v1`, kind: 'Pool', metadata: { name: 'p' }, spec: { size: 2 } }), contentType: 'application/json' });
        assert.equal(created.status, 201, created.text);
        await rawRequest(target, { method: 'PATCH', path: `${base}/p/status`, body: '{"status":{"ready":1,"selector":"app=p"}}', contentType: 'application/merge-patch+json' });
        const scale = await rawRequest(target, { method: 'GET', path: `${base}/p/scale` });
        assert.equal(scale.status, 200, scale.text);
        assert.deepEqual({ spec: scale.json.spec, status: scale.json.status }, { spec: { replicas: 2 }, status: { replicas: 1, selector: 'app=p' } });
        assert.match(await kubectlOk(target, ['scale', `pools.${group}/p`, '-n', ns, '--replicas=5']), /scaled/);
        const listed = await rawRequest(target, { method: 'GET', path: base });
        assert.equal(listed.json.items[0].kind, 'Pool', 'custom resource list items keep their kind');
        const read = await rawRequest(target, { method: 'GET', path: `${base}/p` });
        assert.equal(read.json.spec.size, 5);
        assert.equal(read.json.metadata.generation, 2);
        const negative = await rawRequest(target, { method: 'PATCH', path: `${base}/p/scale`, body: '{"spec":{"replicas":-1}}', contentType: 'application/merge-patch+json' });
        assertStatus(negative.json, 422, 'Invalid', /^Pool\.conf[0-9a-f]+\.example\.com "p" is invalid: \.spec\.size: Invalid value: -1: should be a non-negative integer$/);
        // Without a value at specReplicasPath: GET is a 500, a patch that does not set replicas a 400.
        await rawRequest(target, { method: 'POST', path: base, body: JSON.stringify({ apiVersion: `${group}/v1`, kind: 'Pool', metadata: { name: 'empty' }, spec: {} }), contentType: 'application/json' });
        const unset = await rawRequest(target, { method: 'GET', path: `${base}/empty/scale` });
        assertStatus(unset.json, 500, 'InternalError', /the spec replicas field "\.spec\.size" does not exist/);
        const untouched = await rawRequest(target, { method: 'PATCH', path: `${base}/empty/scale`, body: '{"metadata":{"labels":{"a":"b"}}}', contentType: 'application/merge-patch+json' });
        assertStatus(untouched.json, 400, 'BadRequest', /^the spec replicas field "\.spec\.size" cannot be empty$/);
        const set = await rawRequest(target, { method: 'PATCH', path: `${base}/empty/scale`, body: '{"spec":{"replicas":0}}', contentType: 'application/merge-patch+json' });
        assert.equal(set.status, 200, set.text);
        assert.deepEqual(set.json.spec, {}, 'Scale.spec.replicas is omitempty');
        assert.equal((await rawRequest(target, { method: 'GET', path: `${base}/empty` })).json.spec.size, 0);
      } finally {
        await removeCrd(target.kubeConfig, crdName);
      }
    });
  });

  describe('Events', () => {
    it('serves one store as core/v1 and events.k8s.io/v1 with the field mapping', async () => {
      const v1Event = {
        apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'ev1' },
        eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'example.com/ctl', reportingInstance: 'ctl-1',
        action: 'Sync', reason: 'Synced', type: 'Normal', note: 'all good',
        regarding: { kind: 'Pod', name: 'web', namespace: ns }, related: { kind: 'Node', name: 'n1' },
      };
      const created = await rawRequest(target, { method: 'POST', path: `/apis/events.k8s.io/v1/namespaces/${ns}/events`, body: JSON.stringify(v1Event), contentType: 'application/json' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.json.note, 'all good');
      const core = await rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/events/ev1` });
      assert.equal(core.status, 200);
      assert.equal(core.json.apiVersion, 'v1');
      assert.equal(core.json.message, 'all good');
      assert.equal(core.json.reportingComponent, 'example.com/ctl');
      assert.equal(core.json.reportingInstance, 'ctl-1');
      assert.deepEqual(core.json.involvedObject, { kind: 'Pod', name: 'web', namespace: ns });
      assert.deepEqual(core.json.related, { kind: 'Node', name: 'n1' });
      assert.equal(core.json.note, undefined);
      assert.equal(core.json.regarding, undefined);
      // core/v1 prints these even when unset
      assert.deepEqual([core.json.source, core.json.firstTimestamp, core.json.lastTimestamp], [{}, null, null]);

      const coreEvent = {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev2' }, reason: 'Started', message: 'started it', type: 'Warning', count: 3,
        involvedObject: { kind: 'Pod', name: 'web', namespace: ns }, source: { component: 'kubelet', host: 'n1' },
        firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:01:00Z',
      };
      assert.equal((await rawRequest(target, { method: 'POST', path: `/api/v1/namespaces/${ns}/events`, body: JSON.stringify(coreEvent), contentType: 'application/json' })).status, 201);
      const viewed = await rawRequest(target, { method: 'GET', path: `/apis/events.k8s.io/v1/namespaces/${ns}/events/ev2` });
      assert.equal(viewed.json.apiVersion, 'events.k8s.io/v1');
      assert.equal(viewed.json.note, 'started it');
      assert.equal(viewed.json.deprecatedCount, 3);
      assert.deepEqual(viewed.json.deprecatedSource, { component: 'kubelet', host: 'n1' });
      assert.equal(viewed.json.deprecatedFirstTimestamp, '2026-01-01T00:00:00Z');
      assert.equal(viewed.json.deprecatedLastTimestamp, '2026-01-01T00:01:00Z');
      assert.deepEqual(viewed.json.regarding, { kind: 'Pod', name: 'web', namespace: ns });
      assert.equal(viewed.json.message, undefined);
      // events.k8s.io/v1 prints a null eventTime but omits empty reporting strings
      assert.equal(viewed.json.eventTime, null);
      assert.equal('reportingController' in viewed.json, false);
      const coreEv2 = await rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/events/ev2` });
      assert.deepEqual([coreEv2.json.eventTime, coreEv2.json.reportingComponent, coreEv2.json.reportingInstance], [null, '', '']);

      const watched = await rawRequest(target, { method: 'GET', path: `/apis/events.k8s.io/v1/namespaces/${ns}/events?watch=1&timeoutSeconds=1&resourceVersion=${created.json.metadata.resourceVersion}` });
      // A real cluster's controllers also report Events in this namespace: look at ours only.
      const ours = (name: string) => name === 'ev1' || name === 'ev2';
      const events = watched.text.trim().split('\n').map((line) => JSON.parse(line)).filter((e) => ours(e.object.metadata.name));
      assert.deepEqual(events.map((e) => [e.type, e.object.apiVersion, e.object.metadata.name, e.object.note]), [['ADDED', 'events.k8s.io/v1', 'ev2', 'started it']]);
      const selected = await rawRequest(target, { method: 'GET', path: `/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent('reportingController=example.com/ctl')}` });
      assert.deepEqual(selected.json.items.map((i: any) => i.metadata.name), ['ev1']);
      const both = await rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/events` });
      assert.deepEqual(both.json.items.map((i: any) => i.metadata.name).filter(ours).sort(), ['ev1', 'ev2']);
      const removed = await rawRequest(target, { method: 'DELETE', path: `/apis/events.k8s.io/v1/namespaces/${ns}/events/ev2` });
      assert.equal(removed.status, 200);
      assert.equal((await rawRequest(target, { method: 'GET', path: `/api/v1/namespaces/${ns}/events/ev2` })).status, 404);
    });
  });
});
