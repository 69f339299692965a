/**
 * stdout/stderr closed by the reader (`operator-ts help create api | head -1`): Node reports EPIPE
 * as an 'error' event, which would crash the process with a stack trace. The reader chose to stop
 * reading, so the command ends quietly with the exit code it would have had; later writes are
 * dropped. Any other write failure (a full disk behind `> file`) means the output is incomplete, so
 * the command must not exit 0: it is reported on the other stream when possible and fails.
 */
export interface GuardedStream {
  write(text: string): void;
  /** True once the stream failed; nothing more is written to it. */
  readonly closed: boolean;
}

const QUIET_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export interface OutputGuard {
  out: GuardedStream;
  err: GuardedStream;
  /** A write failed for another reason than a closed reader: the output is incomplete. */
  readonly failed: boolean;
}

/**
 * `onFailure` runs once on a real write failure; the process passes one that sets a non-zero exit code,
 * since the failure may be noticed only after the command returned its code.
 */
export function guardOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, onFailure: () => void = () => undefined): OutputGuard {
  const state = { failed: false };
  const guard = (stream: NodeJS.WritableStream, name: string, other: () => GuardedStream): GuardedStream => {
    let closed = false;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (closed) return;
      closed = true;
      if (error.code !== undefined && QUIET_CODES.has(error.code)) return;
      state.failed = true;
      onFailure();
      other().write(`Error: writing to ${name} failed (${error.code ?? error.message}); the output is incomplete.\n`);
    });
    return {
      write: (text) => {
        if (!closed) stream.write(text);
      },
      get closed() {
        return closed;
      },
    };
  };
  const out: GuardedStream = guard(stdout, 'stdout', () => err);
  const err: GuardedStream = guard(stderr, 'stderr', () => out);
  return {
    out,
    err,
    get failed() {
      return state.failed;
    },
  };
}
