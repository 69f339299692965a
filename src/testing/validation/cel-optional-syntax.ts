/**
 * CEL optional syntax (`a.?field`, `m[?key]`, `l[?index]`) for a parser that does not know it. Before parsing,
 * the expression is tokenized (string, bytes and raw literals and comments are opaque) and each optional
 * member chain is rewritten into calls: `X.?f` becomes `OPTIONAL_SELECT(X, "f")` and `X[?k]` becomes
 * `OPTIONAL_INDEX(X, k)`. As in cel-go, once a chain has an optional step, the field selections and
 * indexes after it are optional too (`a.?b.c` is `a.?b.?c`); a method call ends the chain.
 * Literals with optional entries become calls that drop the absent ones: `[?a, b]` is
 * `OPTIONAL_LIST([a, b], [true, false])` and `{?k: v}` is `OPTIONAL_MAP([k], [v], [true])`.
 * The optional macros expand as cel-go expands them: `o.optMap(x, e)` is
 * `o.hasValue() ? optional.of(e with x = o.value()) : optional.none()`, and `o.optFlatMap(x, e)` the same
 * without the `optional.of`; the binding is a one-element `map` so that `x` is scoped like a macro variable.
 */

export const OPTIONAL_SELECT = 'optional_select__';
export const OPTIONAL_INDEX = 'optional_index__';
export const OPTIONAL_LIST = 'optional_list__';
export const OPTIONAL_MAP = 'optional_map__';

/** The internal call names and how cel-go names the same operations, for messages a user reads. */
export const USER_FACING_NAMES: Record<string, string> = {
  [OPTIONAL_SELECT]: '_?._',
  [OPTIONAL_INDEX]: '_[?_]',
  [OPTIONAL_LIST]: 'optional list entry',
  [OPTIONAL_MAP]: 'optional map entry',
};

type TokenKind = 'ident' | 'number' | 'string' | 'punct';
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export class OptionalSyntaxError extends Error {}

const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||']);

/** Tokens without whitespace and comments; undefined when the text does not tokenize (the parser reports it). */
export function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (source.startsWith('//', i)) {
      const newline = source.indexOf('\n', i);
      i = newline < 0 ? source.length : newline + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      if (/^(r|R|b|B|rb|rB|Rb|RB|br|bR|Br|BR)$/.test(word) && (source[i + word.length] === '"' || source[i + word.length] === "'")) {
        const end = stringEnd(source, i + word.length, /r/i.test(word));
        if (end === undefined) return undefined;
        tokens.push({ kind: 'string', text: source.slice(i, end), start: i, end });
        i = end;
      } else {
        tokens.push({ kind: 'ident', text: word, start: i, end: i + word.length });
        i += word.length;
      }
    } else if (ch === '"' || ch === "'") {
      const end = stringEnd(source, i, false);
      if (end === undefined) return undefined;
      tokens.push({ kind: 'string', text: source.slice(i, end), start: i, end });
      i = end;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const number = /^(0[xX][0-9a-fA-F]+[uU]?|[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?[uU]?|[0-9]+\.[0-9]*([eE][+-]?[0-9]+)?)/.exec(source.slice(i))![0];
      tokens.push({ kind: 'number', text: number, start: i, end: i + number.length });
      i += number.length;
    } else {
      const length = TWO_CHAR.has(source.slice(i, i + 2)) ? 2 : 1;
      tokens.push({ kind: 'punct', text: source.slice(i, i + length), start: i, end: i + length });
      i += length;
    }
  }
  return tokens;
}

/** End offset of the string literal whose quote is at `quoteAt`, or undefined when it is not terminated. */
function stringEnd(source: string, quoteAt: number, raw: boolean): number | undefined {
  const quote = source.startsWith(source[quoteAt]!.repeat(3), quoteAt) ? source[quoteAt]!.repeat(3) : source[quoteAt]!;
  let i = quoteAt + quote.length;
  while (i < source.length) {
    if (!raw && source[i] === '\\') {
      i += 2;
      continue;
    }
    if (source.startsWith(quote, i)) return i + quote.length;
    if (quote.length === 1 && source[i] === '\n') return undefined;
    i++;
  }
  return undefined;
}

const is = (token: Token | undefined, text: string) => token?.kind === 'punct' && token.text === text;

/** Whether a `(` or `[` right after this token applies to it (a call or an index) rather than opening a group. */
function endsOperand(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === 'ident') return token.text !== 'in';
  if (token.kind === 'number' || token.kind === 'string') return true;
  return is(token, ')') || is(token, ']') || is(token, '}');
}

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function matchOpen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    const text = tokens[k]!.kind === 'punct' ? tokens[k]!.text : '';
    if (text in PAIRS) depth++;
    else if (Object.values(PAIRS).includes(text)) depth--;
    if (depth === 0) return k;
  }
  throw new OptionalSyntaxError(`unbalanced ${tokens[close]!.text} at offset ${tokens[close]!.start}`);
}

function matchClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const text = tokens[k]!.kind === 'punct' ? tokens[k]!.text : '';
    if (Object.values(PAIRS).includes(text)) depth++;
    else if (text in PAIRS) depth--;
    if (depth === 0) return k;
  }
  throw new OptionalSyntaxError(`unbalanced ${tokens[open]!.text} at offset ${tokens[open]!.start}`);
}

/** First token of the member chain (identifiers, dots, calls, indexes, groups) that ends at `last`. */
function operandStart(tokens: Token[], last: number): number {
  let k = last;
  for (;;) {
    const token = tokens[k]!;
    if (token.kind === 'punct' && token.text in PAIRS) {
      k = matchOpen(tokens, k);
      if (k > 0 && endsOperand(tokens[k - 1])) {
        k--;
        continue;
      }
      return k;
    }
    if (token.kind === 'punct') throw new OptionalSyntaxError(`no operand before the optional step at offset ${token.end}`);
    if (k > 0 && is(tokens[k - 1], '.')) {
      if (k > 1 && endsOperand(tokens[k - 2])) {
        k -= 2;
        continue;
      }
      return k - 1;
    }
    return k;
  }
}

/** The same text with the `?` of each optional step blanked: it parses iff the optional form does, at the same offsets. */
export function maskOptionalMarkers(source: string): string {
  const tokens = tokenize(source);
  if (tokens === undefined) return source;
  let masked = source;
  tokens.forEach((token, k) => {
    // A `?` right after `[`, `{` or `,` is an index step or a literal entry marker, never a conditional.
    if (is(token, '?') && ((is(tokens[k - 1], '.') && tokens[k + 1]?.kind === 'ident') || is(tokens[k - 1], '[') || is(tokens[k - 1], '{') || is(tokens[k - 1], ','))) {
      masked = masked.slice(0, token.start) + ' ' + masked.slice(token.end);
    }
  });
  return masked;
}

/** The expression with every optional step rewritten into calls; unchanged when it has none. */
export function rewriteOptionalSyntax(source: string): string {
  let current = source;
  for (;;) {
    const next = rewriteFirst(current) ?? rewriteFirstMacro(current);
    if (next === undefined) return current;
    current = next;
  }
}

/** Offsets of the top-level commas between tokens `open` and `close` (exclusive), split into ranges. */
function topLevelRanges(tokens: Token[], open: number, close: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = open + 1;
  for (let k = open + 1; k < close; k++) {
    const token = tokens[k]!;
    if (token.kind === 'punct' && Object.values(PAIRS).includes(token.text)) {
      k = matchClose(tokens, k);
    } else if (is(token, ',')) {
      ranges.push([start, k - 1]);
      start = k + 1;
    }
  }
  if (start < close) ranges.push([start, close - 1]);
  return ranges;
}

/** The map entry separator in tokens first..last: the first `:` not taken by a conditional in the key. */
function entryColon(tokens: Token[], first: number, last: number): number {
  let conditionals = 0;
  for (let k = first; k <= last; k++) {
    const token = tokens[k]!;
    if (token.kind === 'punct' && Object.values(PAIRS).includes(token.text)) k = matchClose(tokens, k);
    else if (is(token, '?') && k > first) conditionals++;
    else if (is(token, ':')) {
      if (conditionals === 0) return k;
      conditionals--;
    }
  }
  throw new OptionalSyntaxError(`map entry without ":" at offset ${tokens[first]!.start}`);
}

/** `[?a, b]` or `{?k: v}` whose opening token is `open`, rewritten into a call that drops absent entries. */
function rewriteLiteral(source: string, tokens: Token[], open: number): string {
  const close = matchClose(tokens, open);
  const text = (first: number, last: number) => (first > last ? '' : source.slice(tokens[first]!.start, tokens[last]!.end));
  const entries = topLevelRanges(tokens, open, close).map(([first, last]) => {
    const optional = is(tokens[first], '?');
    return { optional, first: optional ? first + 1 : first, last };
  });
  for (const entry of entries) {
    if (entry.first > entry.last) throw new OptionalSyntaxError(`empty literal entry at offset ${tokens[entry.first - 1]!.end}`);
  }
  const flags = `[${entries.map((entry) => entry.optional).join(', ')}]`;
  let call: string;
  if (is(tokens[open], '[')) {
    call = `${OPTIONAL_LIST}([${entries.map((entry) => text(entry.first, entry.last)).join(', ')}], ${flags})`;
  } else {
    const split = entries.map((entry) => ({ ...entry, colon: entryColon(tokens, entry.first, entry.last) }));
    const keys = split.map((entry) => text(entry.first, entry.colon - 1));
    const values = split.map((entry) => text(entry.colon + 1, entry.last));
    call = `${OPTIONAL_MAP}([${keys.join(', ')}], [${values.join(', ')}], ${flags})`;
  }
  return source.slice(0, tokens[open]!.start) + call + source.slice(tokens[close]!.end);
}

/** The opening bracket of the list or map literal directly enclosing token `at`, if any. */
function enclosingOpen(tokens: Token[], at: number): number | undefined {
  let depth = 0;
  for (let k = at - 1; k >= 0; k--) {
    const token = tokens[k]!;
    if (token.kind !== 'punct') continue;
    if (token.text in PAIRS) depth++;
    else if (Object.values(PAIRS).includes(token.text)) {
      if (depth === 0) return k;
      depth--;
    }
  }
  return undefined;
}

const MACROS = new Set(['optMap', 'optFlatMap']);

/** The first `o.optMap(x, e)` or `o.optFlatMap(x, e)` expanded; other argument counts are left to the checker. */
function rewriteFirstMacro(source: string): string | undefined {
  const tokens = tokenize(source);
  if (tokens === undefined) return undefined;
  for (let i = 1; i + 2 < tokens.length; i++) {
    const name = tokens[i + 1]!;
    if (!is(tokens[i], '.') || name.kind !== 'ident' || !MACROS.has(name.text) || !is(tokens[i + 2], '(') || !endsOperand(tokens[i - 1])) continue;
    const open = i + 2;
    const close = matchClose(tokens, open);
    const args = topLevelRanges(tokens, open, close);
    if (args.length !== 2) continue;
    const [[varFirst, varLast], [bodyFirst, bodyLast]] = args as [[number, number], [number, number]];
    if (varFirst !== varLast || tokens[varFirst]!.kind !== 'ident') {
      throw new OptionalSyntaxError(`${name.text}() variable name must be a simple identifier`);
    }
    const start = operandStart(tokens, i - 1);
    const target = `(${source.slice(tokens[start]!.start, tokens[i - 1]!.end)})`;
    const bound = `[${target}.value()].map(${tokens[varFirst]!.text}, ${source.slice(tokens[bodyFirst]!.start, tokens[bodyLast]!.end)})[0]`;
    const expansion = `(${target}.hasValue() ? ${name.text === 'optMap' ? `optional.of(${bound})` : bound} : optional.none())`;
    return source.slice(0, tokens[start]!.start) + expansion + source.slice(tokens[close]!.end);
  }
  return undefined;
}

function rewriteFirst(source: string): string | undefined {
  const tokens = tokenize(source);
  if (tokens === undefined) return undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (!is(tokens[i + 1], '?')) continue;
    const token = tokens[i]!;
    const select = is(token, '.') && tokens[i + 2]?.kind === 'ident';
    const index = is(token, '[') && endsOperand(tokens[i - 1]);
    if (!select && !index) {
      const open = is(token, ',') ? enclosingOpen(tokens, i) : is(token, '[') || is(token, '{') ? i : undefined;
      if (open === undefined) continue;
      if (is(tokens[open], '(') || (is(tokens[open], '{') && endsOperand(tokens[open - 1])) || (is(tokens[open], '[') && endsOperand(tokens[open - 1]))) {
        throw new OptionalSyntaxError(`an optional entry ("?" at offset ${tokens[i + 1]!.start}) is only allowed in a list or map literal`);
      }
      return rewriteLiteral(source, tokens, open);
    }
    if (i === 0) throw new OptionalSyntaxError(`no operand before the optional step at offset ${token.start}`);
    const start = operandStart(tokens, i - 1);
    let expr = source.slice(tokens[start]!.start, tokens[i - 1]!.end);
    let j = i;
    for (;;) {
      if (is(tokens[j], '.')) {
        const optional = is(tokens[j + 1], '?');
        const name = tokens[j + (optional ? 2 : 1)];
        if (name?.kind !== 'ident' || (!optional && is(tokens[j + 2], '('))) break;
        expr = `${OPTIONAL_SELECT}(${expr}, "${name.text}")`;
        j += optional ? 3 : 2;
      } else if (is(tokens[j], '[')) {
        const close = matchClose(tokens, j);
        const first = is(tokens[j + 1], '?') ? j + 2 : j + 1;
        if (first >= close) throw new OptionalSyntaxError(`empty index at offset ${tokens[j]!.start}`);
        expr = `${OPTIONAL_INDEX}(${expr}, ${source.slice(tokens[first]!.start, tokens[close - 1]!.end)})`;
        j = close + 1;
      } else {
        break;
      }
    }
    return source.slice(0, tokens[start]!.start) + expr + source.slice(tokens[j - 1]!.end);
  }
  return undefined;
}
