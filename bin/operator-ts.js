#!/usr/bin/env node
// Launcher: the CLI itself lives in dist/cli/main.js (built with `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`Error: operator-ts is not built (${fileURLToPath(entry)} is missing).\nHint: run npm run build in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exitCode = 1;
} else {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv);
}
