import { celMethod, CelScalar, listType, type CelFunc } from '@bufbuild/cel';
import { compileRe2 } from './re2-pattern.js';

/**
 * The Kubernetes CEL regex library: `s.find(re)` (first match or ""), `s.findAll(re)` and
 * `s.findAll(re, limit)` (a negative limit means all), with Go RE2 syntax.
 */
function regexp(pattern: string) {
  const compiled = compileRe2(pattern);
  if (!compiled.ok) throw new Error(`regex compilation failed: ${compiled.error}`);
  return compiled.regexp;
}

function findAll(value: string, pattern: string, limit: number): string[] {
  const matcher = regexp(pattern).matcher(value);
  const out: string[] = [];
  while ((limit < 0 || out.length < limit) && matcher.find()) out.push(matcher.group() ?? '');
  return out;
}

export const kubernetesRegexFunctions: CelFunc[] = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return findAll(this, pattern, 1)[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
    return findAll(this, pattern, -1);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (pattern, limit) {
    return findAll(this, pattern, Number(limit));
  }),
];
