import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ManifestError, WEBHOOK_MANIFESTS_PATH, generateManifests, planManifests } from '../../src/manifests/index.js';
import { renderProjectFile, type ProjectResource } from '../../src/project/project-file.js';
import { withProject } from './helpers.js';

const VALIDATOR_PATH = 'src/webhooks/v1/memcached.validator.ts';

const TYPES = `export interface Memcached {
  apiVersion: 'cache.example.com/v1';
  kind: 'Memcached';
  spec?: { size?: number };
}
`;

function project(webhooks: { validation: boolean; defaulting?: boolean } = { validation: true }): string {
  const r: ProjectResource = {
    group: 'cache', domain: 'example.com', version: 'v1', kind: 'Memcached', plural: 'memcacheds', path: 'src/api/v1/memcached.types.ts',
    api: { crdVersion: 'v1', namespaced: true }, controller: false, webhooks: { ...webhooks, webhookVersion: 'v1' },
  };
  return renderProjectFile({
    version: '3', domain: 'example.com', layout: 'typescript/v1', projectName: 'p', cliVersion: 'x', leaderElectionId: 'p.example.com', resources: [r],
  });
}

/** A validator file whose operations export has the given initializer (undefined: no export at all). */
function validator(init: string | undefined): string {
  return `import type { AdmissionOperation, Validator } from 'operator-ts/runtime';
import type { Memcached } from '../../api/v1/memcached.types.js';

${init === undefined ? '' : `export const memcachedValidatorOperations = ${init};\n`}
export const memcachedValidator: Validator<Memcached> = {
  validateCreate: () => [],
  validateUpdate: () => [],
  validateDelete: () => [],
};
`;
}

function files(init: string | undefined, webhooks?: { validation: boolean; defaulting?: boolean }): Record<string, string> {
  return { PROJECT: project(webhooks), 'src/api/v1/memcached.types.ts': TYPES, [VALIDATOR_PATH]: validator(init) };
}

async function operations(projectFiles: Record<string, string>): Promise<string[][]> {
  return withProject(projectFiles, async (dir) => {
    const manifests = (await planManifests({ projectDir: dir })).find((f) => f.path === WEBHOOK_MANIFESTS_PATH);
    assert.ok(manifests, 'config/webhook/manifests.yaml is planned');
    const docs = parseAllDocuments(manifests.contents).map((d) => d.toJS() as { kind: string; webhooks: Array<{ rules: Array<{ operations: string[] }> }> });
    return docs.flatMap((d) => d.webhooks.map((w) => [d.kind, ...w.rules[0]!.operations]));
  });
}

describe('a validating webhook\'s operations come from its validator file', () => {
  it('writes the exported operations into the rule: DELETE added reaches the configuration', async () => {
    assert.deepEqual(await operations(files("['CREATE', 'UPDATE', 'DELETE'] as const satisfies readonly AdmissionOperation[]")),
      [['ValidatingWebhookConfiguration', 'CREATE', 'UPDATE', 'DELETE']]);
    assert.deepEqual(await operations(files("['DELETE']")), [['ValidatingWebhookConfiguration', 'DELETE']]);
  });

  it('keeps CREATE and UPDATE for a validator without the export, a missing validator, and the mutating webhook', async () => {
    assert.deepEqual(await operations(files(undefined)), [['ValidatingWebhookConfiguration', 'CREATE', 'UPDATE']]);
    const { [VALIDATOR_PATH]: _, ...withoutValidator } = files(undefined);
    assert.deepEqual(await operations(withoutValidator), [['ValidatingWebhookConfiguration', 'CREATE', 'UPDATE']]);
    assert.deepEqual(await operations(files("['DELETE', 'CREATE']", { validation: true, defaulting: true })),
      [['MutatingWebhookConfiguration', 'CREATE', 'UPDATE'], ['ValidatingWebhookConfiguration', 'DELETE', 'CREATE']]);
  });

  const bad: Array<[string, string | undefined, RegExp, string?]> = [
    ['not an array literal', 'OPS', /must be an array literal of string literals, got 'OPS'/],
    ['a computed entry', "['CREATE', `${'UP'}DATE`]", /entries must be string literals, got '`\$\{'UP'\}DATE`'/],
    ['an unknown operation', "['CREATE', 'delete']", /unknown admission operation 'delete' in memcachedValidatorOperations \(valid: CREATE, UPDATE, DELETE, CONNECT\)/],
    ['the wildcard', "['*']", /unknown admission operation '\*'/],
    ['a duplicate', "['CREATE', 'UPDATE', 'CREATE']", /'CREATE' is listed twice in memcachedValidatorOperations/],
    ['an empty list', '[] as const', /memcachedValidatorOperations is empty; the API server requires at least one operation/],
  ];
  for (const [what, init, message] of bad) {
    it(`refuses ${what}, naming the file, line and value, and writes nothing`, async () => {
      await withProject(files(init), async (dir) => {
        await assert.rejects(generateManifests({ projectDir: dir }), (err: unknown) => {
          assert.ok(err instanceof ManifestError, String(err));
          assert.match(err.message, message);
          assert.deepEqual(err.location, { file: VALIDATOR_PATH, line: 4, subject: 'memcachedValidatorOperations' });
          assert.match(err.hint ?? '', /export const memcachedValidatorOperations = \['CREATE', 'UPDATE', 'DELETE'\]/);
          return true;
        });
        assert.throws(() => readFileSync(join(dir, WEBHOOK_MANIFESTS_PATH)), /ENOENT/);
      });
    });
  }

  it('refuses the export declared without export, since it would be ignored', async () => {
    const text = validator(undefined).replace('\nexport const memcachedValidator:', "\nconst memcachedValidatorOperations = ['DELETE'];\nexport const memcachedValidator:");
    await withProject({ ...files(undefined), [VALIDATOR_PATH]: text }, async (dir) => {
      await assert.rejects(generateManifests({ projectDir: dir }), /memcached\.validator\.ts:5 \(memcachedValidatorOperations\): memcachedValidatorOperations is declared but not exported/);
    });
  });

  it('reports a validator file that does not parse at its line', async () => {
    await withProject(files("['CREATE' 'UPDATE']"), async (dir) => {
      await assert.rejects(generateManifests({ projectDir: dir }), /src\/webhooks\/v1\/memcached\.validator\.ts:4/);
    });
  });
});
