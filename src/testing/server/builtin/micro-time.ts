import type { Obj } from '../registry.js';
import { errors } from '../status.js';

/**
 * MicroTime fields (Lease acquireTime/renewTime, Event eventTime): RFC 3339 with exactly six fractional
 * digits. The real server refuses anything else while decoding, so the answer is 400, not 422; what it
 * stores is the same instant in UTC.
 */

const LAYOUT = '2006-01-02T15:04:05.000000Z07:00';
const MICRO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})(Z|[+-]\d{2}:\d{2})$/;

/** Why a MicroTime string does not parse, roughly as Go's time.Parse says it; undefined when it does. */
export function microTimeProblem(value: string): string | undefined {
  if (MICRO_TIME.test(value) && !Number.isNaN(Date.parse(value))) return undefined;
  const rest = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value) ? value.slice(19) : value;
  const expected = rest === value ? LAYOUT : rest.startsWith('.') ? '.000000Z07:00' : '.';
  return `parsing time ${JSON.stringify(value)} as ${JSON.stringify(LAYOUT)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(expected)}`;
}

/** The stored form: the same instant in UTC, six fractional digits. */
export function normalizeMicroTime(value: string): string {
  const m = MICRO_TIME.exec(value)!;
  const millis = Date.parse(`${m[1]}${m[3]}`);
  return `${new Date(millis).toISOString().slice(0, 19)}.${m[2]}Z`;
}

/**
 * Checks and normalises the MicroTime fields at `paths` (dot-separated) of an object; throws 400 BadRequest
 * naming the value and the layout when one does not parse.
 */
export function prepareMicroTimes(obj: Obj, paths: string[], kind: string, version: string): void {
  for (const path of paths) {
    const keys = path.split('.');
    let parent: Obj | undefined = obj;
    for (const key of keys.slice(0, -1)) parent = parent && typeof parent[key] === 'object' && parent[key] !== null ? parent[key] : undefined;
    const last = keys[keys.length - 1]!;
    const value = parent?.[last];
    if (value === undefined || value === null) continue;
    const problem = typeof value === 'string' ? microTimeProblem(value) : `json: cannot unmarshal ${typeof value} into Go value of type string`;
    if (problem !== undefined) {
      throw errors.badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${problem}`,
        `Send ${path} as RFC 3339 with exactly six fractional digits, e.g. ${new Date(0).toISOString().replace('.000Z', '.000000Z')}.`);
    }
    parent![last] = normalizeMicroTime(value);
  }
}
