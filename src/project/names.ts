import { ValidationError } from '../errors.js';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../kubernetes-names.js';

/**
 * Names and the rules they must follow before they reach a template (DESIGN.md §2). Every check
 * throws a ValidationError whose message names the value, the rule and a valid example, so a user
 * can fix the flag at once. Values are validated here once; templates can then trust them.
 */

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const API_VERSION = /^v\d+((alpha|beta)\d+)?$/;

/** Lowercased kinds that would break generated code: the kind's lowercase form is used as an identifier. */
const JS_RESERVED_WORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'as',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await',
  'any', 'boolean', 'constructor', 'declare', 'get', 'module', 'require', 'number', 'set', 'string', 'symbol',
  'type', 'from', 'of', 'async', 'arguments', 'eval', 'undefined', 'never', 'unknown', 'object', 'namespace',
  'keyof', 'readonly', 'infer', 'is', 'asserts', 'abstract', 'override', 'satisfies', 'accessor', 'global', 'bigint',
]);

/**
 * Kinds that shadow a global or a name the generated files import (runtime API, client-node), or that
 * Kubernetes itself uses for its own object kinds on every API group.
 */
const RESERVED_KINDS = new Set([
  'Object', 'Array', 'Function', 'Promise', 'Error', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Date',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'JSON', 'Math', 'Reflect', 'Proxy', 'RegExp', 'Record', 'Partial',
  'Required', 'Readonly', 'Pick', 'Omit', 'Buffer', 'Intl', 'Iterator', 'Generator', 'Console', 'Process',
  'Manager', 'Reconciler', 'Request', 'Result', 'ReconcileContext', 'RbacRule', 'Condition', 'Client', 'Logger',
  'Clock', 'Controller', 'ControllerBuilder', 'ResourceType', 'KubernetesObject', 'KubeConfig', 'Runnable',
  'EventRecorder', 'LeaseGuard', 'TerminalError',
  'List', 'Status', 'WatchEvent', 'DeleteOptions', 'ListOptions', 'GetOptions', 'CreateOptions', 'UpdateOptions',
  'PatchOptions', 'APIVersions', 'APIGroup', 'APIGroupList', 'APIResourceList', 'Scale', 'Table', 'PartialObjectMetadata',
]);

function fail(message: string, example: string): never {
  throw new ValidationError(message, { hint: `for example: ${example}` });
}

/** Rules every user-supplied value shares: not empty, not flag-like, no path separators or control characters. */
function checkCommon(what: string, flag: string, value: string, example: string): void {
  if (value.length === 0) fail(`${what} must not be empty (${flag}).`, `${flag} ${example}`);
  if (value.startsWith('-')) {
    fail(`${what} '${value}' starts with '-', so it looks like a flag rather than a value for ${flag}.`, `${flag} ${example}`);
  }
  if (value.includes('/') || value.includes('\\')) {
    fail(`${what} '${value}' contains a path separator; names may not contain '/' or '\\'.`, `${flag} ${example}`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) fail(`${what} ${JSON.stringify(value)} contains a control character.`, `${flag} ${example}`);
}

export function validateKind(kind: string): string {
  const example = '--kind Memcached';
  checkCommon('kind', '--kind', kind, 'Memcached');
  if (/\s/.test(kind)) fail(`kind '${kind}' contains whitespace; a kind is one PascalCase word.`, example);
  if (/^[0-9]/.test(kind)) fail(`kind '${kind}' starts with a digit; a kind must start with an uppercase letter.`, example);
  if (!PASCAL_CASE.test(kind)) {
    if (/^[a-z]/.test(kind) && /^[A-Za-z0-9]+$/.test(kind)) {
      fail(`kind '${kind}' must be PascalCase (start with an uppercase letter).`, `--kind ${kind[0]!.toUpperCase()}${kind.slice(1)}`);
    }
    fail(`kind '${kind}' must be PascalCase: an uppercase letter followed by letters and digits only (no dots, dashes or underscores).`, example);
  }
  const lower = kind.toLowerCase();
  if (!isDns1035Label(lower)) {
    fail(`kind '${kind}' lowercased must be a DNS-1035 label of at most 63 characters.`, example);
  }
  if (JS_RESERVED_WORDS.has(lower)) {
    fail(`kind '${kind}' is reserved: '${lower}' is a TypeScript/JavaScript keyword and generated code uses the lowercased kind as an identifier.`, '--kind Memcached');
  }
  if (RESERVED_KINDS.has(kind)) {
    fail(`kind '${kind}' is reserved: it clashes with a Kubernetes, TypeScript or operator-ts name used by generated code.`, `--kind ${kind}Config`);
  }
  if (kind.endsWith('List')) {
    fail(`kind '${kind}' ends in 'List', which Kubernetes reserves for list types (the list of ${kind.slice(0, -4) || 'X'} is ${kind}).`, '--kind Playlist');
  }
  return kind;
}

export function validateDomain(domain: string): string {
  checkCommon('domain', '--domain', domain, 'example.com');
  if (!isDns1123Subdomain(domain)) {
    fail(`domain '${domain}' must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters.`, '--domain example.com');
  }
  return domain;
}

/** The group alone must be a lowercase name; joined with the domain it must form a DNS-1123 subdomain. */
export function validateGroup(group: string, domain: string): string {
  checkCommon('group', '--group', group, 'cache');
  const full = fullGroupName(group, domain);
  if (domain !== '' && (group === domain || group.endsWith(`.${domain}`))) {
    const intended = group === domain ? 'cache' : group.slice(0, -(domain.length + 1));
    fail(`group '${group}' already ends with the project domain '${domain}', so the API group would be '${full}'; --group takes only the part before the domain.`, `--group ${intended}`);
  }
  if (!isDns1123Subdomain(group) || !isDns1123Subdomain(full)) {
    fail(`group '${group}' joined with the domain ('${full}') must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters.`, '--group cache');
  }
  return group;
}

export function validateVersion(version: string): string {
  checkCommon('version', '--version', version, 'v1alpha1');
  if (!API_VERSION.test(version)) {
    fail(`version '${version}' must match ^v\\d+((alpha|beta)\\d+)?$ (like v1, v2beta1, v1alpha1).`, '--version v1alpha1');
  }
  return version;
}

export function validateProjectName(name: string): string {
  checkCommon('project name', '--project-name', name, 'memcached-operator');
  if (!isDns1123Label(name)) {
    fail(`project name '${name}' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.`, '--project-name memcached-operator');
  }
  return name;
}

export function validatePlural(plural: string): string {
  checkCommon('plural', '--plural', plural, 'memcacheds');
  if (!isDns1035Label(plural)) {
    fail(`plural '${plural}' must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, at most 63 characters.`, '--plural memcacheds');
  }
  return plural;
}

/** Owner text goes into LICENSE, README and package.json: one line, no characters that end a string literal. */
export function validateOwner(owner: string): string {
  if (owner.startsWith('-')) fail(`owner '${owner}' starts with '-', so it looks like a flag rather than a value for --owner.`, '--owner "Jane Doe"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f"\\`]/.test(owner) || owner.includes('${') || owner.includes('{{')) {
    fail(`owner ${JSON.stringify(owner)} may not contain quotes, backslashes, backticks, template braces or control characters.`, '--owner "Jane Doe"');
  }
  if (owner.length > 200) fail(`owner is ${owner.length} characters long; at most 200 are allowed.`, '--owner "Jane Doe"');
  return owner;
}

export const LICENSES = ['apache2', 'mit', 'none'] as const;
export type License = (typeof LICENSES)[number];

export function validateLicense(license: string): License {
  if (!(LICENSES as readonly string[]).includes(license)) {
    fail(`license '${license}' is not one of ${LICENSES.join(', ')}.`, '--license apache2');
  }
  return license as License;
}

export function fullGroupName(group: string, domain: string): string {
  return domain ? `${group}.${domain}` : group;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** English plural of a lowercased kind: -s/-x/-z/-ch/-sh → +es, consonant + y → ies, else +s. */
export function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (word.endsWith('y') && word.length > 1 && !VOWELS.has(word[word.length - 2]!)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
