import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The environment for child processes. node:test marks its own children with NODE_TEST_CONTEXT, which would make
 * a nested `node --test` (the generated project's `npm test`) report in a binary protocol instead of TAP.
 */
function childEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with the tail of its output when it exits non-zero. */
export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code, stdout, stderr };
      if (code !== 0 && !opts.allowFailure) {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`));
      } else resolve(result);
    });
  });
}

/** A long-running child whose output is collected line by line. */
export class Replica {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;

  /** `processGroup`: run in a new process group, so `interrupt()` can signal it the way a terminal's Ctrl-C does. */
  constructor(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; processGroup?: boolean }) {
    this.child = spawn(cmd, args, { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'], detached: opts.processGroup === true });
    let partial = '';
    const onData = (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts.filter((l) => l.trim() !== ''));
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** SIGINT to every process of the child's process group (started with `processGroup`), like Ctrl-C at a terminal. */
  interrupt(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(-this.child.pid!, 'SIGINT');
  }

  /** JSON log records this replica printed so far. */
  records(): Array<Record<string, unknown>> {
    return this.lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  identity(): string | undefined {
    return this.records().find((r) => r.msg === 'manager started')?.identity as string | undefined;
  }

  output(): string {
    return this.lines.join('\n');
  }
}

/** Polls `check` until it returns a value, failing with `describe()` after `timeoutMs` (an integration wait). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
