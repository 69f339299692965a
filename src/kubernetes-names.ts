/**
 * Kubernetes name rules (apimachinery's validation package), owned here once and used by the CLI, the
 * runtime, the manifests generator and the embedded API server. Each predicate includes the length limit.
 */

/** Longest DNS-1123 / DNS-1035 label. */
export const MAX_LABEL_LENGTH = 63;
/** Longest DNS-1123 subdomain. */
export const MAX_SUBDOMAIN_LENGTH = 253;

export const DNS1123_LABEL_PATTERN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const DNS1123_SUBDOMAIN_PATTERN = `${DNS1123_LABEL_PATTERN}(\\.${DNS1123_LABEL_PATTERN})*`;
export const DNS1035_LABEL_PATTERN = '[a-z]([-a-z0-9]*[a-z0-9])?';
/** The name part of a qualified name (label keys, annotation keys) and a non-empty label value. */
export const QUALIFIED_NAME_PART_PATTERN = '[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?';

const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_PATTERN}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_PATTERN}$`);
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_PATTERN}$`);
const QUALIFIED_NAME_PART = new RegExp(`^${QUALIFIED_NAME_PART_PATTERN}$`);

/** Lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && DNS1123_LABEL.test(value);
}

/** Dot-separated DNS-1123 labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= MAX_SUBDOMAIN_LENGTH && DNS1123_SUBDOMAIN.test(value);
}

/** A DNS-1123 label that starts with a letter, at most 63 characters. */
export function isDns1035Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && DNS1035_LABEL.test(value);
}

/** The part of a qualified name after an optional prefix: at most 63 characters. */
export function isQualifiedNamePart(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && QUALIFIED_NAME_PART.test(value);
}

/** A label or annotation key: an optional DNS-1123 subdomain prefix and '/', then a name part of at most 63 characters. */
export function isQualifiedName(value: string): boolean {
  const slash = value.indexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return isQualifiedNamePart(name);
}

/** A label value: empty, or at most 63 characters of letters, digits, '-', '_' and '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value === '' || isQualifiedNamePart(value);
}
