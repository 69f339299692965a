import { UsageError } from '../scaffold/errors.js';
import type { CliIo } from './io.js';

/**
 * Missing values: asked for on a terminal (with @inquirer/prompts, loaded only when needed), an
 * error naming the flags everywhere else, so scripts and CI never hang on a question.
 */
export interface ValueQuestion {
  flag: string;
  message: string;
  /** Throws (a ValidationError) when the answer is not acceptable; the message is shown and asked again. */
  validate?: (value: string) => void;
  default?: string;
}

export function missingFlagsError(flags: string[], command: string): UsageError {
  const list = flags.join(', ');
  return new UsageError(`missing required flag${flags.length > 1 ? 's' : ''} ${list}: values can only be asked for on a terminal, and this is not one.`, {
    hint: `pass ${flags.map((f) => `${f} <value>`).join(' ')}; for example: ${command}`,
  });
}

/** Asks every question in turn (only call on a TTY). */
export async function askValues(questions: ValueQuestion[]): Promise<Record<string, string>> {
  const { input } = await import('@inquirer/prompts');
  const answers: Record<string, string> = {};
  for (const q of questions) {
    answers[q.flag] = await input({
      message: q.message,
      ...(q.default === undefined ? {} : { default: q.default }),
      validate: (value: string) => {
        try {
          q.validate?.(value.trim());
          return true;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
    });
    answers[q.flag] = answers[q.flag]!.trim();
  }
  return answers;
}

/** The SDK's `Create Resource [y/n]` question: y/yes/n/no, anything else is asked again. */
export async function askYesNo(message: string): Promise<boolean> {
  const { input } = await import('@inquirer/prompts');
  const answer = await input({
    message: `${message} [y/n]`,
    // Like the SDK: an answer other than y/yes/n/no is cleared and asked again.
    theme: { validationFailureMode: 'clear' },
    validate: (value: string) => (/^(y|yes|n|no)$/i.test(value.trim()) ? true : "answer 'y' or 'n'"),
  });
  return /^y/i.test(answer.trim());
}

/** Resolves a yes/no flag: given → as given; otherwise asked on a TTY (unless --yes), else yes. */
export async function resolveBoolean(value: boolean | undefined, message: string, io: CliIo, yes: boolean): Promise<boolean> {
  if (value !== undefined) return value;
  if (io.interactive && !yes) return askYesNo(message);
  return true;
}
