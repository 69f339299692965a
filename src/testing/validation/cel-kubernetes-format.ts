import { celFunc, celMap, celMethod, CelScalar, isCelMap, type CelFunc, type CelMap } from '@bufbuild/cel';
import { DNS1035_LABEL_PATTERN, DNS1123_LABEL_PATTERN, DNS1123_SUBDOMAIN_PATTERN, MAX_LABEL_LENGTH, MAX_SUBDOMAIN_LENGTH } from '../../kubernetes-names.js';
import { labelValueProblems, qualifiedNameProblems } from '../server/builtin/metadata-validation.js';
import { parseRequestUri } from './cel-kubernetes-url.js';
import { OPTIONAL_NONE, optionalOf, stringList } from './cel-optional.js';

/**
 * The Kubernetes CEL format library (v1.32): `format.named(name)` (an optional format), one constant per
 * format (`format.dns1123Label()`, ...), and `<format>.validate(s)`, which is `optional.none()` for a valid
 * string and otherwise an optional list of the server's error messages.
 */
const KIND = '@kubernetes.format';

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL = new RegExp(`^${DNS1123_LABEL_PATTERN}$`);
const SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_PATTERN}$`);
const DNS1035 = new RegExp(`^${DNS1035_LABEL_PATTERN}$`);

function tooLong(value: string, max: number): string[] {
  return value.length > max ? [`must be no more than ${max} characters`] : [];
}

function dns1123Label(value: string): string[] {
  if (LABEL.test(value)) return tooLong(value, MAX_LABEL_LENGTH);
  const why = SUBDOMAIN.test(value) ? 'must not contain dots' : regexError(LABEL_MSG, DNS1123_LABEL_PATTERN, 'my-name', '123-abc');
  return [...tooLong(value, MAX_LABEL_LENGTH), why];
}

function dns1123Subdomain(value: string): string[] {
  return [...tooLong(value, MAX_SUBDOMAIN_LENGTH), ...(SUBDOMAIN.test(value) ? [] : [regexError(SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_PATTERN, 'example.com')])];
}

function dns1035Label(value: string): string[] {
  return [...tooLong(value, MAX_LABEL_LENGTH), ...(DNS1035.test(value) ? [] : [regexError(DNS1035_MSG, DNS1035_LABEL_PATTERN, 'my-name', 'abc-123')])];
}

/** Names used as a generateName prefix may end in '-': the server checks them with that dash replaced. */
function asPrefix(check: (value: string) => string[]): (value: string) => string[] {
  return (value) => check(value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value);
}

const UUID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

const FORMATS: Record<string, (value: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName: qualifiedNameProblems,
  dns1123LabelPrefix: asPrefix(dns1123Label),
  dns1123SubdomainPrefix: asPrefix(dns1123Subdomain),
  dns1035LabelPrefix: asPrefix(dns1035Label),
  labelValue: labelValueProblems,
  uri: (value) => {
    const parsed = parseRequestUri(value);
    return 'error' in parsed ? [parsed.error.replace(/^URL parse error during conversion from string: /, '')] : [];
  },
  uuid: (value) => (UUID.test(value) ? [] : ['does not match the UUID format']),
  byte: (value) => (BASE64.test(value) ? [] : ['invalid base64']),
  date: (value) => {
    const match = DATE.exec(value);
    return match && validDate(match[1]!, match[2]!, match[3]!) ? [] : ['invalid date'];
  },
  datetime: (value) => {
    const match = DATETIME.exec(value);
    const valid = match && validDate(match[1]!, match[2]!, match[3]!) && Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 60;
    return valid ? [] : ['invalid datetime'];
  },
};

function format(name: string): CelMap {
  return celMap(new Map<string, string>([[KIND, name]]));
}

export const kubernetesFormatFunctions: CelFunc[] = [
  celFunc('format.named', [CelScalar.STRING], CelScalar.DYN, (name) => (Object.hasOwn(FORMATS, name) ? optionalOf(format(name)) : OPTIONAL_NONE)),
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], CelScalar.DYN, () => format(name))),
  celMethod('validate', CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (value) {
    const name = isCelMap(this) ? this.get(KIND) : undefined;
    if (typeof name !== 'string') throw new Error('no such overload: validate');
    const problems = FORMATS[name]!(value);
    return problems.length === 0 ? OPTIONAL_NONE : optionalOf(stringList(problems));
  }),
];
