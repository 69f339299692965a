import type { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * String and number formats as the API server checks them. ajv-formats covers most; Kubernetes adds a few
 * (cidr, mac, Go-style duration, uuidN). Formats the server does not know are ignored by it, so the schema
 * translator drops them rather than letting ajv reject the schema.
 */
const AJV_FORMATS = ['date', 'date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid', 'uri', 'int32', 'int64', 'float', 'double', 'byte', 'password', 'binary'] as const;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const CUSTOM_FORMATS: Record<string, (value: string) => boolean> = {
  cidr: (value) => {
    const [address, bits, extra] = value.split('/');
    if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
    if (IPV4.test(address!)) return Number(bits) <= 32;
    return address!.includes(':') && /^[0-9a-fA-F:.]+$/.test(address!) && Number(bits) <= 128;
  },
  mac: (value) => /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(value) || /^([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}$/.test(value),
  // Go time.ParseDuration syntax: "300ms", "1h30m", "-1.5h".
  duration: (value) => /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value) || value === '0',
  uuid3: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  uuid4: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(value),
  uuid5: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(value),
};

/** Format names in CRDs that mean a supported format under another name. */
const ALIASES: Record<string, string> = { datetime: 'date-time' };

export function registerFormats(ajv: Ajv): void {
  // ajv-formats ships as CommonJS; under NodeNext its default import is the module object or the function.
  const plugin = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (a: Ajv, f: readonly string[]) => void;
  plugin(ajv, AJV_FORMATS);
  for (const [name, check] of Object.entries(CUSTOM_FORMATS)) ajv.addFormat(name, { type: 'string', validate: check });
}

/** The format name to give ajv for a CRD `format`, or undefined when the server would ignore it. */
export function supportedFormat(format: string): string | undefined {
  const name = ALIASES[format] ?? format;
  return (AJV_FORMATS as readonly string[]).includes(name) || name in CUSTOM_FORMATS ? name : undefined;
}
