import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

/**
 * ts-morph is a CommonJS package. Loaded with require() instead of an ESM import, Node skips the
 * CommonJS export scan of its ~1 MB entry file; that makes loading it about a third cheaper
 * (measured: 0.37 s instead of 0.55 s of CPU), which create api and generate manifests both pay.
 */
const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

export const Project = tsMorph.Project;
export type Project = TsMorph.Project;
export const Node = tsMorph.Node;
export type Node = TsMorph.Node;
export const ts = tsMorph.ts;
