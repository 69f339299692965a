#!/usr/bin/env node
// Copies the JSON data files under src/ (read at run time, e.g. the built-in kinds' decode types) next to the
// compiled code in dist/, which tsc does not do for files that are read rather than imported.
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
  const from = join(entry.parentPath ?? entry.path, entry.name);
  cpSync(from, join(root, 'dist', relative(src, from)));
}
