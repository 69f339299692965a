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
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
}
