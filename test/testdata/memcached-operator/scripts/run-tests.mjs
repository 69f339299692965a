#!/usr/bin/env node
// `npm test`: runs every test/**/*.test.ts with Node's test runner through tsx.
// Node 20's test runner neither expands globs nor finds .ts files by itself, so we list them here.
// Extra arguments are passed to node, e.g. `npm test -- --test-name-pattern=Ready`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = findTests('test').sort();
if (files.length === 0) {
  console.log('No tests yet: `operator-ts create api` adds a controller test under test/.');
  process.exit(0);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
