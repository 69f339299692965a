/**
 * The manager entrypoint of memcached-operator: reads the flags (declared in ./flags.ts), builds the manager,
 * registers the controllers and webhooks and runs until SIGTERM/SIGINT. Run `node dist/main.js --help` for every flag.
 */
import {
  Manager,
  LeaderElectionLostError,
  createLogger,
  setupSignalHandler,
  type Logger,
} from 'operator-ts/runtime';
import { parseFlags } from './flags.js';
import { setupMemcachedController } from './controllers/memcached.controller.js';
import { setupMemcachedWebhooks } from './webhooks/memcached.webhook.js';
import { setupStaticSiteController } from './controllers/staticsite.controller.js';
// +operator-ts:scaffold:imports

async function main(): Promise<void> {
  // Flags are validated before anything talks to the cluster; a bad value throws a FlagError naming it.
  const flags = parseFlags();

  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  try {
    // flags.managerOptions.cache holds --watch-namespace; add `byObject` there to cache a kind by label or field
    // selector only (docs: operator-ts runtime, "Scoped caches").
    const manager = new Manager({ ...flags.managerOptions, logger });

    // Controllers run only on the elected leader; caches and probes run on every replica.
    setupMemcachedController(manager);
    setupStaticSiteController(manager);
    // +operator-ts:scaffold:controllers

    // Webhooks are served on every replica, leader or not: the API server calls whichever Pod its Service picks,
    // so they take no part in leader election.
    setupMemcachedWebhooks(manager);
    // +operator-ts:scaffold:webhooks

    // Resolves after a clean shutdown on SIGTERM/SIGINT; rejects when leadership is lost or a runnable fails.
    await manager.start(setupSignalHandler());
  } catch (err) {
    fail(err, logger);
  }
}

/** Logs why the manager stopped and sets exit code 1, so Kubernetes restarts the pod. */
function fail(err: unknown, logger?: Logger): void {
  const { message, hint } = describe(err);
  if (logger) logger.error(message, hint === undefined ? {} : { hint });
  else process.stderr.write(`error: ${message}\n${hint === undefined ? '' : `hint: ${hint}\n`}`);
  process.exitCode = 1;
}

function describe(err: unknown): { message: string; hint?: string } {
  if (err instanceof LeaderElectionLostError) {
    return { message: 'leader election lost', hint: 'another replica leads now; this process exits so it restarts as a standby' };
  }
  if (err instanceof Error) {
    // operator-ts errors carry a hint that says what to do about them.
    const hint = (err as { hint?: unknown }).hint;
    return { message: err.message, hint: typeof hint === 'string' ? hint : undefined };
  }
  return { message: String(err) };
}

main().catch((err: unknown) => fail(err));
