import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

export function generateCommand(io: CliIo): Command {
  const generate = new Command('generate').description('regenerate files from code');
  generate.addCommand(
    new Command('manifests')
      .description('write config/crd/bases/*.yaml from src/api/**/*.types.ts and config/rbac/role.yaml from the controllers\' rbac')
      .option('--project-dir <dir>', 'project root (default: the current directory)')
      .addHelpText('after', `
Examples:
  $ operator-ts generate manifests
  $ operator-ts generate manifests --project-dir ./memcached-operator
  $ npm run manifests      # the same, from a generated project`)
      .action(async (flags: { projectDir?: string }) => {
        const projectDir = resolve(io.cwd, flags.projectDir ?? '.');
        const { assertProjectDir } = await import('../../project/project-dir.js');
        assertProjectDir(projectDir);
        // Loaded only here: the generator pulls in ts-morph and TypeScript, which other commands do not need.
        const { generateManifests } = await import('../../manifests/index.js');
        const result = await generateManifests({ projectDir });
        for (const path of result.written) io.out(`UPDATE ${path}`);
        for (const path of result.stale) io.err(`Warning: ${path} is left from earlier webhooks; PROJECT records none now, so delete it (and the webhook lines in config/default/kustomization.yaml) if they are no longer used.`);
        io.out(`Manifests: ${result.written.length} written, ${result.unchanged.length} unchanged.`);
      }),
  );
  generate.addCommand(bundleGenerateCommand(io));
  return generate;
}

interface GenerateBundleFlags {
  version?: string;
  channels?: string;
  defaultChannel?: string;
  package?: string;
  image?: string;
  force?: boolean;
  dryRun?: boolean;
  projectDir?: string;
}

function bundleGenerateCommand(io: CliIo): Command {
  return new Command('bundle')
    .description('write an OLM bundle (bundle/manifests with the ClusterServiceVersion, bundle/metadata, bundle.Dockerfile) from config/default')
    .option('--version <version>', 'bundle version, semantic (default: "version" in package.json)')
    .option('--channels <list>', 'comma-separated channels the bundle is published to (default: alpha)')
    .option('--default-channel <channel>', 'the package\'s default channel, one of --channels (default: the first channel)')
    .option('--package <name>', 'OLM package name, a DNS label (default: the project name)')
    .option('--image <ref>', 'manager image in the CSV (default: the one config/manager/kustomization.yaml sets)')
    .option('--force', 'also replace files under bundle/ that were not written by this command')
    .option('--dry-run', 'print the files that would be written and write nothing')
    .option('--project-dir <dir>', 'project root (default: the current directory)')
    .addHelpText('after', `
Needs kubectl (for kustomize). The first run writes config/manifests/bases/<package>.clusterserviceversion.yaml:
edit it (description, icon, keywords, maintainers, provider, links, install modes); later runs keep it.

Examples:
  $ operator-ts generate bundle
  $ operator-ts generate bundle --version 0.2.0 --channels alpha,stable --default-channel stable
  $ operator-ts generate bundle --image registry.example.com/memcached-operator:v0.2.0 --dry-run`)
    .action(async (flags: GenerateBundleFlags) => {
      const projectDir = resolve(io.cwd, flags.projectDir ?? '.');
      const { assertProjectDir } = await import('../../project/project-dir.js');
      assertProjectDir(projectDir);
      const { DiskView } = await import('../../scaffold/plan.js');
      const { planBundle } = await import('../../bundle/plan.js');
      const result = await planBundle({
        projectDir,
        version: flags.version,
        channels: flags.channels,
        defaultChannel: flags.defaultChannel,
        packageName: flags.package,
        image: flags.image,
        force: flags.force === true,
        env: io.env,
      }, new DiskView(projectDir));
      for (const s of result.skipped) io.out(`SKIP ${s}`);
      const { printOrWritePlan } = await import('../write-plan.js');
      if (!(await printOrWritePlan(result.plan, projectDir, io, flags.dryRun === true))) return;
      io.out(`Bundle ${result.version} written: ${result.csvPath}. Check it with: operator-ts bundle validate`);
    });
}
