/**
 * operator-ts/runtime: the controller-runtime of TypeScript. This is the stable surface a generated
 * operator is written against; the parts it is built from are in operator-ts/runtime/internal.
 */

// Manager, health probes and leader election. The manager runs every Runnable, serves /healthz and /readyz
// (add checks with addHealthzCheck/addReadyzCheck), serves its prom-client registry `metricsRegistry` on
// /metrics, and elects a leader on a Lease before starting controllers.
export { Manager } from './manager/manager.js';
export type { ManagerOptions } from './manager/options.js';
export type { ClientRateLimitOptions } from './manager/rate-limit-options.js';
export type { Runnable, LeaseGuard, WriteFence } from './types.js';
export { setupSignalHandler } from './signals.js';
export { GracefulShutdownTimeoutError, ManagerOptionsError, ManagerAlreadyStartedError, RunnableFailedError } from './manager/errors.js';
export { BindAddressError } from './http/bind-address.js';
export { ListenError } from './http/listen-error.js';
export { CertificateLoadError } from './http/cert-watcher.js';
export type { MetricsServingOptions } from './manager/metrics-serving-options.js';
export { DuplicateCheckError, InvalidCheckNameError, type Check } from './probes/checks.js';
export { LEADER_ELECTION_DEFAULTS, type LeaderElectionOptions, type LeaderElectionStrategy } from './leaderelection/options.js';
export { leaderElectionStrategyArg } from './leaderelection/strategy.js';
export { LeaderElectionLostError, LeaseNotHeldError, LeaderElectionConfigError, LeaderForLifeError } from './leaderelection/errors.js';

// Controllers: what is watched, how a reconcile is called, what it returns, and which events reach it.
export { controllerManagedBy, ControllerBuilder, type ControllerBuildOptions, type MetadataOnlyWatchOptions } from './controller/builder.js';
export { Controller, ReconcilePanicError, ReconcileTimeoutError } from './controller/controller.js';
export { ControllerOptionsError } from './controller/build-options.js';
export { TerminalError, isTerminalError, type Reconciler, type ReconcileContext, type Predicate, type ControllerManager } from './controller/types.js';
export type { Request, Result } from './types.js';
export { generationChangedPredicate, labelChangedPredicate, annotationChangedPredicate, resourceVersionChangedPredicate, objectPredicate, anyPredicate } from './controller/predicates.js';
export type { RateLimiter } from './queue/rate-limiters.js';

// Webhooks (controller-runtime's webhook package): `webhookManagedBy(manager).for(Kind).withDefaulter(d)
// .withValidator(v).withConversion({ hub, spokes }).complete()` serves /mutate-…, /validate-… and /convert on the
// manager's HTTPS webhook server (ManagerOptions.webhook). docs/webhooks.md.
export { webhookManagedBy, WebhookBuilder, type WebhookManager, type WebhookRegistration } from './webhook/builder.js';
export { WebhookServer } from './webhook/server.js';
export type { WebhookServerOptions } from './manager/webhook-server-options.js';
export type { Defaulter, Validator, Warnings, AdmissionContext, AdmissionOperation, AdmissionRequest, ConversionSpec, SpokeConverter } from './webhook/types.js';
export { WebhookDeniedError, WebhookSetupError, type FieldCause, type WebhookDeniedOptions } from './webhook/errors.js';
export { mutatePath, validatePath } from './webhook/paths.js';

// Client, API errors and cache reads: `get`/`list` read the shared cache, every write goes to the API server.
export { Client, type ListOptions, type PatchOptions, type PatchType, type ApplyOptions, type DeleteOptions, type WriteOptions } from './client/client.js';
export { ApiReader, type ApiListOptions } from './client/api-reader.js';
export type { ObjectKey } from './client/object-key.js';
export { ApiError, NotFoundError, ConflictError, AlreadyExistsError, InvalidError, GoneError, TransportError, isNotFound, isConflict, ignoreNotFound } from './client/errors.js';
// controllerutil.CreateOrUpdate/CreateOrPatch: write a child object only when mutate changed it.
export {
  createOrUpdate, createOrPatch, MutateKeyChangedError, type OperationResult, type MutateFn, type ObjectGetter, type CreateOrUpdateOptions,
} from './client/create-or-update.js';
export { KubeConfigError } from './client/rest-transport.js';
export { loadKubeConfig, type LoadKubeConfigOptions } from './kubeconfig/kubeconfig-file.js';
export type { KubeConfigLike } from './kubeconfig/kubeconfig-like.js';
export { SharedCache, CacheNotStartedError } from './cache/shared-cache.js';
export type { CacheOptions, ByObjectOptions } from './cache/cache-options.js';
export { NamespaceNotCachedError } from './cache/cache-scope-error.js';
export { CacheOptionsError } from './cache/cache-options-error.js';
// Field indexes (controller-runtime's FieldIndexer): `manager.fieldIndexer.indexField(...)`, then `matchingFields` on lists.
export type { FieldIndexer, IndexerFunc } from './cache/field-indexer.js';
export { IndexFieldError, IndexFunctionError, UnindexedFieldError } from './cache/field-index-errors.js';

// Object helpers: finalizers, owner references and status conditions.
export { addFinalizer, removeFinalizer, hasFinalizer } from './helpers/finalizers.js';
export { setControllerReference, setOwnerReference, AlreadyOwnedError } from './helpers/owner-references.js';
export { setStatusCondition, findStatusCondition, removeStatusCondition, isStatusConditionTrue, type ConditionHolder } from './helpers/conditions.js';
export type { Condition } from './types.js';

// Events recorded on objects (`context.recorder`, `manager.eventRecorder(component)`).
export type { EventRecorder, EventType } from './types.js';

// Manager flags: a generated src/flags.ts declares them with commander and parses their values with these
// (each throws a FlagError naming the flag); the leader-election timing rules are checked by one function.
export { durationArg, booleanArg, bindAddressArg, portArg, positiveIntArg, qpsArg, resourceNameArg, namespaceArg, namespaceListArg, fileNameArg, flagEnvVar, type ArgParser } from './flags/arg-parsers.js';
export { validateLeaderElectionTiming, type LeaderElectionTiming } from './leaderelection/timing-rules.js';
export { FlagError } from './flags/flag-error.js';
export { parseDuration, formatDuration } from './flags/duration.js';

// Logging.
export { createLogger, type LoggerOptions, type LogFormat } from './logging/logger.js';
export { silentLogger } from './logging/silent-logger.js';
export type { Logger, LogFields, LogLevel } from './types.js';

// Resource definitions, RBAC rules and the built-in resource types.
export { defineResource, type ResourceType, type ResourceTypeInit } from './resource.js';
export { metadataOnly, isMetadataOnly, type PartialObjectMetadata, type MetadataOnlyResourceType } from './metadata-only.js';
export type { RbacRule, Verb } from './types.js';
export {
  Namespace, ConfigMap, Secret, Service, ServiceAccount, Pod, CoreEvent, Deployment, StatefulSet, Job, Lease, CustomResourceDefinition,
} from './builtin-resources.js';

// Clock: inject one into the manager (`clock`) to control time; operator-ts/testing has a fake one.
export { realClock, type Clock } from './clock.js';

// Base errors: every error the runtime throws is an OperatorTsError with a stable `code` and a `hint`.
export { OperatorTsError, ValidationError } from '../errors.js';
