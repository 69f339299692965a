import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { OperatorTsError } from '../../errors.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../types.js';
import type { CertificatePair } from './self-signed-cert.js';

const METRICS_CERT_HINT =
  'check --metrics-cert-dir, --metrics-cert-name and --metrics-key-name (a cert-manager Secret mounts tls.crt and tls.key), or leave --metrics-cert-dir empty for a self-signed certificate';

/** The certificate or key in a server's cert dir cannot be read or does not make a TLS context. */
export class CertificateLoadError extends OperatorTsError {
  constructor(certPath: string, keyPath: string, cause: unknown, hint: string = METRICS_CERT_HINT) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('ECERTLOAD', `could not load the TLS certificate ${certPath} with key ${keyPath}: ${reason}`, { hint, cause });
  }
}

export interface CertWatcherOptions {
  dir: string;
  certName: string;
  keyName: string;
  clock: Clock;
  logger: Logger;
  /** How often the files are read again even without a file-system event (controller-runtime's certwatcher: 10s). */
  pollIntervalMs?: number;
  /** Names the server in log lines; 'metrics server'. */
  server?: string;
  /** What CertificateLoadError tells the user to check; the metrics flags by default. */
  hint?: string;
}

/**
 * Serves the certificate and key files of a directory and notices when they change (cert-manager rotates them by
 * swapping a symlink in the mounted Secret): on a change that loads, `onChange` gets the new pair; a pair that does
 * not load is logged and the old one stays in use.
 */
export class CertWatcher {
  readonly certPath: string;
  readonly keyPath: string;
  private current: CertificatePair | undefined;

  constructor(private readonly options: CertWatcherOptions) {
    this.certPath = join(options.dir, options.certName);
    this.keyPath = join(options.dir, options.keyName);
  }

  /** Reads the pair once; throws CertificateLoadError when it does not load. */
  async load(): Promise<CertificatePair> {
    let pair: CertificatePair;
    try {
      const [cert, key] = await Promise.all([readFile(this.certPath, 'utf8'), readFile(this.keyPath, 'utf8')]);
      pair = { cert, key };
      createSecureContext(pair);
    } catch (err) {
      throw new CertificateLoadError(this.certPath, this.keyPath, err, this.options.hint);
    }
    this.current = pair;
    return pair;
  }

  /** Re-reads the pair until `signal` aborts; resolves then. */
  async watch(signal: AbortSignal, onChange: (pair: CertificatePair) => void): Promise<void> {
    const { clock, logger, dir } = this.options;
    let wake: (() => void) | undefined;
    // An event that arrives while the files are being read (cert-manager swaps the key, then the certificate) must
    // cause another read at once, not wait for the next poll.
    let changed = false;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dir, { persistent: false }, () => {
        changed = true;
        wake?.();
      });
      watcher.on('error', () => {});
    } catch {
      // No file-system events here (e.g. the directory is gone); polling still notices changes.
    }
    try {
      while (!signal.aborted) {
        const tick = new AbortController();
        const onAbort = () => tick.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        if (!changed) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            clock.sleep(this.options.pollIntervalMs ?? 10_000, tick.signal).then(resolve, resolve);
          });
        }
        wake = undefined;
        changed = false;
        tick.abort();
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) break;
        const before = this.current;
        try {
          const pair = await this.load();
          if (!before || pair.cert !== before.cert || pair.key !== before.key) {
            logger.info(`${this.options.server ?? 'metrics server'} certificate reloaded`, { cert: this.certPath });
            onChange(pair);
          }
        } catch (error) {
          this.current = before;
          logger.error(`${this.options.server ?? 'metrics server'} certificate could not be reloaded; serving the previous one`, { error });
        }
      }
    } finally {
      watcher?.close();
    }
  }
}
