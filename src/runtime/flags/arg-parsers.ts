import { isDns1123Label, isDns1123Subdomain } from '../../kubernetes-names.js';
import { parseBindAddress } from '../http/bind-address.js';
import { parseDuration } from './duration.js';
import { FlagError } from './flag-error.js';

/**
 * Value parsers for the manager flags a generated src/flags.ts declares with commander
 * (`new Option(...).argParser(durationArg('--flag'))`). commander calls them with the text from the
 * command line or, when the flag is absent, from its environment variable; each returns the typed
 * value or throws a FlagError naming the flag, the rule and a fix. They do not depend on commander.
 */
export type ArgParser<T> = (value: string) => T;

/** The environment variable a manager flag falls back to: --leader-elect ↔ LEADER_ELECT. */
export function flagEnvVar(flag: string): string {
  return flag.replace(/^-+/, '').toUpperCase().replace(/-/g, '_');
}

function bad(flag: string, value: string, rule: string, example: string): FlagError {
  return new FlagError(flag, `${flag} '${value}' ${rule}`, `use e.g. ${flag}=${example} (the value comes from ${flag} or, without it, from ${flagEnvVar(flag)})`);
}

/** A Go duration ('15s', '1m30s', '500ms') longer than zero, in milliseconds. */
export function durationArg(flag: string): ArgParser<number> {
  return (value) => {
    const ms = parseDuration(value);
    if (ms === undefined) throw bad(flag, value, 'is not a duration (Go-style: 15s, 1m30s, 500ms)', '15s');
    if (ms <= 0) throw bad(flag, value, 'must be longer than zero', '15s');
    return ms;
  };
}

const TRUE = ['true', '1', 't', 'yes'];
const FALSE = ['false', '0', 'f', 'no'];

/** true/false (also 1/0, t/f, yes/no), so LEADER_ELECT=false and --leader-elect=false both mean false. */
export function booleanArg(flag: string): ArgParser<boolean> {
  return (value) => {
    const v = value.trim().toLowerCase();
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    throw bad(flag, value, 'is not a boolean', 'true');
  };
}

/** A bind address: 'host:port', ':port', '[::1]:port', or '0' for off. Returned as given. */
export function bindAddressArg(flag: string): ArgParser<string> {
  return (value) => {
    try {
      parseBindAddress(flag, value);
    } catch {
      throw bad(flag, value, "is not a bind address ('host:port', ':port' or '0' for off)", portOnly(value) ? `:${value.trim()}` : ':8080');
    }
    return value;
  };
}

/** A bare port such as '8080', the usual slip for ':8080'. */
function portOnly(value: string): boolean {
  const v = value.trim();
  return /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535;
}

/** A TCP port to listen on, 1 to 65535 (a Service targets it, so a free port '0' is not offered here). */
export function portArg(flag: string): ArgParser<number> {
  return (value) => {
    const v = value.trim();
    const n = Number(v);
    if (!/^\d{1,5}$/.test(v) || n < 1 || n > 65535) throw bad(flag, value, 'is not a port (a whole number from 1 to 65535)', '9443');
    return n;
  };
}

/** A whole number of at least 1. */
export function positiveIntArg(flag: string): ArgParser<number> {
  return (value) => {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw bad(flag, value, 'is not a whole number of at least 1', '1');
    return n;
  };
}

/**
 * A rate in requests per second for the client-side rate limit (--kube-api-qps): a positive number,
 * fractions allowed, or a negative one to turn the limit off as in client-go. 0 is refused: client-go
 * reads it as its default of 5 and controller-runtime as off, so it would mean different things to readers.
 */
export function qpsArg(flag: string): ArgParser<number> {
  return (value) => {
    const v = value.trim();
    const n = Number(v);
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(v) || !Number.isFinite(n)) throw bad(flag, value, 'is not a number of requests per second', '20');
    if (n === 0) throw bad(flag, value, 'must be positive, or negative (e.g. -1) to turn the client-side rate limit off', '20');
    return n;
  };
}

/** The name of an object such as a Lease (DNS-1123 subdomain). */
export function resourceNameArg(flag: string): ArgParser<string> {
  return (value) => {
    if (!isDns1123Subdomain(value)) throw bad(flag, value, "is not a valid object name (lowercase letters, digits, '-' and '.', at most 253 characters)", '86f835c3.example.com');
    return value;
  };
}

/**
 * A comma-separated list of namespace names, as Operator SDK's WATCH_NAMESPACE: '' (or only commas and spaces)
 * means every namespace and gives an empty list; spaces around names are ignored; duplicates are dropped.
 */
export function namespaceListArg(flag: string): ArgParser<string[]> {
  return (value) => {
    const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
    for (const name of names) {
      if (!isDns1123Label(name)) throw bad(flag, value, `contains '${name}', which is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters)`, 'team-a,team-b');
    }
    return [...new Set(names)];
  };
}

/** A namespace name (DNS-1123 label). */
export function namespaceArg(flag: string): ArgParser<string> {
  return (value) => {
    if (!isDns1123Label(value)) throw bad(flag, value, "is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters)", 'my-operator-system');
    return value;
  };
}

/** A file name inside a directory (no '/'), such as a certificate's 'tls.crt'. */
export function fileNameArg(flag: string): ArgParser<string> {
  return (value) => {
    if (value === '' || value.includes('/') || value === '.' || value === '..') throw bad(flag, value, "is not a file name (no '/'; the directory is set separately)", 'tls.crt');
    return value;
  };
}
