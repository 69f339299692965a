/**
 * `npm run bench [-- name... --flag...]`: runs every bench/*.bench.ts (or those whose file name contains a given
 * name) in turn, each in its own Node process through tsx, with the `--` flags passed on to each, and prints their
 * output. Exits non-zero when any benchmark failed.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

if (files.length === 0) {
  console.error(`no bench/*.bench.ts files${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, file), ...flags], { stdio: 'inherit' });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) failed++;
  console.log(`=== ${file}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s ===`);
}
process.exit(failed === 0 ? 0 : 1);
