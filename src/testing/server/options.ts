import { ValidationError } from '../../errors.js';
import { resolveSimulateOptions, type ResolvedSimulateOptions, type SimulateOptions } from '../simulation/options.js';

export interface ApiServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** When set, every request except health checks needs `Authorization: Bearer <token>`. */
  token?: string;
  /** How many change events the watch history keeps (older resourceVersions get 410 Gone). */
  historyWindow?: number;
  /** Largest accepted request body; bigger ones get 413. */
  maxBodyBytes?: number;
  /** How often idle watches with allowWatchBookmarks receive a BOOKMARK. */
  bookmarkIntervalMs?: number;
  /** Watch duration when the client sends no timeoutSeconds. */
  defaultWatchTimeoutSeconds?: number;
  /** Controllers of a real cluster to simulate (workload status); all off by default. */
  simulate?: SimulateOptions;
  /**
   * 'eager' (default): start() resolves once the CRD schema compiler is loaded, so createObject() of a CRD
   * works straight away. 'background': start() resolves as soon as the server listens and the compiler loads
   * behind it; HTTP writes of CRDs wait for it, createObject() of a CRD needs `await crdValidationReady()` first.
   */
  crdValidation?: 'eager' | 'background';
}

export type ResolvedApiServerOptions = Required<Omit<ApiServerOptions, 'token' | 'simulate'>> & { token?: string; simulate: ResolvedSimulateOptions };

export const API_SERVER_DEFAULTS = {
  port: 0,
  historyWindow: 10_000,
  maxBodyBytes: 3 * 1024 * 1024,
  bookmarkIntervalMs: 10_000,
  defaultWatchTimeoutSeconds: 1800,
  crdValidation: 'eager',
} as const;

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be an integer between ${min} and ${max}, got ${String(value)}`, { hint: `Pass a value such as ${name}: ${Math.max(min, 1)}.` });
  }
  return value;
}

/** Fills defaults and validates every option in one place. */
export function resolveApiServerOptions(options: ApiServerOptions = {}): ResolvedApiServerOptions {
  const merged = { ...API_SERVER_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ResolvedApiServerOptions;
  merged.simulate = resolveSimulateOptions(options.simulate);
  integerIn('port', merged.port, 0, 65535);
  integerIn('historyWindow', merged.historyWindow, 1, 10_000_000);
  integerIn('maxBodyBytes', merged.maxBodyBytes, 1024, 1024 * 1024 * 1024);
  integerIn('bookmarkIntervalMs', merged.bookmarkIntervalMs, 1, 3_600_000);
  integerIn('defaultWatchTimeoutSeconds', merged.defaultWatchTimeoutSeconds, 1, 86_400);
  if (merged.crdValidation !== 'eager' && merged.crdValidation !== 'background') {
    throw new ValidationError(`crdValidation must be "eager" or "background", got ${JSON.stringify(merged.crdValidation)}`, { hint: 'Leave it out (eager), or pass crdValidation: "background" to answer before the CRD schema compiler has loaded.' });
  }
  if (merged.token !== undefined && (typeof merged.token !== 'string' || merged.token === '' || /\s/.test(merged.token))) {
    throw new ValidationError('token must be a non-empty string without whitespace', { hint: 'Use a value such as token: "test-token", or leave it out to disable authentication.' });
  }
  return merged;
}
