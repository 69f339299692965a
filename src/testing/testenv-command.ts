import { resolve } from 'node:path';
import { startTestEnv, startTestServer, type TestEnv, type TestEnvOptions } from './test-env.js';
import type { TestEnvWebhookOptions } from './webhook/options.js';

export interface TestEnvCommandOptions {
  port?: number;
  /** Where to write the kubeconfig; default a temp file removed on exit. */
  kubeconfig?: string;
  /** A CRD file or directory to install. */
  crds?: string;
  token?: string;
  /** Simulate the workload controllers: Deployments and the like report ready replicas, Jobs complete. */
  simulateWorkloads?: boolean;
  /** Stops the server when aborted (the CLI wires SIGINT/SIGTERM to it). */
  signal: AbortSignal;
  print: (line: string) => void;
}

/** Where and how a command runs the embedded API server: what `testenv` and `dev` share. */
export type TestEnvServerOptions = Pick<TestEnvCommandOptions, 'port' | 'kubeconfig' | 'crds' | 'token' | 'simulateWorkloads'> & {
  /** `dev` of a project with webhooks: the configurations and CRD conversions to point at the operator it runs. */
  webhooks?: TestEnvWebhookOptions;
};

function serverOptions(opts: TestEnvServerOptions): TestEnvOptions {
  return {
    port: opts.port,
    token: opts.token,
    crds: opts.crds === undefined ? [] : [opts.crds],
    kubeconfigPath: opts.kubeconfig === undefined ? undefined : resolve(opts.kubeconfig),
    ...(opts.simulateWorkloads ? { simulate: { workloads: true } } : {}),
    ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    // These commands exist to run the embedded server; USE_EXISTING_CLUSTER is for tests.
    useExistingCluster: false,
    // Clients reach these servers over HTTP only, where CRD writes wait for the schema compiler:
    // answer before it has loaded.
    crdValidation: 'background',
  };
}

/** Starts the embedded API server for a CLI command, with the kubeconfig path resolved from the working directory. */
export function startCommandTestEnv(opts: TestEnvServerOptions): Promise<TestEnv> {
  return startTestEnv(serverOptions(opts));
}

/** Body of `operator-ts testenv`: runs the embedded API server in the foreground until `signal` aborts. */
export async function runTestEnvCommand(opts: TestEnvCommandOptions): Promise<void> {
  if (opts.signal.aborted) return;
  // The server alone: testenv never builds a client-node KubeConfig, so it does not load client-node.
  const env = await startTestServer(serverOptions(opts));
  try {
    opts.print(`operator-ts test API server listening on ${env.url}`);
    if (opts.simulateWorkloads) opts.print('simulating workload controllers: Deployments, ReplicaSets, StatefulSets and DaemonSets report ready replicas, Jobs complete');
    opts.print(`kubeconfig written to ${env.kubeconfigPath}`);
    opts.print(`export KUBECONFIG=${env.kubeconfigPath}`);
    opts.print('Press Ctrl+C to stop.');
    await new Promise<void>((done) => {
      if (opts.signal.aborted) done();
      else opts.signal.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    await env.stop();
    opts.print('test API server stopped');
  }
}
