import { Node } from './ts-morph.js';

/** One JSDoc tag as written: `@minimum 1` → { name: 'minimum', value: '1' }. */
export interface DocTag {
  /** The tag name as written, without `@`. */
  name: string;
  /** The text after the name, lines joined with single spaces, trimmed ('' when absent). */
  value: string;
  /** The node the tag sits on, for error locations. */
  node: Node;
  line: number;
}

export interface DocComment {
  /** The free text before the first tag, or undefined when there is none. */
  description?: string;
  tags: DocTag[];
}

const EMPTY: DocComment = { tags: [] };

/**
 * Reads the last JSDoc block of a declaration (TypeScript's own rule when several precede it).
 * Description lines keep their breaks, trimmed, with runs of blank lines collapsed to one.
 */
export function readDocComment(node: Node): DocComment {
  if (!Node.isJSDocable(node)) return EMPTY;
  const docs = node.getJsDocs();
  const doc = docs[docs.length - 1];
  if (!doc) return EMPTY;
  const description = normalizeDescription(doc.getDescription());
  const tags = doc.getTags().map((tag) => ({
    name: tag.getTagName(),
    value: tagValue(tag.getText(), tag.getTagName()),
    node,
    line: tag.getStartLineNumber(),
  }));
  return { description, tags };
}

/**
 * The raw text after `@name`. TypeScript gives some tag names (`@enum`, `@see`, `@type`) a syntax
 * of their own and would split `@enum A, B` oddly, so the value is taken from the source text.
 */
function tagValue(raw: string, name: string): string {
  return raw
    .slice(raw.indexOf(name) + name.length)
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\*?/, '').trim())
    .filter((line) => line !== '' && line !== '*/')
    .join(' ')
    .trim();
}

function normalizeDescription(text: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? undefined : out.join('\n');
}
