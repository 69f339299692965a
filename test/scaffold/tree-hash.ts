import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Hash of a directory tree: every path, its type, mode and contents. Equal hashes = byte-identical trees. */
export function treeHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(full);
      hash.update(`${path}\0${st.mode}\0`);
      if (st.isDirectory()) walk(full, path);
      else if (st.isSymbolicLink()) hash.update(readlinkSync(full));
      else hash.update(readFileSync(full));
      hash.update('\0');
    }
  };
  walk(root, '');
  return hash.digest('hex');
}
