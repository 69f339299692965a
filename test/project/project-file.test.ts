import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectFileError } from '../../src/project/errors.js';
import { PROJECT_HEADER, parseProjectFile, renderProjectFile, type ProjectConfig } from '../../src/project/project-file.js';

const config: ProjectConfig = {
  version: '3',
  domain: 'example.com',
  layout: 'typescript/v1',
  projectName: 'memcached-operator',
  cliVersion: '0.1.0',
  leaderElectionId: '1b2c3d4e.example.com',
  resources: [
    {
      group: 'cache', domain: 'example.com', version: 'v1alpha1', kind: 'Memcached', plural: 'memcacheds',
      path: 'src/api/v1alpha1/memcached.types.ts', api: { crdVersion: 'v1', namespaced: true }, controller: true,
      webhooks: { defaulting: true, validation: true, conversion: true, spoke: ['v1beta1'], webhookVersion: 'v1' },
    },
    { group: 'infra', domain: 'example.com', version: 'v1', kind: 'Backup', plural: 'backups', controller: true },
  ],
};

const RESOURCE_PREFIX = 'version: "3"\nlayout: typescript/v1\ndomain: example.com\nprojectName: x\nleaderElectionId: a.b\nresources:\n- group: cache\n  domain: example.com\n  version: v1\n  kind: Memcached\n  plural: memcacheds\n';

describe('PROJECT file', () => {
  it('round-trips through render and parse', () => {
    const text = renderProjectFile(config);
    assert.ok(text.startsWith(`${PROJECT_HEADER}\n`));
    assert.match(text, /^version: "3"$/m, 'version stays a quoted string');
    assert.deepEqual(parseProjectFile(text), config);
  });

  it('renders deterministically', () => {
    assert.equal(renderProjectFile(config), renderProjectFile(structuredClone(config)));
  });

  const corrupt: Array<[string, string, RegExp]> = [
    ['unparsable YAML', 'version: "3"\ndomain: [unclosed', /not parsable YAML/],
    ['a list', '- a\n- b\n', /not a YAML mapping/],
    ['empty', '', /not a YAML mapping/],
    ['no version', 'domain: example.com\n', /no 'version' field/],
    ['unknown version', 'version: "4"\nlayout: typescript/v1\n', /version '4'.*only version '3'/],
    ['other layout', 'version: "3"\nlayout: go.kubebuilder.io/v4\ndomain: example.com\n', /layout 'go.kubebuilder.io\/v4'/],
    ['bad domain', 'version: "3"\nlayout: typescript/v1\ndomain: Example.COM\nprojectName: x\nleaderElectionId: a.b\n', /^the PROJECT file is not valid: domain 'Example.COM' must be a DNS-1123 subdomain/],
    ['no layout', 'version: "3"\ndomain: example.com\n', /^the PROJECT file is not valid: it has no string field 'layout'\.$/],
    ['resources not a list', 'version: "3"\nlayout: typescript/v1\ndomain: example.com\nprojectName: x\nleaderElectionId: a.b\nresources: 3\n', /'resources' is not a list/],
    ['bad resource kind', 'version: "3"\nlayout: typescript/v1\ndomain: example.com\nprojectName: x\nleaderElectionId: a.b\nresources:\n- {group: cache, domain: example.com, version: v1, kind: memcached, plural: m}\n', /^the PROJECT file is not valid: resources\[0\]: kind 'memcached' must be PascalCase/],
    ['webhooks not a mapping', `${RESOURCE_PREFIX}  webhooks: yes\n`, /resources\[0\]\.webhooks is not a mapping/],
    ['webhook flag not a boolean', `${RESOURCE_PREFIX}  webhooks: {defaulting: "yes"}\n`, /resources\[0\]\.webhooks\.defaulting is not true or false/],
    ['webhookVersion v1beta1', `${RESOURCE_PREFIX}  webhooks: {validation: true, webhookVersion: v1beta1}\n`, /webhookVersion is 'v1beta1'; only 'v1'/],
    ['a spoke that is no version', `${RESOURCE_PREFIX}  webhooks: {conversion: true, spoke: [beta]}\n`, /resources\[0\]\.webhooks\.spoke\[0\]: version 'beta'/],
    ['resource missing plural', 'version: "3"\nlayout: typescript/v1\ndomain: example.com\nprojectName: x\nleaderElectionId: a.b\nresources:\n- {group: cache, domain: example.com, version: v1, kind: Memcached}\n', /resources\[0\] has no string field 'plural'/],
  ];
  for (const [name, text, rule] of corrupt) {
    it(`rejects ${name} with a clear error`, () => {
      assert.throws(() => parseProjectFile(text), (error: unknown) => {
        assert.ok(error instanceof ProjectFileError);
        assert.match(error.message, rule);
        assert.ok(error.hint && error.hint.length > 0);
        return true;
      });
    });
  }

  it('writes webhooks as Kubebuilder does, and leaves them out when there are none', () => {
    const text = renderProjectFile(config);
    assert.match(text, /\n {4}webhooks:\n {6}conversion: true\n {6}defaulting: true\n {6}validation: true\n {6}spoke:\n {8}- v1beta1\n {6}webhookVersion: v1\n/);
    assert.equal(text.match(/webhooks:/g)?.length, 1);
  });

  it('accepts an unquoted numeric version 3', () => {
    const text = renderProjectFile(config).replace('version: "3"', 'version: 3');
    assert.equal(parseProjectFile(text).version, '3');
  });
});
