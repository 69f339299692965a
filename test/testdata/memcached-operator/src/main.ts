/**
 * The manager entrypoint of memcached-operator: reads the flags, builds the manager, registers the controllers
 * and runs until SIGTERM/SIGINT. Every flag also reads the environment variable of the same name
 * (--leader-elect ↔ LEADER_ELECT); run `node dist/main.js --help` for the full list.
 */
import {
  Manager,
  LeaderElectionLostError,
  createLogger,
  parseManagerFlags,
  setupSignalHandler,
  type Logger,
} from 'operator-ts/runtime';
import { setupMemcachedController } from './controllers/memcached.controller.js';
import { setupStaticSiteController } from './controllers/staticsite.controller.js';
// +operator-ts:scaffold:imports

// The Lease name replicas elect on. It is stored in PROJECT and must stay the same across versions,
// otherwise old and new replicas would elect separately during a rolling upgrade.
const LEADER_ELECTION_ID = '87a7d51f.example.com';

async function main(): Promise<void> {
  // Flags are validated before anything talks to the cluster; a bad value throws a FlagError naming it.
  const flags = parseManagerFlags({
    argv: process.argv.slice(2),
    env: process.env,
    defaults: { leaderElectionId: LEADER_ELECTION_ID },
  });
  if (flags.help !== undefined) {
    process.stdout.write(flags.help.endsWith('\n') ? flags.help : `${flags.help}\n`);
    return;
  }

  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  try {
    const manager = new Manager({ ...flags.managerOptions, logger });

    // Controllers run only on the elected leader; caches and probes run on every replica.
    setupMemcachedController(manager);
    setupStaticSiteController(manager);
    // +operator-ts:scaffold:controllers

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
