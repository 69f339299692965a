/**
 * Drift check: the golden sample projects under test/testdata/ must equal what the CLI writes today.
 * After an intended template change, run `npm run build && npm run golden` and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with scripts/update-golden.mjs, no type declarations
import { goldenProjects, listFiles, repoRoot, scaffoldGolden } from '../../scripts/golden.mjs';

test('golden sample projects match what the CLI generates', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'operator-ts-golden-'));
  try {
    scaffoldGolden(fresh);
    for (const { name } of goldenProjects as Array<{ name: string }>) {
      const expectedDir = join(repoRoot, 'test', 'testdata', name);
      const actualDir = join(fresh, name);
      const expectedFiles: string[] = listFiles(expectedDir);
      const actualFiles: string[] = listFiles(actualDir);
      assert.deepEqual(actualFiles, expectedFiles, `${name}: the set of files changed; run npm run golden and review`);
      for (const file of expectedFiles) {
        const expected = readFileSync(join(expectedDir, file), 'utf8');
        const actual = readFileSync(join(actualDir, file), 'utf8');
        assert.equal(actual, expected, `${name}/${file} drifted from the golden copy; run npm run golden and review the diff`);
      }
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
