import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBaseCsv } from '../../src/bundle/base-csv.js';
import { BundleError } from '../../src/bundle/errors.js';
import { bundleManifests } from '../../src/bundle/manifests.js';
import { resolveBundleOptions } from '../../src/bundle/options.js';
import type { KubeObject } from '../../src/bundle/render.js';

const ns = 'op-system';
const sa = 'op-controller-manager';
const obj = (kind: string, name: string, extra: Record<string, unknown> = {}, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind, metadata: { name, ...(kind === 'Namespace' || kind.startsWith('Cluster') || kind === 'CustomResourceDefinition' ? {} : { namespace: ns }) }, ...extra });
const rbac = 'rbac.authorization.k8s.io/v1';
const rule = (resource: string) => ({ apiGroups: [''], resources: [resource], verbs: ['get'] });
const subjects = [{ kind: 'ServiceAccount', name: sa, namespace: ns }];

const rendered: KubeObject[] = [
  obj('Namespace', ns),
  obj('CustomResourceDefinition', 'widgets.example.com', { spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, versions: [
    { name: 'v1', served: true, schema: { openAPIV3Schema: { description: 'Widget is a thing.' } } },
    { name: 'v1beta1', served: false },
  ] } }, 'apiextensions.k8s.io/v1'),
  obj('ServiceAccount', sa),
  obj('Role', 'op-leader', { rules: [rule('leases')] }, rbac),
  obj('RoleBinding', 'op-leader', { roleRef: { kind: 'Role', name: 'op-leader' }, subjects }, rbac),
  obj('ClusterRole', 'op-in-namespace', { rules: [rule('secrets')] }, rbac),
  obj('RoleBinding', 'op-in-namespace', { roleRef: { kind: 'ClusterRole', name: 'op-in-namespace' }, subjects }, rbac),
  obj('ClusterRole', 'op-manager', { rules: [rule('configmaps')] }, rbac),
  obj('ClusterRoleBinding', 'op-manager', { roleRef: { kind: 'ClusterRole', name: 'op-manager' }, subjects }, rbac),
  obj('ClusterRole', 'op-widget-viewer', { rules: [rule('widgets')] }, rbac),
  obj('Service', 'op-metrics', { spec: { ports: [{ port: 8443 }] } }),
  obj('NetworkPolicy', 'op-allow-metrics', {}, 'networking.k8s.io/v1'),
  obj('Deployment', 'op-controller-manager', { spec: { template: { spec: { serviceAccountName: sa, containers: [{ name: 'manager', image: 'op:1' }] } } } }, 'apps/v1'),
];

describe('bundleManifests', () => {
  const base = defaultBaseCsv('op', 'example.com');
  const built = bundleManifests(rendered, base, { packageName: 'op', version: '1.2.3', examples: [] });
  const install = built.csv.spec.install!.spec as any;

  it('puts Roles and ClusterRoles bound by RoleBindings into permissions, those bound by ClusterRoleBindings into clusterPermissions', () => {
    assert.deepEqual(install.permissions, [{ serviceAccountName: sa, rules: [rule('leases'), rule('secrets')] }]);
    assert.deepEqual(install.clusterPermissions, [{ serviceAccountName: sa, rules: [rule('configmaps')] }]);
  });

  it('writes unbound roles, CRDs and Services as files without a namespace; leaves out the account, bindings, Namespace and unsupported kinds', () => {
    assert.deepEqual(built.files.map((f) => f.name).sort(), ['example.com_widgets.yaml', 'op-metrics_v1_service.yaml', 'op-widget-viewer_rbac.authorization.k8s.io_v1_clusterrole.yaml']);
    assert.equal(built.files.find((f) => f.object.kind === 'Service')!.object.metadata.namespace, undefined);
    assert.deepEqual(built.skipped.map((s) => s.split(':')[0]), ['Namespace/op-system', 'NetworkPolicy/op-allow-metrics']);
  });

  it('owns each served CRD version with the schema description, and names the CSV <package>.v<version>', () => {
    assert.deepEqual(built.csv.spec.customresourcedefinitions!.owned, [{ name: 'widgets.example.com', version: 'v1', kind: 'Widget', displayName: 'Widget', description: 'Widget is a thing.' }]);
    assert.equal(built.csv.metadata.name, 'op.v1.2.3');
    assert.equal(built.csv.metadata.annotations!.containerImage, 'op:1');
    assert.equal(base.metadata.name, 'op.v0.0.0', 'the base object is not modified');
  });

  it('refuses rendered manifests with no Deployment or no CRD', () => {
    assert.throws(() => bundleManifests(rendered.filter((o) => o.kind !== 'Deployment'), base, { packageName: 'op', version: '1.0.0', examples: [] }), (e: unknown) => e instanceof BundleError && /no Deployment/.test(e.message));
    assert.throws(() => bundleManifests(rendered.filter((o) => o.kind !== 'CustomResourceDefinition'), base, { packageName: 'op', version: '1.0.0', examples: [] }), (e: unknown) => e instanceof BundleError && /no CustomResourceDefinition/.test(e.message));
  });
});

describe('resolveBundleOptions', () => {
  const project = { name: 'op', version: '0.1.0' };
  it('fills defaults: version from package.json, package from the project, channel alpha', () => {
    assert.deepEqual(resolveBundleOptions({ projectDir: '/p' }, project), { projectDir: '/p', version: '0.1.0', channels: ['alpha'], defaultChannel: 'alpha', packageName: 'op', image: undefined });
  });
  it('takes the first channel as the default and accepts pre-release versions', () => {
    const o = resolveBundleOptions({ projectDir: '/p', channels: 'beta, stable', version: '1.0.0-rc.1+build.5' }, project);
    assert.deepEqual([o.channels, o.defaultChannel, o.version], [['beta', 'stable'], 'beta', '1.0.0-rc.1+build.5']);
  });
  it('rejects duplicate channels and a missing version', () => {
    assert.throws(() => resolveBundleOptions({ projectDir: '/p', channels: 'a,a' }, project), /names a channel twice/);
    assert.throws(() => resolveBundleOptions({ projectDir: '/p' }, { name: 'op', version: undefined }), /no bundle version/);
  });
});
