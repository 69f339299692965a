import { relative, sep } from 'node:path';
import type { Node } from 'ts-morph';
import type { SourceLocation } from './errors.js';

/** A node's position as the user sees it: path relative to the project root (posix) and 1-based line. */
export function locationOf(node: Node, projectDir: string, subject: string, line?: number): SourceLocation {
  const file = relative(projectDir, node.getSourceFile().getFilePath()).split(sep).join('/');
  return { file, line: line ?? node.getStartLineNumber(), subject };
}
