import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions } from '../../src/manifests/crd.js';
import { defaultPlural } from '../../src/project/layout.js';
import { planCrds, widgetTypes } from './helpers.js';

const at = (version: string, tags: string): string =>
  widgetTypes('  a?: string;', '', tags).replace("'test.example.com/v1'", `'test.example.com/${version}'`);

describe('CRD assembly from root-type tags', () => {
  it('names, scope, printer columns, subresources, categories, deprecation', async () => {
    const tags = [
      '@plural widgetz',
      '@scope Cluster',
      '@shortName wz, wdg',
      '@categories all, test',
      '@subresource status',
      '@subresource scale specpath=.spec.replicas, statuspath=.status.replicas, selectorpath=.status.selector',
      '@printcolumn name=A,type=string,JSONPath=.spec.a,priority=1,description="the a field, verbatim"',
      '@deprecated use v2 instead',
    ].join('\n');
    const [file] = await planCrds({ 'src/api/v1/widget.types.ts': at('v1', tags) });
    assert.equal(file!.path, 'config/crd/bases/test.example.com_widgetz.yaml');
    const crd = file!.doc;
    assert.equal(crd.metadata.name, 'widgetz.test.example.com');
    assert.equal(crd.metadata.annotations['operator-ts.io/generated-by'], 'operator-ts');
    assert.deepEqual(crd.spec.names, { kind: 'Widget', listKind: 'WidgetList', plural: 'widgetz', singular: 'widget', shortNames: ['wz', 'wdg'], categories: ['all', 'test'] });
    assert.equal(crd.spec.scope, 'Cluster');
    const v = crd.spec.versions[0];
    assert.deepEqual(v.subresources, { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } });
    assert.deepEqual(v.additionalPrinterColumns, [{ name: 'A', type: 'string', jsonPath: '.spec.a', priority: 1, description: 'the a field, verbatim' }]);
    assert.equal(v.deprecated, true);
    assert.equal(v.deprecationWarning, 'use v2 instead');
    assert.equal(v.storage, true);
    assert.equal(v.served, true);
  });

  it('several versions of a kind make one CRD; exactly the tagged one is stored', async () => {
    const files = await planCrds({
      'src/api/v1alpha1/widget.types.ts': at('v1alpha1', '@shortName w'),
      'src/api/v1/widget.types.ts': at('v1', '@storageversion\n@shortName w'),
      'src/api/v1beta1/widget.types.ts': at('v1beta1', ''),
    });
    assert.deepEqual(files.map((f) => f.path), ['config/crd/bases/test.example.com_widgets.yaml', 'config/rbac/role.yaml']);
    const versions = files[0]!.doc.spec.versions;
    assert.deepEqual(versions.map((v: { name: string; storage: boolean }) => [v.name, v.storage]), [['v1', true], ['v1beta1', false], ['v1alpha1', false]]);
  });

  it('versions that disagree on scope are an error', async () => {
    await assert.rejects(
      planCrds({ 'src/api/v1/widget.types.ts': at('v1', '@storageversion'), 'src/api/v2/widget.types.ts': at('v2', '@scope Cluster') }),
      /Widget v1 has scope 'Namespaced' but v2 .* has 'Cluster'/,
    );
  });

  it('default plurals and version priority', () => {
    assert.deepEqual(['Memcached', 'Box', 'Policy', 'Gateway', 'Match', 'Mesh', 'Quiz'].map(defaultPlural), [
      'memcacheds', 'boxes', 'policies', 'gateways', 'matches', 'meshes', 'quizes',
    ]);
    assert.deepEqual(['v1alpha1', 'v2', 'v1beta1', 'v1', 'v1beta2', 'v1alpha2'].sort(compareVersions), ['v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha2', 'v1alpha1']);
  });
});
