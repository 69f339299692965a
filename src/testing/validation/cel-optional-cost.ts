import { OPTIONAL_INDEX, OPTIONAL_SELECT } from './cel-optional-syntax.js';

/**
 * The server's cost estimator knows no size for an optional value, so `==` or `!=` with an optional operand
 * (`self.?a == optional.of(1)`) is estimated at the maximum cost and the rule is refused. Comparing what an
 * optional holds (`self.?a.orValue(0) == 1`, `.hasValue()`) costs nothing special.
 */
interface CallNode {
  exprKind?: { case?: string; value?: { function?: string; target?: CallNode; args?: CallNode[]; name?: string } };
}

/** Calls whose result is an optional: [function, namespace identifier or undefined for a method]. */
const YIELDS_OPTIONAL: Array<[string, string | undefined]> = [
  ['of', 'optional'],
  ['none', 'optional'],
  ['ofNonZeroValue', 'optional'],
  ['named', 'format'],
  [OPTIONAL_SELECT, undefined],
  [OPTIONAL_INDEX, undefined],
  ['or', undefined],
  ['validate', undefined],
];

function yieldsOptional(node: CallNode | undefined): boolean {
  const kind = node?.exprKind;
  if (kind?.case !== 'callExpr') return false;
  const namespace = kind.value?.target?.exprKind?.case === 'identExpr' ? kind.value.target.exprKind.value?.name : undefined;
  return YIELDS_OPTIONAL.some(([fn, ns]) => fn === kind.value?.function && (ns === undefined || ns === namespace));
}

/** Whether this node is `==` / `!=` with an optional on either side. */
export function comparesOptionals(node: unknown): boolean {
  const kind = (node as CallNode | undefined)?.exprKind;
  if (kind?.case !== 'callExpr' || (kind.value?.function !== '_==_' && kind.value?.function !== '_!=_')) return false;
  return (kind.value.args ?? []).some(yieldsOptional);
}

/** What the server's estimate comes to for such a comparison: far beyond any budget. */
export const UNBOUNDED_COST = Number.MAX_SAFE_INTEGER;
