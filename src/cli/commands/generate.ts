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
        io.out(`Manifests: ${result.written.length} written, ${result.unchanged.length} unchanged.`);
      }),
  );
  return generate;
}
