// operator-ts/runtime: the controller-runtime of TypeScript.
// ---- shared ----
export * from './types.js';
export * from './resource.js';
export * from './builtin-resources.js';
export { realClock, FakeClock, flushMicrotasks, type Clock } from './clock.js';
export { OperatorTsError, ValidationError } from '../errors.js';
// ---- R1: manager, leader election, probes, metrics server, flags, logging ----
export { Manager } from './manager/manager.js';
export type { ManagerOptions } from './manager/options.js';
export { GracefulShutdownTimeoutError, ManagerOptionsError, ManagerAlreadyStartedError, RunnableFailedError } from './manager/errors.js';
export { BindAddressError } from './manager/http-listener.js';
export type { LeaderElectionOptions } from './leaderelection/options.js';
export { LEADER_ELECTION_DEFAULTS } from './leaderelection/options.js';
export { LeaderElectionLostError, LeaseNotHeldError, LeaderElectionConfigError } from './leaderelection/errors.js';
export { LeaderElector, type LeaderElectorConfig } from './leaderelection/elector.js';
export type { LeaseLock, LeaseWatcher, LeaderElectionRecord, ObservedLease } from './leaderelection/lease-lock.js';
export { KubeLeaseLock } from './leaderelection/kube-lease-lock.js';
export { MemoryLeaseStore } from './leaderelection/memory-lease-lock.js';
export { formatMicroTime, parseMicroTime } from './leaderelection/microtime.js';
export { DuplicateCheckError, InvalidCheckNameError } from './probes/checks.js';
export { createMetricsRegistry } from './metrics/registry.js';
export { FlagError } from './flags/flag-error.js';
export { parseManagerFlags, type ManagerFlags } from './flags/manager-flags.js';
export { parseDuration, formatDuration } from './flags/duration.js';
export { createLogger, type LogFormat } from './logging/logger.js';
export { silentLogger } from './logging/silent-logger.js';
export { setupSignalHandler } from './signals.js';
// ---- R2: queue, informer, cache, client, events, controllers (appended below) ----
