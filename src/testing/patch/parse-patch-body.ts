import { parse as parseYaml } from 'yaml';
import { PatchError } from './errors.js';
import type { PatchType } from './content-type.js';

/**
 * Patches arrive as raw request bodies (string or bytes) or already parsed. Raw bodies are decoded
 * here: JSON for merge/json/strategic, YAML (a superset of JSON) for apply. Bad syntax is a 400.
 */
export function parsePatchBody(type: PatchType, patch: unknown): unknown {
  let text: string | undefined;
  if (typeof patch === 'string') text = patch;
  else if (patch instanceof Uint8Array) text = Buffer.from(patch).toString('utf8');
  if (text === undefined) return patch;
  if (text.trim() === '') {
    throw new PatchError(400, 'the patch body is empty', { hint: 'Send a JSON (or, for apply, YAML) document.' });
  }
  try {
    if (type === 'apply') {
      const doc = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
      return doc;
    }
    return JSON.parse(text) as unknown;
  } catch (err) {
    const what = type === 'apply' ? 'YAML or JSON' : 'JSON';
    throw new PatchError(400, `the ${type} patch body is not valid ${what}: ${(err as Error).message}`, {
      hint: `Check the request body; it must be a single ${what} document.`,
      cause: err,
    });
  }
}
