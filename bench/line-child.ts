import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process whose stdout lines the parent waits for by prefix (the benches' processes report events that way). */
export interface LineChild {
  proc: ChildProcess;
  /** The next unread line starting with `prefix`; rejects when none arrives within `timeoutMs`. */
  next(prefix: string, timeoutMs: number): Promise<string>;
}

export function spawnLineChild(args: string[], name: string): LineChild {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) w();
  });
  return {
    proc,
    async next(prefix, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const i = lines.findIndex((l) => l.startsWith(prefix));
        if (i >= 0) return lines.splice(i, 1)[0]!;
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`${name}: no '${prefix}' line within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
