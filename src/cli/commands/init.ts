import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { CliIo } from '../io.js';

interface InitFlags {
  domain?: string;
  projectName?: string;
  owner?: string;
  license: string;
  skipInstall?: boolean;
  force?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  projectDir?: string;
}

export function initCommand(io: CliIo): Command {
  return new Command('init')
    .description('scaffold a new operator project (manager with leader election, RBAC, Deployment, Dockerfile)')
    .option('--domain <domain>', 'domain of the API groups, e.g. example.com (default: my.domain)')
    .option('--project-name <name>', "project name, a DNS-1123 label of at most 56 characters (default: the directory's name)")
    .option('--owner <owner>', 'copyright owner for LICENSE and README', undefined)
    .addOption(new Option('--license <license>', 'license of the generated project').choices(['apache2', 'mit', 'none']).default('apache2'))
    .option('--skip-install', 'do not run npm install in the new project')
    .option('--force', 'overwrite files that already exist')
    .option('--dry-run', 'print the files that would be written and write nothing')
    .option('--yes', 'accept defaults instead of asking')
    .option('--project-dir <dir>', 'directory to scaffold into (default: the current directory; created if missing)')
    .addHelpText('after', `
Examples:
  $ mkdir memcached-operator && cd memcached-operator
  $ operator-ts init --domain example.com
  $ operator-ts init --domain example.com --project-name memcached-operator --license mit --owner "Jane Doe" --skip-install
  $ operator-ts init --project-dir ./new-operator --dry-run`)
    .action(async (flags: InitFlags) => runInit(flags, io));
}

/** Other entries of a non-empty target directory, for the warning (VCS metadata does not count). */
function otherEntries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((e) => e !== '.git' && e !== '.hg' && e !== '.svn').sort();
}

async function runInit(flags: InitFlags, io: CliIo): Promise<void> {
  const dir = resolve(io.cwd, flags.projectDir ?? '.');
  const {
    validateDomain, validateLicense, validateOwner, validateProjectName,
  } = await import('../../project/names.js');
  const { UsageError } = await import('../../scaffold/errors.js');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UsageError(`${dir} exists and is not a directory.`, { hint: 'pass --project-dir with a directory path' });
  }

  let domain = flags.domain;
  let projectName = flags.projectName;
  if (io.interactive && !flags.yes && (domain === undefined || projectName === undefined)) {
    const { askValues } = await import('../prompts.js');
    const answers = await askValues([
      ...(domain === undefined ? [{ flag: '--domain', message: 'Domain of your API groups', default: 'my.domain', validate: validateDomain }] : []),
      ...(projectName === undefined ? [{ flag: '--project-name', message: 'Project name', default: basename(dir), validate: validateProjectName }] : []),
    ]);
    domain ??= answers['--domain'];
    projectName ??= answers['--project-name'];
  }
  domain = validateDomain(domain ?? 'my.domain');
  if (projectName === undefined) {
    try {
      projectName = validateProjectName(basename(dir));
    } catch (error) {
      throw new UsageError(`the directory name '${basename(dir)}' cannot be the project name: ${(error as Error).message}`, {
        hint: 'pass --project-name with a DNS-1123 label, for example --project-name memcached-operator',
      });
    }
  }
  projectName = validateProjectName(projectName);
  const owner = validateOwner(flags.owner ?? '');
  const license = validateLicense(flags.license);

  const { DiskView, assertNoConflicts } = await import('../../scaffold/plan.js');
  const { planInit, AlreadyInitializedError, PROJECT_MARKERS } = await import('../../scaffold/init-plan.js');
  const view = new DiskView(dir);
  for (const marker of PROJECT_MARKERS) if (view.read(marker) !== undefined) throw new AlreadyInitializedError(dir, marker);

  const { packageInfo } = await import('../../scaffold/package-info.js');
  const { resolveRuntimeDependency } = await import('../../scaffold/runtime-dependency.js');
  const { scaffoldYear } = await import('../../scaffold/context.js');
  const info = packageInfo();
  const overrideSpec = io.env['OPERATOR_TS_RUNTIME_SPEC'];
  const runtime = await resolveRuntimeDependency({ info, ...(overrideSpec ? { overrideSpec } : {}) });
  const { plan, context } = planInit({ view, domain, projectName, owner, license, force: flags.force === true, year: scaffoldYear(io.env), info, runtime }, dir);

  const { printDryRun, writePlan } = await import('../write-plan.js');
  if (flags.dryRun) return printDryRun(plan, dir, io);
  assertNoConflicts(plan);
  const others = otherEntries(dir);
  if (others.length > 0) {
    io.err(`Warning: ${dir} is not empty (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}); those files are kept.`);
  }

  const { commitPlan, commitPlanToNewDirectory } = await import('../../scaffold/commit.js');
  await writePlan(plan, dir, io, existsSync(dir) ? commitPlan : commitPlanToNewDirectory);
  io.out(`Scaffolded project ${projectName} (leader-election id ${context.leaderElectionId}).`);
  if (runtime.vendored) io.out(`The operator-ts runtime is vendored as ${runtime.tarball!.path} (this CLI runs from a source checkout).`);

  if (!flags.skipInstall) {
    const { runNpmInstall } = await import('../npm-install.js');
    await runNpmInstall(dir, io);
  }
  const rel = relative(io.cwd, dir);
  io.out('');
  io.out('Next steps:');
  if (rel !== '') io.out(`  cd ${rel}`);
  if (flags.skipInstall) io.out('  npm install');
  io.out('  operator-ts create api --group cache --version v1alpha1 --kind Memcached');
  io.out('  npm run dev        # run the operator against an embedded API server, no cluster needed');
}
