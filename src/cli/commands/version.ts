import { Command } from 'commander';
import { packageInfo, runsFromSourceCheckout } from '../../scaffold/package-info.js';
import type { CliIo } from '../io.js';

export function versionCommand(io: CliIo): Command {
  return new Command('version')
    .description('print the operator-ts version, Node.js version and how generated projects get the runtime')
    .addHelpText('after', `
Example:
  $ operator-ts version`)
    .action(() => {
      const info = packageInfo();
      io.out(`operator-ts ${info.version}`);
      io.out(`node ${process.version} (${process.platform}/${process.arch})`);
      io.out(`runtime for new projects: ${runsFromSourceCheckout(info.root) ? `vendored tarball (source checkout at ${info.root})` : `^${info.version} from the registry`}`);
    });
}
