import { isObject } from './schema-node.js';

/**
 * A decoded JSON value the way the API server prints it in a field error: scalars as `%v` (strings
 * quoted), maps and lists as Go's `%#v` of `map[string]interface {}` / `[]interface {}`, keys sorted.
 * So a duplicate map-list key reads `Duplicate value: map[string]interface {}{"name":"g"}`.
 */
export function goErrorValue(value: unknown): string {
  if (isObject(value) || Array.isArray(value)) return goSyntax(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return '<nil>';
  return String(value);
}

/** Go's `%#v` of a value held in an `interface {}`. */
function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (isObject(value)) {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${goSyntax(value[key])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return String(value);
}
