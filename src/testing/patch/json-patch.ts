import { PatchError } from './errors.js';
import { cloneJson, deepEqual, isPlainObject } from './json-values.js';
import { describe } from './merge-patch.js';

/**
 * RFC 6902 JSON patch. A malformed patch document is a 400 (as the API server decodes it first);
 * an operation that cannot apply — missing path, failing `test` — is a 422, like the real server.
 */

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

export function applyJsonPatch(current: object, patch: unknown): object {
  const operations = decodeOperations(patch);
  // Work on a wrapper so an operation on the root pointer ("") replaces the whole document.
  const doc: { root: unknown } = { root: cloneJson(current) };
  operations.forEach((operation, index) => applyOperation(doc, operation, index));
  if (!isPlainObject(doc.root)) {
    throw new PatchError(422, `the JSON patch turned the object into ${describe(doc.root)}`, {
      hint: 'A patched API object must remain a JSON object.',
    });
  }
  return doc.root;
}

function decodeOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw new PatchError(400, `a JSON patch must be an array of operations, got ${describe(patch)}`, {
      hint: 'Send for example [{"op":"replace","path":"/spec/replicas","value":3}].',
    });
  }
  return patch.map((raw, index) => {
    if (!isPlainObject(raw)) throw badOperation(index, `operation must be an object, got ${describe(raw)}`);
    const { op, path, from } = raw;
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw badOperation(index, `unknown "op" ${JSON.stringify(op)}; expected one of add, remove, replace, move, copy, test`);
    }
    if (typeof path !== 'string') throw badOperation(index, `"path" must be a string JSON pointer`);
    parsePointer(path, index);
    if ((op === 'move' || op === 'copy') && typeof from !== 'string') {
      throw badOperation(index, `"${op}" needs a "from" JSON pointer`);
    }
    if (typeof from === 'string') parsePointer(from, index);
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in raw)) {
      throw badOperation(index, `"${op}" needs a "value"`);
    }
    return raw as unknown as Operation;
  });
}

function badOperation(index: number, message: string): PatchError {
  return new PatchError(400, `invalid JSON patch operation #${index}: ${message}`, {
    hint: 'Each operation is {"op", "path", ["from"], ["value"]} as in RFC 6902.',
  });
}

/** Splits a JSON pointer into unescaped tokens ("~1" is "/", "~0" is "~"). */
export function parsePointer(pointer: string, index = 0): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badOperation(index, `JSON pointer ${JSON.stringify(pointer)} must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw badOperation(index, `JSON pointer ${JSON.stringify(pointer)} has a bad "~" escape`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function cannotApply(index: number, operation: Operation, message: string): PatchError {
  return new PatchError(422, `JSON patch operation #${index} (${operation.op} ${operation.path}) failed: ${message}`, {
    hint: 'Read the object first and build the patch against its current content.',
  });
}

/** Resolves the container of the last token: [container, lastToken]. The root is the wrapper. */
function locate(doc: { root: unknown }, tokens: string[], fail: (m: string) => PatchError): [Record<string, unknown> | unknown[], string] {
  let container: Record<string, unknown> | unknown[] = doc as unknown as Record<string, unknown>;
  let key = 'root';
  for (const token of tokens) {
    const next = readChild(container, key, fail);
    if (!isPlainObject(next) && !Array.isArray(next)) fail(`path segment ${JSON.stringify(token)} goes through ${describe(next)}`);
    container = next as Record<string, unknown> | unknown[];
    key = token;
  }
  return [container, key];
}

function arrayIndex(array: unknown[], token: string, allowEnd: boolean, fail: (m: string) => PatchError): number {
  if (token === '-' && allowEnd) return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw fail(`${JSON.stringify(token)} is not an array index`);
  const i = Number(token);
  if (i > array.length || (!allowEnd && i === array.length)) throw fail(`array index ${i} is out of bounds (length ${array.length})`);
  return i;
}

function readChild(container: Record<string, unknown> | unknown[], key: string, fail: (m: string) => PatchError): unknown {
  if (Array.isArray(container)) return container[arrayIndex(container, key, false, fail)];
  if (!Object.prototype.hasOwnProperty.call(container, key)) throw fail(`path element ${JSON.stringify(key)} does not exist`);
  return container[key];
}

function readAt(doc: { root: unknown }, pointer: string, fail: (m: string) => PatchError): unknown {
  const [container, key] = locate(doc, parsePointer(pointer), fail);
  return readChild(container, key, fail);
}

function removeAt(doc: { root: unknown }, pointer: string, fail: (m: string) => PatchError): unknown {
  const [container, key] = locate(doc, parsePointer(pointer), fail);
  const value = readChild(container, key, fail);
  if (Array.isArray(container)) container.splice(Number(key), 1);
  else if (container === (doc as unknown)) doc.root = null;
  else delete container[key];
  return value;
}

function addAt(doc: { root: unknown }, pointer: string, value: unknown, fail: (m: string) => PatchError): void {
  const [container, key] = locate(doc, parsePointer(pointer), fail);
  if (Array.isArray(container)) container.splice(arrayIndex(container, key, true, fail), 0, value);
  else container[key] = value;
}

function applyOperation(doc: { root: unknown }, operation: Operation, index: number): void {
  const fail = (message: string): PatchError => {
    throw cannotApply(index, operation, message);
  };
  switch (operation.op) {
    case 'add':
      addAt(doc, operation.path, cloneJson(operation.value), fail);
      return;
    case 'remove':
      removeAt(doc, operation.path, fail);
      return;
    case 'replace':
      removeAt(doc, operation.path, fail);
      addAt(doc, operation.path, cloneJson(operation.value), fail);
      return;
    case 'move': {
      const from = operation.from!;
      if (operation.path !== from && operation.path.startsWith(`${from}/`)) fail(`cannot move ${from} into its own child`);
      const value = removeAt(doc, from, fail);
      addAt(doc, operation.path, value, fail);
      return;
    }
    case 'copy':
      addAt(doc, operation.path, cloneJson(readAt(doc, operation.from!, fail)), fail);
      return;
    case 'test': {
      const actual = readAt(doc, operation.path, fail);
      if (!deepEqual(actual, operation.value)) {
        fail(`value is ${JSON.stringify(actual)}, expected ${JSON.stringify(operation.value)}`);
      }
      return;
    }
  }
}
