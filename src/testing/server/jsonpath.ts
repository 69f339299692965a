/**
 * The JSONPath subset CRD printer columns use: `.spec.size`, `.items[0].name`, `.items[*].name` and filters
 * such as `.status.conditions[?(@.type=="Ready")].status` (== and !=, quoted strings, numbers, booleans).
 * Returns every match, in order; a path that matches nothing returns [].
 */
type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

const FILTER = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(.+)\)$/;

function parseLiteral(raw: string): unknown {
  const text = raw.trim();
  if (/^".*"$/.test(text) || /^'.*'$/.test(text)) return text.slice(1, -1);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

export function parseJsonPath(path: string): Step[] | undefined {
  const body = path.trim().replace(/^\{/, '').replace(/\}$/, '').replace(/^\$/, '');
  const steps: Step[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === '.') {
      const match = /^\.([A-Za-z0-9_-]+)/.exec(body.slice(i));
      if (!match) return undefined;
      steps.push({ kind: 'field', name: match[1]! });
      i += match[0].length;
    } else if (body[i] === '[') {
      const end = body.indexOf(']', body.startsWith('[?(', i) ? body.indexOf(')', i) : i);
      if (end < 0) return undefined;
      const inner = body.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^['"].*['"]$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const filter = FILTER.exec(inner);
        if (!filter) return undefined;
        steps.push({ kind: 'filter', path: filter[1]!.slice(1).split('.'), op: filter[2] as '==' | '!=', value: parseLiteral(filter[3]!) });
      }
    } else return undefined;
  }
  return steps;
}

function fieldOf(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

export function evaluateJsonPath(object: unknown, path: string): unknown[] {
  const steps = parseJsonPath(path);
  if (!steps) return [];
  let current: unknown[] = [object];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') next.push(fieldOf(value, step.name));
      else if (!Array.isArray(value)) continue;
      else if (step.kind === 'index') next.push(value[step.index]);
      else if (step.kind === 'all') next.push(...value);
      else {
        for (const item of value) {
          const actual = step.path.reduce<unknown>((v, name) => fieldOf(v, name), item);
          if ((actual === step.value) === (step.op === '==')) next.push(item);
        }
      }
    }
    current = next.filter((v) => v !== undefined);
  }
  return current;
}
