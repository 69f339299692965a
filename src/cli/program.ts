import { Command } from 'commander';
import { bundleCommand } from './commands/bundle.js';
import { completionCommand } from './commands/completion.js';
import { createCommand } from './commands/create-api.js';
import { devCommand } from './commands/dev.js';
import { generateCommand } from './commands/generate.js';
import { initCommand } from './commands/init.js';
import { testenvCommand } from './commands/testenv.js';
import { versionCommand } from './commands/version.js';
import { packageInfo } from '../scaffold/package-info.js';
import type { CliIo } from './io.js';

/**
 * The commander program. Only commander and the command definitions load at start; each action
 * imports what it needs (handlebars, prompts, ts-morph, the test server) when it runs.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('operator-ts');
  program
    .description('The Operator SDK of TypeScript: scaffold Kubernetes operators with leader election built in.')
    .version(packageInfo().version, '-V, --version', 'print the operator-ts version')
    .enablePositionalOptions()
    // Everything after the first word that is not a root flag belongs to that word, so a mistyped
    // command (`creat api --version v1`) is reported as unknown instead of its flags being read here.
    .passThroughOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      // Errors are printed once, by reportError, in our format.
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true)
    .helpCommand('help [command]', 'show help for a command, with examples');

  program.addCommand(initCommand(io));
  program.addCommand(createCommand(io));
  program.addCommand(generateCommand(io));
  program.addCommand(bundleCommand(io));
  program.addCommand(testenvCommand(io));
  program.addCommand(devCommand(io));
  program.addCommand(versionCommand(io));
  program.addCommand(completionCommand(io, () => program));
  program.addHelpText('after', `
Examples:
  $ operator-ts init --domain example.com
  $ operator-ts create api --group cache --version v1alpha1 --kind Memcached
  $ operator-ts generate manifests
  $ operator-ts generate bundle --version 0.1.0
  $ operator-ts testenv --kubeconfig ./testenv.kubeconfig
  $ operator-ts dev -- --log-level=debug
  $ operator-ts help create api`);
  inheritSettings(program);
  return program;
}

/** addCommand does not copy exitOverride/output settings to commands built separately; do it here. */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inheritSettings(child);
  }
}
