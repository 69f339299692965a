import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { planManifests } from '../../src/manifests/index.js';
import { mergeRules } from '../../src/manifests/rbac.js';
import { withProject } from './helpers.js';

describe('RBAC from controllers', () => {
  it('merges verbs per resource, groups resources that share verbs, and sorts everything', () => {
    const rules = mergeRules([
      { groups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      { groups: [''], resources: ['events'], verbs: ['patch', 'create'] },
      { groups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['watch'] },
      { groups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list'] },
      { groups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['b', 'a'] },
      { groups: ['x.io'], resources: ['things'], verbs: ['get', '*'] },
    ]);
    assert.deepEqual(rules, [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['a', 'b'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['x.io'], resources: ['things'], verbs: ['*'] },
    ]);
  });

  it('reads every controller (as const / satisfies accepted), skips files without rbac, writes manager-role', async () => {
    const files = {
      'src/controllers/b.controller.ts': "import type { RbacRule } from 'operator-ts/runtime';\nexport const rbac = [{ groups: ['apps'], resources: ['deployments'], verbs: ['get'] }] satisfies RbacRule[];\n",
      'src/controllers/a.controller.ts': "export const rbac = [{ groups: ['apps'], resources: ['deployments'], verbs: ['list', 'get'] }] as const;\n",
      'src/controllers/util.ts': 'export const helper = 1;\n',
    };
    await withProject(files, async (dir) => {
      const planned = await planManifests({ projectDir: dir });
      assert.deepEqual(planned.map((f) => f.path), ['config/rbac/role.yaml']);
      const role = parse(planned[0]!.contents);
      assert.equal(role.kind, 'ClusterRole');
      assert.equal(role.metadata.name, 'manager-role');
      assert.deepEqual(role.rules, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }]);
    });
  });

  it('a project without controllers gets an empty role', async () => {
    await withProject({}, async (dir) => {
      const [role] = await planManifests({ projectDir: dir });
      assert.deepEqual(parse(role!.contents).rules, []);
    });
  });
});
