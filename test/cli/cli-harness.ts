import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = join(repoRoot, 'bin', 'operator-ts.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when the CLI or scaffold sources are newer than the built CLI (npm test builds first anyway). */
export function ensureBuilt(): void {
  const main = join(repoRoot, 'dist', 'cli', 'main.js');
  const sources = Math.max(...['src/cli', 'src/scaffold', 'src/manifests', 'src/bundle'].map((d) => newestMtime(join(repoRoot, d))));
  const derived = join(repoRoot, 'dist', 'derived', 'api-manifests.json');
  if (existsSync(main) && statSync(main).mtimeMs >= sources && existsSync(derived) && statSync(derived).mtimeMs >= sources) return;
  // Other parts may have type errors mid-development; tsc still emits, so check the output instead.
  spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'tsconfig.build.json')], { stdio: 'ignore' });
  if (!existsSync(main)) throw new Error(`building operator-ts did not produce ${main}`);
  // The second half of `npm run build`: the manifests create api writes, derived from the templates.
  const derive = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'derive-api-manifests.mjs')], { encoding: 'utf8' });
  if (derive.status !== 0) throw new Error(`deriving the api manifests failed: ${derive.stderr}`);
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for CLI runs: no TTY, the runtime dependency pinned (fast, no npm pack) unless overridden. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPERATOR_TS_RUNTIME_SPEC: '^0.1.0', NO_COLOR: '1', ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/** A directory holding a fake `npm` (test/cli/fixtures/fake-npm/npm) to put first on PATH. */
export const fakeNpmDir = join(repoRoot, 'test', 'cli', 'fixtures', 'fake-npm');

/** cliEnv with the fake npm on PATH; `mode` is ok, fail or interrupt (see the fixture). */
export function fakeNpmEnv(mode: 'ok' | 'fail' | 'interrupt', extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cliEnv({ PATH: `${fakeNpmDir}${delimiter}${process.env['PATH'] ?? ''}`, FAKE_NPM: mode, ...extra });
}

export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = cliEnv()): RunResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI and sends `signal` once stdout contains `when`. */
export function runCliAndSignal(args: string[], cwd: string, env: NodeJS.ProcessEnv, when: string, signal: NodeJS.Signals): Promise<RunResult & { sent: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && stdout.includes(when)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => resolvePromise({ code, signal: sig, stdout, stderr, sent }));
  });
}
