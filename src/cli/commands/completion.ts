import { Argument, Command } from 'commander';
import { bashCompletion, fishCompletion, zshCompletion, type CompletionNode } from '../completion-scripts.js';
import type { CliIo } from '../io.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** Describes a commander command tree for the completion generators. */
export function describeCommand(cmd: Command): CompletionNode {
  const values = cmd.name() === 'completion' ? [...SHELLS]
    : cmd.name() === 'help' ? (cmd.parent?.commands ?? []).map((c) => c.name()).filter((n) => n !== 'help') : [];
  return {
    name: cmd.name(),
    description: cmd.description(),
    options: [
      ...cmd.options.filter((o) => o.long !== undefined && !o.hidden).map((o) => ({
        flag: o.long!,
        description: o.description,
        takesValue: o.required || o.optional,
        ...(o.argChoices === undefined ? {} : { choices: o.argChoices }),
        // A value named <dir> or <file> in the flag's usage is a path.
        ...(/<(dir|file)>/.test(o.flags) ? { path: true } : {}),
      })),
      { flag: '--help', description: 'show help', takesValue: false },
    ],
    values,
    children: cmd.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden).map(describeCommand),
  };
}

export function completionCommand(io: CliIo, root: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'shell to complete for').choices([...SHELLS]))
    .addHelpText('after', `
Examples:
  $ source <(operator-ts completion bash)        # add to ~/.bashrc
  $ source <(operator-ts completion zsh)         # add to ~/.zshrc
  $ operator-ts completion fish > ~/.config/fish/completions/operator-ts.fish`)
    .action((shell: (typeof SHELLS)[number]) => {
      const tree = describeCommand(root());
      const script = shell === 'bash' ? bashCompletion(tree) : shell === 'zsh' ? zshCompletion(tree) : fishCompletion(tree);
      io.out(script.trimEnd());
    });
}
