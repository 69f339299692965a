import { ChildProcessExitError, OperatorTsError } from '../errors.js';
import { userPathError } from './path-error.js';

/** Exit codes: 0 ok, 1 user error (bad value, conflict, write failure), 2 usage error, 130 interrupted. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Commander error codes that mean the command line itself was malformed. */
const COMMANDER_USAGE = new Set([
  'commander.unknownOption', 'commander.unknownCommand', 'commander.missingArgument', 'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue', 'commander.invalidArgument', 'commander.excessArguments',
  'commander.conflictingOption', 'commander.help',
]);

/** Our error codes for a command stopped by SIGINT/SIGTERM (while writing, or during npm install). */
const INTERRUPTED_CODES = new Set(['EINTERRUPTED', 'EINSTALL_INTERRUPTED']);

interface CommanderLike {
  code: string;
  exitCode: number;
  message: string;
}

function isCommanderError(error: unknown): error is CommanderLike {
  return typeof error === 'object' && error !== null && typeof (error as CommanderLike).code === 'string'
    && (error as CommanderLike).code.startsWith('commander.');
}

/** Prints an error the way every command does and returns the process exit code for it. */
export function reportError(thrown: unknown, err: (line: string) => void, debug = false): number {
  // A file-system error on a path the user gave is their mistake to fix, not a bug.
  const error = userPathError(thrown) ?? thrown;
  if (isCommanderError(error)) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const message = error.message.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim();
    err(`Error: ${message}`);
    err("Hint: run 'operator-ts help <command>' to see its flags and an example");
    return COMMANDER_USAGE.has(error.code) ? EXIT_USAGE : EXIT_ERROR;
  }
  if (error instanceof OperatorTsError) {
    err(`Error: ${error.message}`);
    if (error.hint) err(`Hint: ${error.hint}`);
    if (debug && error.cause) err(`Cause: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}`);
    if (INTERRUPTED_CODES.has(error.code)) return EXIT_INTERRUPTED;
    if (error instanceof ChildProcessExitError) return error.exitCode;
    return error.code === 'EUSAGE' ? EXIT_USAGE : EXIT_ERROR;
  }
  if (error instanceof Error && error.name === 'ExitPromptError') {
    err('Error: the prompt was cancelled; nothing was written.');
    return EXIT_INTERRUPTED;
  }
  err(`Error: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  err('Hint: this is a bug in operator-ts; run again with OPERATOR_TS_DEBUG=1 and report the output');
  if (debug && error instanceof Error && error.stack) err(error.stack);
  return EXIT_ERROR;
}
