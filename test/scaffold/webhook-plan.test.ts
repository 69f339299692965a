import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorTsError } from '../../src/errors.js';
import { planCreateApi, type ApiPlanInput } from '../../src/scaffold/api-plan.js';
import { UsageError } from '../../src/scaffold/errors.js';
import { MemoryView, assertNoConflicts, formatPlan, type Plan } from '../../src/scaffold/plan.js';
import { planCreateWebhook, type WebhookPlanInput } from '../../src/scaffold/webhook-plan.js';
import { parseProjectFile, renderProjectFile } from '../../src/project/project-file.js';
import { webhookPath, webhookRegistrationPath, webhookTestPath } from '../../src/project/layout.js';
import { fakeManifests, filesOf, info, initialisedProject } from './scaffold-fixtures.js';

type Files = Record<string, Buffer>;

function apiInput(files: Files, over: Partial<ApiPlanInput> = {}): ApiPlanInput {
  return {
    view: new MemoryView(files), group: 'cache', version: 'v1alpha1', kind: 'Memcached', namespaced: true,
    resource: true, controller: true, force: false, year: 2026, info, manifests: fakeManifests(), ...over,
  };
}

function hookInput(files: Files, over: Partial<WebhookPlanInput> = {}): WebhookPlanInput {
  return {
    view: new MemoryView(files), group: 'cache', version: 'v1alpha1', kind: 'Memcached', defaulting: false, validation: false,
    conversion: false, force: false, year: 2026, info, manifests: fakeManifests(), ...over,
  };
}

/** The project after init and `create api` for each version of Memcached given. */
async function withVersions(...versions: string[]): Promise<Files> {
  let files = initialisedProject();
  for (const [i, version] of versions.entries()) {
    files = filesOf((await planCreateApi(apiInput(files, { version, controller: i === 0 }), '/p')).plan, files);
  }
  return files;
}

async function apply(files: Files, over: Partial<WebhookPlanInput>): Promise<{ plan: Plan; files: Files }> {
  const { plan } = await planCreateWebhook(hookInput(files, over), '/p');
  assertNoConflicts(plan);
  return { plan, files: filesOf(plan, files) };
}

function rejectsWith(code: string, pattern: RegExp, hint?: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof OperatorTsError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    if (hint) assert.match(error.hint ?? '', hint);
    return true;
  };
}

function webhooksOf(files: Files, version: string): unknown {
  return parseProjectFile(files['PROJECT']!.toString()).resources.find((r) => r.version === version)?.webhooks;
}

describe('planCreateWebhook', () => {
  it('plans the defaulter, the validator, their tests, the registration, the wiring in main.ts and PROJECT', async () => {
    const base = await withVersions('v1alpha1');
    const seen: string[][] = [];
    const { plan, files } = await apply(base, { defaulting: true, validation: true, manifests: fakeManifests(seen) });
    // The kustomize pieces under config/ are planWebhookKustomize's (test/scaffold/webhook-kustomize.test.ts).
    assert.equal(plan.entries.find((e) => e.path === 'config/webhook/kustomization.yaml')?.action, 'create');
    const actions = Object.fromEntries(plan.entries.filter((e) => !e.path.startsWith('config/')).map((e) => [e.path, e.action]));
    assert.deepEqual(actions, {
      PROJECT: 'update',
      'src/main.ts': 'update',
      [webhookRegistrationPath('Memcached')]: 'create',
      [webhookPath('v1alpha1', 'Memcached', 'defaulter')]: 'create',
      [webhookPath('v1alpha1', 'Memcached', 'validator')]: 'create',
      [webhookTestPath('v1alpha1', 'Memcached', 'defaulter')]: 'create',
      [webhookTestPath('v1alpha1', 'Memcached', 'validator')]: 'create',
    });
    assert.ok(seen[0]!.includes('PROJECT'), 'the manifests planner sees the updated PROJECT');
    const main = files['src/main.ts']!.toString();
    assert.match(main, /import \{ setupMemcachedWebhooks \} from '\.\/webhooks\/memcached\.webhook\.js';\n\/\/ \+operator-ts:scaffold:imports/);
    assert.match(main, /setupMemcachedController\(manager\);[\s\S]*setupMemcachedWebhooks\(manager\);\n\s*\/\/ \+operator-ts:scaffold:webhooks/);
    assert.deepEqual(webhooksOf(files, 'v1alpha1'), { defaulting: true, validation: true, webhookVersion: 'v1' });
    const registration = files[webhookRegistrationPath('Memcached')]!.toString();
    assert.match(registration, /\.for\(v1alpha1\.MemcachedResource\)\n\s*\.withDefaulter\(v1alpha1Defaulter\) \/\/ \/mutate-cache-example-com-v1alpha1-memcached\n\s*\.withValidator\(v1alpha1Validator\) \/\/ \/validate-cache-example-com-v1alpha1-memcached/);
  });

  it('adds validation after defaulting without touching the defaulter, keeps defaulting in PROJECT and registers once', async () => {
    const first = await apply(await withVersions('v1alpha1'), { defaulting: true });
    const edited = { ...first.files, [webhookPath('v1alpha1', 'Memcached', 'defaulter')]: Buffer.from('// my own defaulter\n') };
    const { plan, files } = await apply(edited, { validation: true });
    const actions = Object.fromEntries(plan.entries.map((e) => [e.path, e.action]));
    assert.equal(actions[webhookPath('v1alpha1', 'Memcached', 'defaulter')], undefined, 'the defaulter is not in the plan');
    assert.equal(actions[webhookPath('v1alpha1', 'Memcached', 'validator')], 'create');
    assert.equal(actions[webhookRegistrationPath('Memcached')], 'update');
    assert.equal(files[webhookPath('v1alpha1', 'Memcached', 'defaulter')]!.toString(), '// my own defaulter\n');
    assert.deepEqual(webhooksOf(files, 'v1alpha1'), { defaulting: true, validation: true, webhookVersion: 'v1' });
    assert.equal(files['src/main.ts']!.toString().split('setupMemcachedWebhooks(manager);').length, 2, 'one registration call');
    assert.match(files[webhookRegistrationPath('Memcached')]!.toString(), /withDefaulter\(v1alpha1Defaulter\)[\s\S]*withValidator\(v1alpha1Validator\)/);
  });

  it('refuses nothing to scaffold, --spoke without --conversion, and a bad kind before reading anything else', async () => {
    const files = await withVersions('v1alpha1');
    await assert.rejects(planCreateWebhook(hookInput(files), '/p'), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /at least one of --defaulting, --programmatic-validation and --conversion/);
      return true;
    });
    await assert.rejects(planCreateWebhook(hookInput(files, { defaulting: true, spoke: ['v1'] }), '/p'), rejectsWith('EUSAGE', /--spoke v1 was given without --conversion/));
    await assert.rejects(planCreateWebhook(hookInput(files, { kind: 'memcached', defaulting: true }), '/p'), /PascalCase/);
  });

  it('refuses an API that is not in PROJECT, naming create api and the versions that exist', async () => {
    const files = await withVersions('v1alpha1');
    await assert.rejects(planCreateWebhook(hookInput(files, { kind: 'Nope', defaulting: true }), '/p'),
      rejectsWith('ENOAPI', /no API Nope \(cache\.example\.com\/v1alpha1\) is in PROJECT/, /operator-ts create api --group cache --version v1alpha1 --kind Nope --resource/));
    await assert.rejects(planCreateWebhook(hookInput(files, { version: 'v1', defaulting: true }), '/p'),
      rejectsWith('ENOAPI', /Memcached \(cache\.example\.com\/v1\) is not in PROJECT: Memcached has the version v1alpha1/, /--version v1alpha1/));
    // A resource recorded without types (create api --no-resource over hand-written types).
    const project = parseProjectFile(files['PROJECT']!.toString());
    const withoutTypes = { ...files, PROJECT: Buffer.from(renderProjectFile({ ...project, resources: project.resources.map(({ api: _api, path: _path, ...r }) => r) })) };
    await assert.rejects(planCreateWebhook(hookInput(withoutTypes, { defaulting: true }), '/p'), rejectsWith('ENOAPI', /in PROJECT without API types/));
  });

  it('refuses the same type twice unless forced; --force rewrites only that type', async () => {
    const { files } = await apply(await withVersions('v1alpha1'), { defaulting: true, validation: true });
    await assert.rejects(planCreateWebhook(hookInput(files, { defaulting: true }), '/p'),
      rejectsWith('EWEBHOOKEXISTS', /Memcached \(cache\.example\.com\/v1alpha1\) already has a defaulting webhook/, /--force/));
    const edited = {
      ...files,
      [webhookPath('v1alpha1', 'Memcached', 'defaulter')]: Buffer.from('// edited defaulter\n'),
      [webhookPath('v1alpha1', 'Memcached', 'validator')]: Buffer.from('// edited validator\n'),
    };
    const { plan } = await planCreateWebhook(hookInput(edited, { defaulting: true, force: true }), '/p');
    const actions = Object.fromEntries(plan.entries.map((e) => [e.path, e.action]));
    assert.equal(actions[webhookPath('v1alpha1', 'Memcached', 'defaulter')], 'replace');
    assert.equal(actions[webhookPath('v1alpha1', 'Memcached', 'validator')], undefined, 'the validator is left alone');
    assert.deepEqual(webhooksOf(filesOf(plan, edited), 'v1alpha1'), { defaulting: true, validation: true, webhookVersion: 'v1' });
  });

  it('--dry-run prints the plan as the write would do it', async () => {
    const { plan } = await planCreateWebhook(hookInput(await withVersions('v1alpha1'), { defaulting: true }), '/p');
    assert.deepEqual(formatPlan(plan).map((l) => l.replace(/ \(\d+ bytes\)/, '')).filter((l) => !/ config\//.test(l)), [
      'UPDATE PROJECT',
      'UPDATE src/main.ts',
      'CREATE src/webhooks/memcached.webhook.ts',
      'CREATE src/webhooks/v1alpha1/memcached.defaulter.ts',
      'CREATE test/webhooks/v1alpha1/memcached.defaulter.test.ts',
    ]);
  });
});

describe('planCreateWebhook --conversion', () => {
  it('needs another version of the kind', async () => {
    await assert.rejects(planCreateWebhook(hookInput(await withVersions('v1alpha1'), { conversion: true }), '/p'),
      rejectsWith('ENOSPOKES', /Memcached has only the version v1alpha1 in PROJECT/, /operator-ts create api --group cache --version v1 --kind Memcached --resource --no-controller/));
  });

  it('makes the version the hub with every other version as a spoke, one converter and round-trip test per spoke', async () => {
    const base = await withVersions('v1alpha1', 'v1', 'v1beta1');
    const { plan, files } = await apply(base, { version: 'v1', conversion: true });
    const created = plan.entries.filter((e) => e.action === 'create' && !e.path.startsWith('config/')).map((e) => e.path).sort();
    assert.deepEqual(created, [
      webhookRegistrationPath('Memcached'),
      webhookPath('v1alpha1', 'Memcached', 'conversion'),
      webhookPath('v1beta1', 'Memcached', 'conversion'),
      webhookTestPath('v1alpha1', 'Memcached', 'conversion'),
      webhookTestPath('v1beta1', 'Memcached', 'conversion'),
    ].sort());
    assert.deepEqual(webhooksOf(files, 'v1'), { conversion: true, spoke: ['v1alpha1', 'v1beta1'], webhookVersion: 'v1' });
    assert.match(files[webhookRegistrationPath('Memcached')]!.toString(),
      /\.for\(v1\.MemcachedResource\)[\s\S]*\.withConversion\(\{ hub: 'v1', spokes: \{ v1alpha1: v1alpha1Converter, v1beta1: v1beta1Converter \} \}\)/);
    const converter = files[webhookPath('v1alpha1', 'Memcached', 'conversion')]!.toString();
    assert.match(converter, /SpokeConverter<v1alpha1\.Memcached, v1\.Memcached>/);
    assert.match(converter, /spec: \{ \.\.\.copy\(obj\.spec, \['size'\]\) \}/);
  });

  it('copies the spec fields both versions have and names the ones that differ', async () => {
    const base = await withVersions('v1alpha1', 'v1');
    const types = 'src/api/v1/memcached.types.ts';
    base[types] = Buffer.from(base[types]!.toString().replace('  size?: number;\n', '  size?: number;\n  /** The image. */\n  image?: string;\n'));
    const { files } = await apply(base, { version: 'v1', conversion: true, spoke: ['v1alpha1'] });
    const converter = files[webhookPath('v1alpha1', 'Memcached', 'conversion')]!.toString();
    assert.match(converter, /Only v1 has image: set it from v1alpha1's fields here\.\n\s*spec: \{ \.\.\.copy\(obj\.spec, \['size'\]\) \}/);
    assert.match(converter, /Only v1 has image: map it onto v1alpha1's fields here, or it is lost\./);
  });

  it('refuses an unknown spoke naming the versions, the hub as its own spoke, and a second hub', async () => {
    const base = await withVersions('v1alpha1', 'v1');
    await assert.rejects(planCreateWebhook(hookInput(base, { version: 'v1', conversion: true, spoke: ['v9'] }), '/p'),
      rejectsWith('ESPOKE', /spoke version 'v9' is not a version of Memcached .*; Memcached has v1, v1alpha1/, /--spoke v1alpha1/));
    await assert.rejects(planCreateWebhook(hookInput(base, { version: 'v1', conversion: true, spoke: ['v1'] }), '/p'),
      rejectsWith('ESPOKE', /spoke 'v1' is the hub itself/));
    const { files } = await apply(base, { version: 'v1', conversion: true });
    for (const force of [false, true]) {
      await assert.rejects(planCreateWebhook(hookInput(files, { version: 'v1alpha1', conversion: true, force }), '/p'),
        rejectsWith('EHUB', /Memcached already has its conversion hub in v1 \(PROJECT\); a kind has one hub/, /--version v1 --kind Memcached --conversion --spoke v1alpha1 --force/));
    }
  });

  it('a second conversion run needs --force, adds the new spoke and leaves the other converters alone', async () => {
    const base = await withVersions('v1alpha1', 'v1', 'v1beta1');
    const { files } = await apply(base, { version: 'v1', conversion: true, spoke: ['v1alpha1'] });
    await assert.rejects(planCreateWebhook(hookInput(files, { version: 'v1', conversion: true, spoke: ['v1beta1'] }), '/p'), rejectsWith('EWEBHOOKEXISTS', /conversion webhook/));
    const edited = { ...files, [webhookPath('v1alpha1', 'Memcached', 'conversion')]: Buffer.from('// mine\n') };
    const { plan, files: after } = await apply(edited, { version: 'v1', conversion: true, spoke: ['v1beta1'], force: true });
    assert.ok(!plan.entries.some((e) => e.path === webhookPath('v1alpha1', 'Memcached', 'conversion')));
    assert.deepEqual(webhooksOf(after, 'v1'), { conversion: true, spoke: ['v1alpha1', 'v1beta1'], webhookVersion: 'v1' });
  });
});

describe('webhooks and the rest of the project', () => {
  it('create api --force on an API keeps the webhooks PROJECT records for it', async () => {
    const { files } = await apply(await withVersions('v1alpha1'), { defaulting: true });
    const { plan } = await planCreateApi(apiInput(files, { force: true }), '/p');
    assert.deepEqual(webhooksOf(filesOf(plan, files), 'v1alpha1'), { defaulting: true, webhookVersion: 'v1' });
  });

  it('a main.ts without the webhooks marker (a project older than create webhook) is refused with where to add it', async () => {
    const files = await withVersions('v1alpha1');
    files['src/main.ts'] = Buffer.from(files['src/main.ts']!.toString().replace(/.*\+operator-ts:scaffold:webhooks.*\n/, ''));
    await assert.rejects(planCreateWebhook(hookInput(files, { defaulting: true }), '/p'),
      rejectsWith('EMARKER', /src\/main\.ts has no line containing the marker '\/\/ \+operator-ts:scaffold:webhooks'/, /inside main\(\) of src\/main\.ts, after the controllers/));
  });
});
