import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import type { LogFields, Logger, LogLevel } from '../types.js';

export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  stream?: NodeJS.WritableStream;
  clock?: Clock;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const severity: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Errors do not survive JSON.stringify; turn them (and their causes) into plain objects. */
function plain(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const extra = value as Error & { code?: unknown; hint?: unknown };
    if (extra.code !== undefined) out.code = extra.code;
    if (extra.hint !== undefined) out.hint = extra.hint;
    if (value.cause !== undefined && depth < 3) out.cause = plain(value.cause, depth + 1);
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function plainFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = plain(value);
  return out;
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

type Formatter = (ts: string, level: LogLevel, msg: string, fields: LogFields) => string;

// Reserved keys come first so a field named "msg" cannot hide the message.
const formatJson: Formatter = (ts, level, msg, fields) => JSON.stringify({ ...fields, ts, level, msg }, safeReplacer());

const formatText: Formatter = (ts, level, msg, fields) => {
  const pairs = Object.entries(fields).map(([k, v]) => `${k}=${textValue(v)}`);
  return [ts, level.toUpperCase().padEnd(5), msg, ...pairs].join(' ');
};

/** Cycles would make JSON.stringify throw; a log line must never throw. */
function safeReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}

class StreamLogger implements Logger {
  constructor(
    private readonly minSeverity: number,
    private readonly format: Formatter,
    private readonly stream: NodeJS.WritableStream,
    private readonly clock: Clock,
    private readonly bound: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new StreamLogger(this.minSeverity, this.format, this.stream, this.clock, { ...this.bound, ...fields });
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (severity[level] < this.minSeverity) return;
    const ts = new Date(this.clock.now()).toISOString();
    const merged = plainFields(fields ? { ...this.bound, ...fields } : this.bound);
    this.stream.write(this.format(ts, level, msg, merged) + '\n');
  }
}

/** Structured logger: one JSON object per line by default, `format: 'text'` for people at a terminal. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new RangeError(`log level '${String(level)}' is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'text') {
    throw new RangeError(`log format '${String(format)}' is not one of json, text`);
  }
  return new StreamLogger(severity[level], format === 'json' ? formatJson : formatText, opts.stream ?? process.stderr, opts.clock ?? realClock, {});
}
