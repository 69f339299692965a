import { checkArgv } from './argv-checks.js';
import { buildProgram } from './program.js';
import { reportError, EXIT_ERROR, EXIT_OK } from './exit.js';
import { processIo, type CliIo } from './io.js';

/**
 * Runs the CLI and returns the exit code; the bin sets process.exitCode from it. This is the only
 * place errors are printed (Error: ..., Hint: ...); nothing calls process.exit.
 */
export async function main(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  let code: number;
  try {
    const args = rewriteHelp(argv);
    checkArgv(args.slice(2), program);
    await program.parseAsync(args);
    code = EXIT_OK;
  } catch (error) {
    code = reportError(error, (line) => io.err(line), Boolean(io.env['OPERATOR_TS_DEBUG']));
  }
  // Output that could not be written (other than a reader that closed the pipe) is a failure.
  return code === EXIT_OK && io.outputFailed?.() === true ? EXIT_ERROR : code;
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
