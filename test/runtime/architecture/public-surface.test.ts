import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Adding a name to an entry point, or letting an internal one leak into operator-ts/runtime, must be a
// deliberate change to these lists.
const RUNTIME = [
  'AlreadyExistsError', 'AlreadyOwnedError', 'ApiError', 'ApiListOptions', 'ApiReader', 'ApplyOptions', 'ArgParser', 'BindAddressError', 'ByObjectOptions',
  'CacheNotStartedError', 'CacheOptions', 'CacheOptionsError', 'CertificateLoadError', 'Check', 'Client', 'ClientRateLimitOptions', 'Clock', 'Condition', 'ConditionHolder', 'CreateOrUpdateOptions', 'ConfigMap', 'ConflictError', 'Controller',
  'ControllerBuildOptions', 'ControllerBuilder', 'ControllerManager', 'ControllerOptionsError', 'CoreEvent', 'CustomResourceDefinition',
  'DeleteOptions', 'Deployment', 'DuplicateCheckError', 'EventRecorder', 'EventType', 'FieldIndexer', 'FlagError', 'GoneError',
  'GracefulShutdownTimeoutError', 'IndexFieldError', 'IndexFunctionError', 'IndexerFunc', 'InvalidCheckNameError', 'InvalidError', 'Job', 'KubeConfigError', 'KubeConfigLike', 'LoadKubeConfigOptions',
  'LEADER_ELECTION_DEFAULTS', 'LeaderElectionConfigError', 'LeaderElectionLostError', 'LeaderElectionOptions', 'LeaderElectionStrategy', 'LeaderForLifeError',
  'LeaderElectionTiming', 'Lease', 'LeaseGuard', 'LeaseNotHeldError', 'ListOptions', 'ListenError', 'LogFields',
  'LogFormat', 'LogLevel', 'Logger', 'LoggerOptions', 'Manager', 'ManagerAlreadyStartedError', 'ManagerOptions',
  'ManagerOptionsError', 'MetadataOnlyResourceType', 'MetadataOnlyWatchOptions', 'MetricsServingOptions', 'MutateFn', 'MutateKeyChangedError', 'Namespace', 'NamespaceNotCachedError', 'NotFoundError', 'ObjectGetter', 'ObjectKey', 'OperationResult', 'OperatorTsError', 'PartialObjectMetadata', 'PatchOptions', 'PatchType', 'Pod',
  'Predicate', 'RateLimiter', 'RbacRule', 'ReconcileContext', 'ReconcilePanicError', 'ReconcileTimeoutError', 'Reconciler', 'Request',
  'ResourceType', 'ResourceTypeInit', 'Result', 'Runnable', 'RunnableFailedError', 'Secret', 'Service', 'ServiceAccount',
  'SharedCache', 'StatefulSet', 'TerminalError', 'TransportError', 'UnindexedFieldError', 'ValidationError', 'Verb', 'WriteFence', 'WriteOptions', 'addFinalizer',
  'annotationChangedPredicate', 'anyPredicate', 'bindAddressArg', 'booleanArg', 'controllerManagedBy', 'createLogger', 'createOrPatch', 'createOrUpdate',
  'defineResource', 'durationArg', 'fileNameArg', 'findStatusCondition', 'flagEnvVar', 'formatDuration', 'generationChangedPredicate',
  'hasFinalizer', 'ignoreNotFound', 'isConflict', 'isMetadataOnly', 'isNotFound', 'isStatusConditionTrue', 'isTerminalError', 'labelChangedPredicate',
  'leaderElectionStrategyArg', 'loadKubeConfig', 'metadataOnly', 'namespaceArg', 'namespaceListArg', 'objectPredicate', 'parseDuration', 'portArg', 'positiveIntArg', 'qpsArg', 'realClock', 'removeFinalizer',
  'removeStatusCondition', 'resourceNameArg', 'resourceVersionChangedPredicate', 'setControllerReference',
  'setOwnerReference', 'setStatusCondition', 'setupSignalHandler', 'silentLogger', 'validateLeaderElectionTiming',
  // Webhooks.
  'webhookManagedBy', 'WebhookBuilder', 'WebhookManager', 'WebhookRegistration', 'WebhookServer', 'WebhookServerOptions', 'Defaulter', 'Validator', 'Warnings', 'AdmissionContext', 'AdmissionOperation', 'AdmissionRequest', 'ConversionSpec', 'SpokeConverter', 'WebhookDeniedError', 'WebhookSetupError', 'FieldCause', 'WebhookDeniedOptions', 'mutatePath', 'validatePath',
];

const RUNTIME_INTERNAL = [
  'BucketRateLimiter', 'CacheReader', 'CachedReader', 'Cluster', 'ClusterOptions', 'ControllerHost', 'DelayingQueue',
  'EventHandler', 'Informer', 'InformerOptions', 'ItemExponentialFailureRateLimiter', 'KubeEventRecorder', 'KubeLeaseLock',
  'LabelSelector', 'LeadershipState', 'LeaderElectionRecord', 'LeaderElector', 'LeaderElectorConfig', 'LeaseLock', 'LeaseWatcher',
  'ListResult', 'ListerWatcher', 'MaxOfRateLimiter', 'MemoryLeaseStore', 'ObjectStore', 'ObservedLease', 'RateLimitingQueue',
  'RequestRateLimiter', 'RestClientMetrics', 'RestTransport', 'TokenBucketRateLimiter', 'WatchEvent', 'WorkQueue', 'collectionPath', 'createCluster', 'createMetricsRegistry', 'createRestClientMetrics',
  'alwaysHeldGuard', 'createLeaseGuard', 'defaultControllerRateLimiter', 'fencingMarginMs', 'formatMicroTime', 'objectPath', 'parseLabelSelector', 'parseMicroTime',
];

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const ENTRIES = { runtime: root('src/runtime/index.ts'), internal: root('src/runtime/internal.ts'), testing: root('src/testing/index.ts') };

/** Every name (values and types) an entry point exports, as the type checker resolves them. */
function exportedNames(): Record<keyof typeof ENTRIES, string[]> {
  const program = ts.createProgram(Object.values(ENTRIES), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const names = (file: string) => {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
    assert.ok(symbol, `${file} is a module`);
    return checker.getExportsOfModule(symbol).map((s) => s.name).sort();
  };
  return { runtime: names(ENTRIES.runtime), internal: names(ENTRIES.internal), testing: names(ENTRIES.testing) };
}

const exported = exportedNames();

test('operator-ts/runtime exports exactly the public names', () => {
  assert.deepEqual(exported.runtime, [...RUNTIME].sort());
});

test('operator-ts/runtime/internal exports exactly the internal names', () => {
  assert.deepEqual(exported.internal, [...RUNTIME_INTERNAL].sort());
});

test('no name is exported by both runtime entry points', () => {
  assert.deepEqual(exported.runtime.filter((n) => exported.internal.includes(n)), []);
});

test('the test clock is exported by operator-ts/testing', () => {
  for (const name of ['FakeClock', 'flushMicrotasks']) assert.ok(exported.testing.includes(name), `${name} in operator-ts/testing`);
});

test('package.json maps operator-ts/runtime/internal to the built file and its types', () => {
  const pkg = JSON.parse(readFileSync(root('package.json'), 'utf8')) as { exports: Record<string, unknown> };
  assert.deepEqual(pkg.exports['./runtime/internal'], { types: './dist/runtime/internal.d.ts', default: './dist/runtime/internal.js' });
});
