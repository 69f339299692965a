import { existsSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OperatorTsError } from '../errors.js';

/** A path the user gave (a flag value, a project directory) cannot be used; exit 1, not a bug report. */
export class UserPathError extends OperatorTsError {
  readonly path: string;
  constructor(path: string, message: string, hint: string, cause: unknown) {
    super('EPATH', message, { hint, cause });
    this.path = path;
  }
}

/** The operator-ts package itself: a file missing in here is a broken install or a bug, not a user mistake. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const READS = new Set(['open', 'read', 'readdir', 'stat', 'lstat', 'scandir', 'access']);

/**
 * Turns a Node file-system error (ENOENT, EACCES, EPERM, EISDIR, ENOTDIR, EROFS) on a path outside
 * the operator-ts package into a UserPathError naming the path, what is wrong and the fix; anything
 * else is returned as undefined and stays an unexpected failure.
 */
export function userPathError(error: unknown): UserPathError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || isInside(PACKAGE_ROOT, path)) return undefined;
  const parent = dirname(path);
  const access = syscall !== undefined && READS.has(syscall) ? 'read' : 'write';
  switch (code) {
    case 'ENOENT':
      return existsSync(parent)
        ? new UserPathError(path, `${path} does not exist.`, 'check the path (a typo?), or create it first', error)
        : new UserPathError(path, `cannot use ${path}: its directory ${parent} does not exist.`,
          `create the directory first (mkdir -p ${parent}), or choose a path in an existing directory`, error);
    case 'EACCES':
    case 'EPERM':
      return new UserPathError(path, `permission denied: operator-ts may not ${access} ${path}.`,
        `choose a path you may ${access}, or change its permissions (ls -ld ${parent})`, error);
    case 'EISDIR':
      return new UserPathError(path, `${path} is a directory, but a file is needed here.`,
        `pass the path of a file, for example one inside it: ${path.replace(/\/+$/, '')}/<name>`, error);
    case 'ENOTDIR':
      return new UserPathError(path, `cannot use ${path}: a part of it is a file, not a directory.`,
        'choose a path whose parent directories are directories', error);
    case 'EROFS':
      return new UserPathError(path, `cannot ${access} ${path}: it is on a read-only file system.`, 'choose a writable location', error);
    default:
      return undefined;
  }
}
