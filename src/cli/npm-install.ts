import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, relative } from 'node:path';
import { OperatorTsError } from '../errors.js';
import type { CliIo } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * `npm install` in a freshly written project did not complete. The files stay (they were written
 * atomically before the install started); the message says so and gives the command that finishes
 * the job, because running `init` again would refuse the existing project.
 */
export class InstallError extends OperatorTsError {
  constructor(code: 'EINSTALL' | 'EINSTALL_INTERRUPTED', message: string, hint: string, cause?: unknown) {
    super(code, message, { hint, ...(cause === undefined ? {} : { cause }) });
  }
}

/** The command that finishes the install from the user's current directory. */
export function finishInstallCommand(dir: string, cwd: string): string {
  const rel = relative(cwd, dir);
  const shown = rel === '' ? '' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
  if (shown === '') return 'npm install';
  const quoted = /^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, "'\\''")}'`;
  return `cd ${quoted} && npm install`;
}

/**
 * Runs `npm install` in the new project, showing progress: a spinner with elapsed time on a terminal,
 * a plain line every 15 s elsewhere (so CI logs show it is alive). npm's own output is kept and
 * shown only when it fails. Ctrl-C reaches npm too (same process group); the CLI forwards SIGINT and
 * SIGTERM to npm as well (a second one kills it), waits for it to end, and reports the interruption.
 */
export async function runNpmInstall(dir: string, io: CliIo, now: () => number = Date.now): Promise<void> {
  const started = now();
  const tty = io.stderr.isTTY === true;
  const written = `the project is written at ${dir}, but its dependencies are not installed`;
  const finish = finishInstallCommand(dir, io.cwd);
  let child: ChildProcess | undefined;
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted === undefined) {
      interrupted = signal;
      child?.kill(signal);
    } else {
      child?.kill('SIGKILL');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  io.err(`Installing dependencies (npm install) in ${dir} ...`);
  let frame = 0;
  const elapsed = (): string => `${((now() - started) / 1000).toFixed(0)}s`;
  const timer = setInterval(() => {
    if (tty) io.stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} npm install ${elapsed()} `);
    else io.err(`  npm install still running (${elapsed()})`);
  }, tty ? 100 : 15_000);
  const output: string[] = [];
  let code: number | null;
  try {
    code = await new Promise<number | null>((resolve, reject) => {
      child = spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: io.env });
      child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.on('error', reject);
      child.on('close', resolve);
    });
  } catch (error) {
    throw new InstallError('EINSTALL', `npm could not be started (${error instanceof Error ? error.message : String(error)}): ${written}.`,
      `install Node.js with npm, then run: ${finish}`, error);
  } finally {
    clearInterval(timer);
    if (tty) io.stderr.write('\r\x1b[K');
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interrupted !== undefined) {
    throw new InstallError('EINSTALL_INTERRUPTED', `npm install was interrupted by ${interrupted}: ${written} (node_modules may be incomplete).`,
      `finish the install with: ${finish}`);
  }
  if (code !== 0) {
    const tail = output.join('').trim().split('\n').slice(-15).map((line) => `  ${line}`).join('\n');
    throw new InstallError('EINSTALL', `npm install failed (exit code ${code}): ${written}. npm said:\n${tail}`,
      `fix the problem npm reported, then run: ${finish}`);
  }
  io.err(`Installed dependencies in ${((now() - started) / 1000).toFixed(1)}s.`);
}
