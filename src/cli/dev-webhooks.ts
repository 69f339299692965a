import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { DevCommandError } from '../errors.js';
import { realClock, type Clock } from '../runtime/clock.js';
import type { TestEnvWebhookOptions, WebhookInstallOptions } from '../testing/webhook/options.js';

/** Where generate manifests writes the project's admission webhook configurations. */
export const WEBHOOK_MANIFESTS = join('config', 'webhook', 'manifests.yaml');

/**
 * The flags `dev` gives the operator so its webhook server serves where the configurations point (the generated
 * manager reads them, with these names, from its command line).
 */
export const DEV_WEBHOOK_FLAGS = ['--webhook-port', '--webhook-cert-dir'] as const;

/**
 * Flags of the operator that, set by the user, would serve the webhooks somewhere the configurations do not point
 * or with files that are not in dev's certificate directory.
 */
const OWNED_FLAGS = [...DEV_WEBHOOK_FLAGS, '--webhook-cert-name', '--webhook-key-name'];

/**
 * Whether `dev` runs webhooks: when the project has config/webhook/manifests.yaml or a CRD converted by a webhook.
 * Returns startTestEnv's `webhooks` option then (the manifests named directly, so a file holding anything else is
 * refused), else undefined: dev runs as it does without webhooks.
 */
export async function devWebhookOptions(projectDir: string, crdDir: string): Promise<TestEnvWebhookOptions | undefined> {
  const manifests = join(projectDir, WEBHOOK_MANIFESTS);
  const hasManifests = existsSync(manifests);
  let conversion = false;
  if (existsSync(crdDir)) {
    const { loadCrds } = await import('../testing/crd-sources.js');
    const { conversionWebhookCrdNames } = await import('../testing/webhook/conversion.js');
    conversion = conversionWebhookCrdNames(await loadCrds([crdDir])).length > 0;
  }
  if (!hasManifests && !conversion) return undefined;
  return { paths: hasManifests ? [manifests] : [], host: '127.0.0.1' };
}

/** Refuses the operator flags dev sets itself when it runs webhooks: the user's would point them elsewhere. */
export function checkOperatorArgs(args: readonly string[]): void {
  for (const arg of args) {
    const flag = OWNED_FLAGS.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (flag !== undefined) {
      throw new DevCommandError(`the operator argument ${arg} is refused: dev sets ${DEV_WEBHOOK_FLAGS.join(' and ')} itself (a free port on 127.0.0.1 and a temporary certificate directory, which the webhook configurations it installs point at)`, {
        hint: `leave ${flag} out of the operator's arguments; to serve webhooks elsewhere, run the operator yourself against operator-ts testenv`,
      });
    }
  }
}

/** The operator's arguments with the webhook flags first, so they never land after a `--` of the operator's own. */
export function withWebhookArgs(args: readonly string[], w: Pick<WebhookInstallOptions, 'port' | 'certDir'>): string[] {
  return ['--webhook-port', String(w.port), '--webhook-cert-dir', w.certDir, ...args];
}

/** One HTTPS request to the webhook server: true when it answers at all (any status), false when nothing does yet. */
function answers(w: Pick<WebhookInstallOptions, 'host' | 'port' | 'caPem'>): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: w.host, port: w.port, method: 'GET', path: '/', ca: w.caPem, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** How long dev waits for the operator's webhook server before applying the samples anyway. */
export const WEBHOOK_WAIT_MS = 60_000;

export interface WaitForWebhookServerOptions {
  /** Stop waiting (false) when this says so: the operator exited or a signal arrived. */
  stopped: () => boolean;
  timeoutMs?: number;
  intervalMs?: number;
  clock?: Clock;
}

/**
 * Waits until the operator's webhook server answers HTTPS with the certificate dev made: a real API server does
 * not wait for it either, and a sample sent before it listens would be refused by a failurePolicy Fail webhook.
 * Resolves true when it answers, false on timeout or when `stopped()`.
 */
export async function waitForWebhookServer(w: Pick<WebhookInstallOptions, 'host' | 'port' | 'caPem'>, options: WaitForWebhookServerOptions): Promise<boolean> {
  const { timeoutMs = WEBHOOK_WAIT_MS, intervalMs = 100, clock = realClock } = options;
  const deadline = clock.now() + timeoutMs;
  while (!options.stopped()) {
    if (await answers(w)) return true;
    if (clock.now() >= deadline) return false;
    await clock.sleep(intervalMs);
  }
  return false;
}
