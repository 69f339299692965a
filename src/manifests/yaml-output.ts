import { stringify } from 'yaml';

/**
 * One YAML document with a leading `---`, keys sorted at every level and no line folding, so the
 * same object always gives the same bytes and diffs stay small.
 */
export function toYamlDocument(value: unknown): string {
  return `---\n${stringify(value, { sortMapEntries: true, lineWidth: 0, minContentWidth: 0, indentSeq: false })}`;
}
