/**
 * An AbortSignal that aborts on the first SIGTERM or SIGINT, starting the manager's graceful
 * shutdown. A second signal exits at once (exit code 1), for when shutdown hangs at a terminal.
 */
export function setupSignalHandler(proc: NodeJS.Process = process): AbortSignal {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(new Error(`received ${sig}`));
      return;
    }
    proc.exit(1);
  };
  proc.on('SIGTERM', onSignal);
  proc.on('SIGINT', onSignal);
  return controller.signal;
}
