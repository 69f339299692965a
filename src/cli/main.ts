import { buildProgram } from './program.js';
import { reportError, EXIT_OK } from './exit.js';
import { processIo, type CliIo } from './io.js';

/**
 * Runs the CLI and returns the exit code; the bin sets process.exitCode from it. This is the only
 * place errors are printed (Error: ..., Hint: ...); nothing calls process.exit.
 */
export async function main(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(rewriteHelp(argv));
    return EXIT_OK;
  } catch (error) {
    return reportError(error, (line) => io.err(line), Boolean(io.env['OPERATOR_TS_DEBUG']));
  }
}

/**
 * `operator-ts help create api` → `operator-ts create api --help`: commander's help command only
 * looks one level deep, and nested commands need their own help (with its examples).
 */
export function rewriteHelp(argv: readonly string[]): string[] {
  const [node = 'node', script = 'operator-ts', first, ...rest] = argv;
  if (first !== 'help') return [...argv];
  return [node, script, ...rest.filter((a) => !a.startsWith('-')), '--help'];
}
