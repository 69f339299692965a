import type { Command, Option } from 'commander';
import { UsageError } from '../scaffold/errors.js';

/**
 * Mistakes commander would misread, caught before it parses:
 * - flags with no command in front (`operator-ts --group infra --version v1 --kind Backup`): the
 *   root's `--version` would print the CLI version and exit 0. The version flag counts only alone.
 * - a value flag followed by another flag (`--version --kind Foo`): commander takes `--kind` as the
 *   value and then complains about an excess argument, which names neither flag.
 * `args` are the words after the script name.
 */
export function checkArgv(args: readonly string[], program: Command): void {
  checkRootFlags(args, program);
  checkFlagValues(args, program);
}

const ROOT_ALONE = new Set(['--version', '-V']);
const HELP = new Set(['--help', '-h']);

function checkRootFlags(args: readonly string[], program: Command): void {
  const first = args[0];
  if (first === undefined || !first.startsWith('-') || HELP.has(first)) return;
  if (ROOT_ALONE.has(first) && args.length === 1) return;
  const given = args.join(' ');
  const target = commandAccepting(program, args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!));
  const versionNote = args.some((a) => ROOT_ALONE.has(a)) ? ` (${first === '-V' ? '-V' : '--version'} prints the operator-ts version only as the sole argument)` : '';
  throw new UsageError(`flags were given without a command: '${given}'; flags go after a command, as in operator-ts <command> [flags]${versionNote}.`, {
    hint: target === undefined
      ? "run 'operator-ts help' to see the commands"
      : `put the command first, for example: operator-ts ${target} ${given}`,
  });
}

/** The first leaf command (as "create api") that has every one of these long flags (none given: none). */
function commandAccepting(root: Command, flags: string[]): string | undefined {
  if (flags.length === 0) return undefined;
  for (const { path, command } of leaves(root)) {
    if (flags.every((flag) => command.options.some((o) => o.long === flag))) return path.join(' ');
  }
  return undefined;
}

function leaves(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  if (command.commands.length === 0) return path.length === 0 ? [] : [{ path, command }];
  return command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

function checkFlagValues(args: readonly string[], program: Command): void {
  let command = program;
  let i = 0;
  for (; i < args.length; i++) {
    const next = command.commands.find((c) => c.name() === args[i] || c.aliases().includes(args[i]!));
    if (next === undefined) break;
    command = next;
  }
  for (; i < args.length - 1; i++) {
    if (args[i] === '--') return;
    const option = findOption(command, args[i]!);
    if (option === undefined || !option.required) continue;
    const value = args[i + 1]!;
    if (findOption(command, value.split('=')[0]!) !== undefined) {
      throw new UsageError(`${option.long ?? option.flags} needs a value, but the next word is the flag ${value}.`, {
        hint: `give the value right after the flag: ${option.flags}`,
      });
    }
    i++;
  }
}

function findOption(command: Command, word: string): Option | undefined {
  if (!word.startsWith('-')) return undefined;
  return command.options.find((o) => o.long === word || o.short === word);
}
