import { ValidationError } from '../../errors.js';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: Set<string> }
  | { op: 'exists' | 'notexists'; key: string };

/** A parsed label selector; `matches` tests an object's labels. */
export interface LabelSelector {
  matches(labels: Record<string, string> | undefined): boolean;
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const setRe = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s+\(([^)]*)\)$`);
const eqRe = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const existsRe = new RegExp(String.raw`^(!?)\s*(${KEY})$`);
const valueRe = new RegExp(`^${VALUE}$`);

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim());
}

function parseTerm(term: string, selector: string): Requirement {
  let m = setRe.exec(term);
  if (m) {
    const values = m[4].split(',').map((v) => v.trim()).filter((v) => v !== '');
    for (const v of values) if (!valueRe.test(v)) throw badSelector(selector, `"${v}" is not a valid label value`);
    return { op: m[3] as 'in' | 'notin', key: m[1], values: new Set(values) };
  }
  m = eqRe.exec(term);
  if (m) return { op: m[3] === '!=' ? 'neq' : 'eq', key: m[1], value: m[4] };
  m = existsRe.exec(term);
  if (m) return { op: m[1] ? 'notexists' : 'exists', key: m[2] };
  throw badSelector(selector, `"${term}" is not a requirement`);
}

function badSelector(selector: string, why: string): ValidationError {
  return new ValidationError(`label selector "${selector}" is invalid: ${why}`, {
    hint: "use comma-separated requirements such as 'app=web,tier!=db,env in (prod,staging),!legacy'",
  });
}

/** Parses the string form of a label selector (=, ==, !=, in, notin, exists, !exists). '' matches everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  const trimmed = selector.trim();
  const requirements = trimmed === '' ? [] : splitTerms(trimmed).map((t) => parseTerm(t, selector));
  return {
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => {
        const has = Object.prototype.hasOwnProperty.call(l, r.key);
        switch (r.op) {
          case 'eq':
            return has && l[r.key] === r.value;
          case 'neq':
            return !has || l[r.key] !== r.value;
          case 'in':
            return has && r.values.has(l[r.key]);
          case 'notin':
            return !has || !r.values.has(l[r.key]);
          case 'exists':
            return has;
          case 'notexists':
            return !has;
        }
      });
    },
  };
}
