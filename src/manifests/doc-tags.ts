import type { Node } from 'ts-morph';
import { ManifestError, type SourceLocation } from './errors.js';
import { readDocComment, type DocTag } from './jsdoc.js';
import { classifyTag, knownTagList, type ConversionTag, type SchemaTag } from './tag-names.js';

/** A declaration's doc comment, split by what each tag does. */
export interface ClassifiedDoc {
  description?: string;
  schemaTags: Array<{ tag: DocTag; name: SchemaTag }>;
  conversion: Set<ConversionTag>;
  /** Root-only tags (`@plural`, `@printcolumn`, ...), in source order. */
  rootTags: DocTag[];
}

/**
 * Reads and classifies a declaration's tags. Declarations from outside the project (node_modules,
 * built-in stand-ins) contribute only their description: their tags were not written for us.
 * An unknown tag in the project's own files is an error, so a typo cannot drop a constraint.
 */
export function classifiedDoc(node: Node, locate: (line: number) => SourceLocation): ClassifiedDoc {
  const doc = readDocComment(node);
  const out: ClassifiedDoc = { description: doc.description, schemaTags: [], conversion: new Set(), rootTags: [] };
  if (isExternal(node)) return out;
  for (const tag of doc.tags) {
    const kind = classifyTag(tag.name);
    if (kind === undefined) {
      throw new ManifestError(`unknown tag @${tag.name}`, { location: locate(tag.line), hint: `Known tags: ${knownTagList()}.` });
    }
    if (kind.kind === 'schema') out.schemaTags.push({ tag, name: kind.name });
    else if (kind.kind === 'conversion') {
      if (tag.value !== '' && tag.value !== 'true') {
        throw new ManifestError(`@${kind.name} takes no value, got '${tag.value}'`, { location: locate(tag.line) });
      }
      out.conversion.add(kind.name);
    } else if (kind.kind === 'root') out.rootTags.push({ ...tag, name: kind.name });
  }
  return out;
}

export function isExternal(node: Node): boolean {
  const path = node.getSourceFile().getFilePath();
  return path.includes('/node_modules/') || path.includes('/__operator_ts_') || node.getSourceFile().isDeclarationFile();
}
