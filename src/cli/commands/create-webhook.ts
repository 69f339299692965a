import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

interface CreateWebhookFlags {
  group?: string;
  version?: string;
  kind?: string;
  defaulting?: boolean;
  programmaticValidation?: boolean;
  conversion?: boolean;
  spoke?: string;
  force?: boolean;
  dryRun?: boolean;
  projectDir?: string;
}

const EXAMPLE = 'operator-ts create webhook --group cache --version v1alpha1 --kind Memcached --defaulting --programmatic-validation';

export function createWebhookCommand(io: CliIo): Command {
  return new Command('webhook')
    .description('add webhooks to an API: a defaulter, a validator or hub-and-spoke conversion, each with its test, registered in src/main.ts, with the webhook manifests and their cert-manager kustomize')
    .option('--group <group>', 'API group of an existing API, without the domain (e.g. cache)')
    .option('--version <version>', 'API version, e.g. v1alpha1; with --conversion, the hub version')
    .option('--kind <kind>', 'kind, PascalCase (e.g. Memcached)')
    .option('--defaulting', 'scaffold the defaulting (mutating) webhook')
    .option('--programmatic-validation', 'scaffold the validating webhook')
    .option('--conversion', 'scaffold conversion with --version as the hub of the kind')
    .option('--spoke <versions>', 'with --conversion: comma-separated spoke versions (default: every other version of the kind)')
    .option('--force', 'scaffold a webhook type the API already has, overwriting its code and test')
    .option('--dry-run', 'print the files that would be written and write nothing')
    .option('--project-dir <dir>', 'project root (default: the current directory)')
    .addHelpText('after', `
Examples:
  $ ${EXAMPLE}
  $ operator-ts create webhook --group cache --version v1 --kind Memcached --conversion --spoke v1alpha1
  $ operator-ts create webhook --group cache --version v1alpha1 --kind Memcached --defaulting --dry-run`)
    .action(async (flags: CreateWebhookFlags) => runCreateWebhook(flags, io));
}

async function runCreateWebhook(flags: CreateWebhookFlags, io: CliIo): Promise<void> {
  const dir = resolve(io.cwd, flags.projectDir ?? '.');
  const { DiskView } = await import('../../scaffold/plan.js');
  const { readProject } = await import('../../project/project-file.js');
  const view = new DiskView(dir);
  // Outside a project, saying so comes before any flag complaint.
  readProject((path) => view.read(path), dir);
  const missing = (['group', 'version', 'kind'] as const).filter((k) => flags[k] === undefined);
  if (missing.length > 0) {
    const { missingFlagsError } = await import('../prompts.js');
    throw missingFlagsError(missing.map((m) => `--${m}`), EXAMPLE);
  }

  const { planCreateWebhook } = await import('../../scaffold/webhook-plan.js');
  const { fastManifestPlanner } = await import('../../scaffold/manifest-planner.js');
  const { packageInfo } = await import('../../scaffold/package-info.js');
  const { scaffoldYear } = await import('../../scaffold/context.js');
  const { plan, context, userFiles } = await planCreateWebhook({
    view,
    group: flags.group!,
    version: flags.version!,
    kind: flags.kind!,
    defaulting: flags.defaulting === true,
    validation: flags.programmaticValidation === true,
    conversion: flags.conversion === true,
    ...(flags.spoke === undefined ? {} : { spoke: flags.spoke.split(',').map((s) => s.trim()).filter((s) => s !== '') }),
    force: flags.force === true,
    year: scaffoldYear(io.env),
    info: packageInfo(),
    manifests: fastManifestPlanner(dir),
  }, dir);

  const { printOrWritePlan } = await import('../write-plan.js');
  if (!(await printOrWritePlan(plan, dir, io, flags.dryRun === true))) return;
  const types = [
    flags.defaulting ? 'defaulting' : undefined,
    flags.programmaticValidation ? 'validation' : undefined,
    flags.conversion ? `conversion (hub ${context.version})` : undefined,
  ].filter((t) => t !== undefined);
  io.out(`Created ${types.join(', ')} webhook${types.length > 1 ? 's' : ''} of ${context.kind} (${context.apiVersion}).`);
  io.out('');
  io.out('Next steps:');
  for (const file of userFiles) io.out(`  implement ${file}`);
  io.out('  npm run build && npm test');
}
