import type { AddressInfo } from 'node:net';
import { OperatorTsError } from '../../errors.js';

export interface BindAddress {
  /** undefined = every interface. */
  host?: string;
  port: number;
}

/** A bind address ('host:port', ':port', '[::1]:port') breaks a rule. */
export class BindAddressError extends OperatorTsError {
  constructor(option: string, value: string, rule: string) {
    super('EBINDADDRESS', `${option} '${value}' ${rule}`, { hint: `use ':8081' for every interface, '127.0.0.1:0' for a free loopback port, or '0' to turn it off` });
  }
}

/** Parses a Go-style bind address. '0' and '' mean "off" and return undefined. */
export function parseBindAddress(option: string, value: string): BindAddress | undefined {
  if (value === '0' || value === '') return undefined;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(value);
  if (!m) throw new BindAddressError(option, value, "is not of the form 'host:port' or ':port'");
  const port = Number(m[3]);
  if (port > 65535) throw new BindAddressError(option, value, `has port ${port}, above 65535`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

/** 'host:port' as given on a command line: ':port' for every interface, brackets around IPv6 hosts. */
export function formatBindAddress(bind: BindAddress): string {
  const host = bind.host === undefined ? '' : bind.host.includes(':') ? `[${bind.host}]` : bind.host;
  return `${host}:${bind.port}`;
}

export function formatAddress(info: AddressInfo): string {
  return info.family === 'IPv6' ? `[${info.address}]:${info.port}` : `${info.address}:${info.port}`;
}
