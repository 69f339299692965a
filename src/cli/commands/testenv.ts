import { Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io.js';

export function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`'${value}' is not a port number between 0 and 65535 (for example --port 6443).`);
  }
  return Number(value);
}

export function testenvCommand(io: CliIo): Command {
  return new Command('testenv')
    .description('run the embedded Kubernetes API server on 127.0.0.1 until interrupted (for kubectl and local runs)')
    .option('--port <port>', 'port to listen on (default: a free port)', parsePort)
    .option('--kubeconfig <file>', 'write the kubeconfig for the server to this file (default: a temp file)')
    .option('--crds <dir>', 'install the CRDs of this directory at start (e.g. config/crd/bases)')
    .option('--token <token>', 'require this bearer token from clients')
    .option('--simulate-workloads', 'write the status workload controllers would: Deployments/StatefulSets/ReplicaSets/DaemonSets ready, Jobs complete (no Pods run)')
    .addHelpText('after', `
Examples:
  $ operator-ts testenv
  $ operator-ts testenv --port 6443 --kubeconfig ./testenv.kubeconfig --crds config/crd/bases
  $ operator-ts testenv --simulate-workloads
  $ KUBECONFIG=./testenv.kubeconfig kubectl get namespaces`)
    .action(async (flags: { port?: number; kubeconfig?: string; crds?: string; token?: string; simulateWorkloads?: boolean }) => {
      // Loaded only when the command runs: the embedded server is not needed by other commands.
      const { runTestEnvCommand } = await import('../../testing/testenv-command.js');
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        await runTestEnvCommand({
          ...(flags.port === undefined ? {} : { port: flags.port }),
          ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
          ...(flags.crds === undefined ? {} : { crds: flags.crds }),
          ...(flags.token === undefined ? {} : { token: flags.token }),
          ...(flags.simulateWorkloads ? { simulateWorkloads: true } : {}),
          signal: controller.signal,
          print: (line) => io.out(line),
        });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
