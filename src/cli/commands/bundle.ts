import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

export function bundleCommand(io: CliIo): Command {
  const bundle = new Command('bundle').description('work with the OLM bundle `generate bundle` writes');
  bundle.addCommand(
    new Command('validate')
      .description('check a bundle directory: CSV required fields, semver version, install modes, owned CRDs, annotations')
      .argument('[dir]', 'bundle directory (default: ./bundle)')
      .addHelpText('after', `
Exits 1 listing every problem (file, field, value and fix), 0 with "bundle valid" otherwise.

Examples:
  $ operator-ts bundle validate
  $ operator-ts bundle validate ./bundle`)
      .action(async (dir: string | undefined) => {
        const { validateBundle } = await import('../../bundle/validate.js');
        const result = validateBundle(resolve(io.cwd, dir ?? 'bundle'), io.cwd);
        io.out(`bundle valid: ${result.csvName}`);
      }),
  );
  return bundle;
}
