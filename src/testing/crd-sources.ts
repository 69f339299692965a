import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { OperatorTsError } from '../errors.js';

/** A CRD source that could not be read or parsed; names the file and what is wrong. */
export class CrdSourceError extends OperatorTsError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('ECRDSOURCE', message, options);
  }
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function filesOf(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new CrdSourceError(`CRD path ${path} does not exist`, { hint: 'Pass a YAML/JSON file, a directory of them, or a CRD object.', cause: err });
  }
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path)).sort();
  const out: string[] = [];
  for (const entry of entries) {
    const full = join(path, entry);
    const s = await stat(full);
    if (s.isDirectory()) out.push(...(await filesOf(full)));
    else if (EXTENSIONS.has(extname(entry).toLowerCase())) out.push(full);
  }
  return out;
}

/** Parses every document of a YAML/JSON file; lists (`kind: List`/`items`) are flattened. */
async function documentsOf(file: string): Promise<object[]> {
  const text = await readFile(file, 'utf8');
  const docs = parseAllDocuments(text);
  const out: object[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new CrdSourceError(`${file} is not valid YAML: ${doc.errors[0]!.message}`, { hint: 'Fix the file or remove it from the CRD sources.' });
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CrdSourceError(`${file} holds a document that is not an object`);
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.items) && typeof record.kind === 'string' && record.kind.endsWith('List')) out.push(...(record.items as object[]));
    else out.push(record);
  }
  return out;
}

/**
 * Resolves CRD sources (file paths, directories with every .yaml/.yml/.json inside, or objects) into
 * CustomResourceDefinition objects. Documents of other kinds are refused so a typo does not go unnoticed.
 */
export async function loadCrds(sources: ReadonlyArray<string | object>): Promise<object[]> {
  const crds: object[] = [];
  for (const source of sources) {
    const found: Array<{ doc: object; from: string }> = [];
    if (typeof source === 'string') {
      for (const file of await filesOf(source)) for (const doc of await documentsOf(file)) found.push({ doc, from: file });
    } else if (source !== null && typeof source === 'object') {
      found.push({ doc: source, from: 'an object passed in crds' });
    } else {
      throw new CrdSourceError(`a CRD source must be a path or an object, got ${typeof source}`);
    }
    for (const { doc, from } of found) {
      const record = doc as Record<string, unknown>;
      if (record.kind !== 'CustomResourceDefinition' || record.apiVersion !== 'apiextensions.k8s.io/v1') {
        throw new CrdSourceError(`${from} holds a ${String(record.apiVersion)} ${String(record.kind)}, not an apiextensions.k8s.io/v1 CustomResourceDefinition`, {
          hint: 'Only CRDs can be installed at start-up; create other objects through the API once the server runs.',
        });
      }
      crds.push(structuredClone(doc));
    }
  }
  return crds;
}
