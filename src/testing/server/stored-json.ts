import type { Obj } from './registry.js';

/**
 * The form an object is stored in: rebuilt from its JSON text. Objects that were decoded and then had
 * fields added and removed (uid, timestamps, managedFields, resourceVersion) keep V8's grown shapes and
 * spare property slots for as long as they are stored; JSON.parse builds each object at its final size,
 * about a quarter smaller for a small ConfigMap. The round trip also makes the stored value exactly its
 * wire form (no undefined fields), which is what every reader serialises anyway.
 *
 * The text is remembered for the object just stored, so the reply to the write that stored it is not
 * serialised a second time (see jsonText). One slot only: keeping texts for every stored object would
 * cost more memory than the rebuild saves.
 */
let lastObject: Obj | undefined;
let lastText = '';

export function compactStored(candidate: Obj): Obj {
  const text = JSON.stringify(candidate);
  const stored = JSON.parse(text) as Obj;
  lastObject = stored;
  lastText = text;
  return stored;
}

/** JSON.stringify(value), reusing the text of the object stored last when `value` is that object. */
export function jsonText(value: unknown): string {
  return value === lastObject ? lastText : JSON.stringify(value);
}
