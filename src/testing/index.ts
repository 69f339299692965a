/**
 * operator-ts/testing: an embedded Kubernetes API server for tests and local runs (the envtest of TypeScript).
 */
export { startTestEnv, startTestServer, CrdInstallError, type TestEnv, type TestServer, type TestEnvOptions } from './test-env.js';
export { WebhookInstallError, TEST_ENV_WEBHOOK_DEFAULTS, type TestEnvWebhookOptions, type WebhookInstallOptions } from './webhook/options.js';
export { ApiServer } from './server/api-server.js';
export { API_SERVER_DEFAULTS, type ApiServerOptions } from './server/options.js';
export { registerBuiltinResources } from './server/builtin-kinds.js';
export { ResourceRegistry, type ServedResource, type KindHooks } from './server/registry.js';
export { StatusError, type KubeStatus, type StatusCause } from './server/status.js';
export { loadCrds, CrdSourceError } from './crd-sources.js';
export { ExistingClusterError, EXISTING_CLUSTER_DEFAULTS, type ExistingClusterOptions } from './existing-cluster.js';
export type { SimulateOptions } from './simulation/options.js';
export { kubeconfigYaml, TESTENV_CONTEXT } from './kubeconfig.js';
export { compileCrdSchema, testKubeConfig } from './lazy-entry.js';
export { runTestEnvCommand, startCommandTestEnv, type TestEnvCommandOptions, type TestEnvServerOptions } from './testenv-command.js';
export { SchemaCompileError } from './validation/errors.js';
export { formatFieldError, invalidObjectMessage, type FieldError } from './validation/field-error.js';
export type { CompiledSchema, CompileOptions } from './validation/index.js';
export { applyPatch, patchTypeFromContentType, supportsStrategicMerge, PatchError, type PatchType, type ApplyPatchInput } from './patch/index.js';
export { eventually, EventuallyTimeoutError, EVENTUALLY_DEFAULTS, type EventuallyOptions } from './eventually.js';
export { FakeClock, flushMicrotasks } from '../runtime/fake-clock.js';
