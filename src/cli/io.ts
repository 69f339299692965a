import { guardOutput } from './closed-output.js';

/** The CLI's view of its process, injected so commands can be driven in tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Raw stream for progress output (spinners); writes nothing special when not a TTY. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Prompts are allowed only when both stdin and stdout are terminals. */
  interactive: boolean;
  /** True when writing the output failed (other than the reader closing it): the exit code must not be 0. */
  outputFailed?: () => boolean;
}

export function processIo(): CliIo {
  const guard = guardOutput(process.stdout, process.stderr, () => {
    process.exitCode = 1;
  });
  return {
    out: (line) => guard.out.write(`${line}\n`),
    err: (line) => guard.err.write(`${line}\n`),
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    outputFailed: () => guard.failed,
  };
}
