#!/usr/bin/env node
// `npm run golden`: regenerates test/testdata/ from the real CLI (run `npm run build` first).
import { join } from 'node:path';
import { repoRoot, scaffoldGolden } from './golden.mjs';

scaffoldGolden(join(repoRoot, 'test', 'testdata'));
console.log('golden projects regenerated under test/testdata/; review the diff with git diff test/testdata');
