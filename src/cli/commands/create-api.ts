import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { createWebhookCommand } from './create-webhook.js';

interface CreateApiFlags {
  group?: string;
  version?: string;
  kind?: string;
  plural?: string;
  namespaced?: boolean;
  clusterScoped?: boolean;
  resource?: boolean;
  controller?: boolean;
  force?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  projectDir?: string;
}

const EXAMPLE = 'operator-ts create api --group cache --version v1alpha1 --kind Memcached';

export function createCommand(io: CliIo): Command {
  const create = new Command('create').description('add something to an existing project');
  create.addCommand(
    new Command('api')
      .description('add an API: types, controller with RBAC, its test, sample, roles, CRD, and the wiring in src/main.ts')
      .option('--group <group>', 'API group, joined with the project domain (e.g. cache)')
      .option('--version <version>', 'API version, e.g. v1alpha1')
      .option('--kind <kind>', 'kind, PascalCase (e.g. Memcached)')
      .option('--plural <plural>', 'resource plural (default: English plural of the lowercased kind)')
      .option('--namespaced', 'the resource is namespaced (default)')
      .option('--cluster-scoped', 'the resource is cluster-scoped')
      .option('--resource', 'scaffold the API types, sample, roles and CRD (asked on a terminal when not given)')
      .option('--no-resource', 'do not scaffold the resource')
      .option('--controller', 'scaffold the controller and its test (asked on a terminal when not given)')
      .option('--no-controller', 'do not scaffold the controller')
      .option('--force', 'scaffold even if the API exists, overwriting its files')
      .option('--dry-run', 'print the files that would be written and write nothing')
      .option('--yes', 'answer yes to the Create Resource / Create Controller questions')
      .option('--project-dir <dir>', 'project root (default: the current directory)')
      .addHelpText('after', `
Examples:
  $ ${EXAMPLE}
  $ operator-ts create api --group cache --version v1alpha1 --kind Memcached --resource --controller
  $ operator-ts create api --group infra --version v1 --kind Backup --cluster-scoped --no-controller
  $ operator-ts create api --group cache --version v1beta1 --kind Cactus --plural cacti --dry-run`)
      .action(async (flags: CreateApiFlags) => runCreateApi(flags, io)),
  );
  create.addCommand(createWebhookCommand(io));
  return create;
}

async function runCreateApi(flags: CreateApiFlags, io: CliIo): Promise<void> {
  const dir = resolve(io.cwd, flags.projectDir ?? '.');
  const { UsageError } = await import('../../scaffold/errors.js');
  if (flags.namespaced && flags.clusterScoped) {
    throw new UsageError('--namespaced and --cluster-scoped were both given; a resource is one or the other.', {
      hint: 'drop one of them (namespaced is the default)',
    });
  }
  const { DiskView } = await import('../../scaffold/plan.js');
  const { readProject } = await import('../../project/project-file.js');
  const view = new DiskView(dir);
  // Read PROJECT before asking anything: outside a project the answers would be wasted.
  const project = readProject((path) => view.read(path), dir);

  const { validateGroup, validateKind, validateVersion } = await import('../../project/names.js');
  const missing = (['group', 'version', 'kind'] as const).filter((k) => flags[k] === undefined);
  if (missing.length > 0) {
    if (!io.interactive) {
      const { missingFlagsError } = await import('../prompts.js');
      throw missingFlagsError(missing.map((m) => `--${m}`), EXAMPLE);
    }
    const { askValues } = await import('../prompts.js');
    const questions = {
      group: { flag: 'group', message: `Group (joined with ${project.domain})`, validate: (v: string) => validateGroup(v, project.domain) },
      version: { flag: 'version', message: 'Version', default: 'v1alpha1', validate: validateVersion },
      kind: { flag: 'kind', message: 'Kind', validate: validateKind },
    };
    const answers = await askValues(missing.map((m) => questions[m]));
    for (const m of missing) flags[m] = answers[m];
  }
  const { resolveBoolean } = await import('../prompts.js');
  const resource = await resolveBoolean(flags.resource, 'Create Resource', io, flags.yes === true);
  const controller = await resolveBoolean(flags.controller, 'Create Controller', io, flags.yes === true);

  const { planCreateApi } = await import('../../scaffold/api-plan.js');
  const { fastManifestPlanner } = await import('../../scaffold/manifest-planner.js');
  const { packageInfo } = await import('../../scaffold/package-info.js');
  const { scaffoldYear } = await import('../../scaffold/context.js');
  const { plan, context } = await planCreateApi({
    view,
    group: flags.group!,
    version: flags.version!,
    kind: flags.kind!,
    ...(flags.plural === undefined ? {} : { plural: flags.plural }),
    namespaced: flags.clusterScoped !== true,
    resource,
    controller,
    force: flags.force === true,
    year: scaffoldYear(io.env),
    info: packageInfo(),
    manifests: fastManifestPlanner(dir),
  }, dir);

  const { printOrWritePlan } = await import('../write-plan.js');
  if (!(await printOrWritePlan(plan, dir, io, flags.dryRun === true))) return;
  io.out(`Created API ${context.kind} (${context.apiVersion}, ${context.namespaced ? 'namespaced' : 'cluster-scoped'}, plural ${context.plural}).`);
  io.out('');
  io.out('Next steps:');
  io.out(`  edit ${context.typesFile}, then run: npm run manifests`);
  io.out('  npm run build && npm test');
  io.out('  npm run dev        # run the operator against an embedded API server, no cluster needed');
}
