/**
 * The top-level property names of an interface in an API types file, read from its text: enough for a scaffold to
 * know which fields two versions of a kind share. Properties of nested object types are not top-level and are
 * skipped; undefined when the interface is not found (the user renamed it), so callers fall back to a comment.
 */
export function interfaceFields(source: string, name: string): string[] | undefined {
  const start = new RegExp(`\\binterface\\s+${name}\\s*(?:extends[^{]*)?\\{`).exec(source);
  if (!start) return undefined;
  const fields: string[] = [];
  let depth = 1;
  let i = start.index + start[0].length;
  let lineStart = true;
  while (i < source.length && depth > 0) {
    const rest = source.slice(i);
    if (rest.startsWith('/*')) {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    if (rest.startsWith('//')) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
      continue;
    }
    const ch = source[i]!;
    if (ch === '{' || ch === '(' || ch === '[' || ch === '<') depth += 1;
    else if (ch === '}' || ch === ')' || ch === ']' || (ch === '>' && source[i - 1] !== '=')) depth -= 1;
    else if (depth === 1 && (lineStart || source[i - 1] === ';')) {
      const prop = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:/.exec(rest);
      if (prop) {
        fields.push(prop[1]!);
        i += prop[0].length;
        lineStart = false;
        continue;
      }
    }
    if (ch === '\n') lineStart = true;
    else if (!/\s/.test(ch)) lineStart = false;
    i += 1;
  }
  return fields;
}
