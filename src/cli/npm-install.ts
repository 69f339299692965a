import { spawn } from 'node:child_process';
import { OperatorTsError } from '../errors.js';
import type { CliIo } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Runs `npm install` in the new project, showing progress: a spinner with elapsed time on a terminal,
 * a plain line every 15 s elsewhere (so CI logs show it is alive). npm's own output is kept and
 * shown only when it fails.
 */
export async function runNpmInstall(dir: string, io: CliIo, now: () => number = Date.now): Promise<void> {
  const started = now();
  const tty = io.stderr.isTTY === true;
  io.err(`Installing dependencies (npm install) in ${dir} ...`);
  let frame = 0;
  const elapsed = (): string => `${((now() - started) / 1000).toFixed(0)}s`;
  const timer = setInterval(() => {
    if (tty) io.stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} npm install ${elapsed()} `);
    else io.err(`  npm install still running (${elapsed()})`);
  }, tty ? 100 : 15_000);
  const output: string[] = [];
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: io.env });
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (tty) io.stderr.write('\r\x1b[K');
    if (code !== 0) {
      const tail = output.join('').trim().split('\n').slice(-15).join('\n');
      throw new OperatorTsError('EINSTALL', `npm install failed (exit code ${code}) in ${dir}; the project files were written.\n${tail}`, {
        hint: `fix the problem shown above, then run 'npm install' in ${dir}`,
      });
    }
    io.err(`Installed dependencies in ${((now() - started) / 1000).toFixed(1)}s.`);
  } catch (error) {
    if (error instanceof OperatorTsError) throw error;
    throw new OperatorTsError('EINSTALL', `npm could not be started in ${dir}: ${error instanceof Error ? error.message : String(error)}; the project files were written.`, {
      hint: `install Node.js with npm, then run 'npm install' in ${dir}`,
      cause: error,
    });
  } finally {
    clearInterval(timer);
  }
}
