import { readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Facts about the operator-ts package this CLI runs from (works from src/ under tsx and from dist/). */
export interface PackageInfo {
  root: string;
  name: string;
  version: string;
  /** The @kubernetes/client-node range generated projects should use (same major as ours). */
  clientNodeRange: string;
  /** The commander range generated projects declare their flags with (the one this CLI uses). */
  commanderRange: string;
}

export function packageRoot(): string {
  // This file is <root>/src/scaffold/package-info.ts or <root>/dist/scaffold/package-info.js.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  cached = {
    root,
    name: pkg.name,
    version: pkg.version,
    clientNodeRange: pkg.dependencies?.['@kubernetes/client-node'] ?? '^1.4.0',
    commanderRange: pkg.dependencies?.commander ?? '^14.0.3',
  };
  return cached;
}

/**
 * True when the CLI runs from a source checkout or a local clone rather than from an npm install:
 * an installed package always lives inside a node_modules directory.
 */
export function runsFromSourceCheckout(root = packageRoot()): boolean {
  return !root.split(sep).includes('node_modules');
}
