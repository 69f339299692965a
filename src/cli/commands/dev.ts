import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { TestEnvWebhookOptions, WebhookInstallOptions } from '../../testing/webhook/options.js';
import type { CliIo } from '../io.js';
import { CRD_BASES_DIR } from '../../project/layout.js';
import { parsePort } from './testenv.js';

interface DevFlags {
  projectDir?: string;
  port?: number;
  kubeconfig?: string;
  entry: string;
  simulateWorkloads?: boolean;
}

/** Everything `dev` needs, resolved and checked before anything starts. */
interface DevOptions {
  projectDir: string;
  crdDir: string;
  samplesDir: string;
  entry: string;
  operatorArgs: string[];
  port?: number;
  kubeconfig?: string;
  simulateWorkloads: boolean;
  /** Set when the project has webhooks (config/webhook/manifests.yaml, or a CRD converted by a webhook). */
  webhooks?: TestEnvWebhookOptions;
}

const DEFAULT_ENTRY = 'dist/main.js';
/** Field manager of the samples' server-side apply; `kubectl get -o yaml --show-managed-fields` shows it. */
const FIELD_MANAGER = 'operator-ts-dev';

export function devCommand(io: CliIo): Command {
  return new Command('dev')
    .description('run the project\'s operator against the embedded API server, with its CRDs installed and samples applied')
    .argument('[operator-args...]', 'arguments for the operator, after -- (e.g. -- --leader-elect)')
    .option('--project-dir <dir>', 'project root (default: the current directory)')
    .option('--port <port>', 'port of the embedded API server (default: a free port)', parsePort)
    .option('--kubeconfig <file>', 'write the kubeconfig for the server to this file (default: a temp file)')
    .option('--entry <file>', 'the built operator, relative to the project', DEFAULT_ENTRY)
    .option('--simulate-workloads', 'the embedded server writes the status workload controllers would: Deployments/StatefulSets/ReplicaSets/DaemonSets ready, Jobs complete (no Pods run)')
    // `npm run dev -- --log-level=debug` appends the operator's flags after ours, without a `--`.
    .allowUnknownOption()
    .addHelpText('after', `
Starts the embedded Kubernetes API server, installs config/crd/bases, applies every object in config/samples
(server-side apply), then runs \`node <entry> <operator-args>\` with KUBECONFIG pointing at the server.
Ctrl-C stops the operator, then the server; the command exits with the operator's exit code.
The project's \`npm run dev\` builds it and runs this command.

With webhooks (config/webhook/manifests.yaml, or a CRD with spec.conversion.strategy Webhook), dev makes a CA and a
serving certificate, installs the configurations and CRDs pointed at https://127.0.0.1:<free port>, runs the
operator first with --webhook-port <port> --webhook-cert-dir <temp dir> (it refuses those flags from you), waits
until its webhook server answers, then applies the samples, so they are defaulted, validated and converted.

Examples:
  $ operator-ts dev
  $ operator-ts dev --port 6443 --kubeconfig ./dev.kubeconfig -- --log-level=debug --leader-elect
  $ KUBECONFIG=./dev.kubeconfig kubectl get memcacheds -A`)
    .action(async (operatorArgs: string[], flags: DevFlags) => runDev(await resolveDevOptions(flags, operatorArgs, io), io));
}

async function resolveDevOptions(flags: DevFlags, operatorArgs: string[], io: CliIo): Promise<DevOptions> {
  const projectDir = resolve(io.cwd, flags.projectDir ?? '.');
  const { assertProjectDir } = await import('../../project/project-dir.js');
  const { DevCommandError } = await import('../../errors.js');
  assertProjectDir(projectDir);
  const entry = resolve(projectDir, flags.entry);
  if (!existsSync(entry)) {
    throw new DevCommandError(`the operator entry ${flags.entry} does not exist in ${projectDir}.`, {
      hint: flags.entry === DEFAULT_ENTRY
        ? 'build the project first with npm run build (npm run dev builds and then runs operator-ts dev)'
        : `pass the built entry of the operator, e.g. --entry ${DEFAULT_ENTRY}`,
    });
  }
  const crdDir = join(projectDir, CRD_BASES_DIR);
  const { devWebhookOptions, checkOperatorArgs } = await import('../dev-webhooks.js');
  const webhooks = await devWebhookOptions(projectDir, crdDir);
  if (webhooks) checkOperatorArgs(operatorArgs);
  return {
    projectDir,
    crdDir,
    samplesDir: join(projectDir, 'config', 'samples'),
    entry,
    operatorArgs,
    simulateWorkloads: flags.simulateWorkloads === true,
    ...(webhooks ? { webhooks } : {}),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: resolve(io.cwd, flags.kubeconfig) }),
  };
}

async function runDev(opts: DevOptions, io: CliIo): Promise<void> {
  const { ChildProcessExitError } = await import('../../errors.js');

  // Installed before the server starts, so a Ctrl-C during start-up still stops it and removes its kubeconfig.
  const signals = new SignalRelay();
  // Stays undefined when a signal arrives before the operator starts.
  let exitCode: number | undefined;
  try {
    const env = await startEnv(opts);
    try {
      io.out(`dev: embedded API server on ${env.url}`);
      io.out(`dev: kubectl --kubeconfig ${env.kubeconfigPath} get all -A`);
      const webhooks = env.webhookInstallOptions;
      if (webhooks) {
        exitCode = await runWithWebhooks(opts, env.kubeConfig, env.kubeconfigPath, webhooks, io, signals);
      } else {
        await applySamples(opts, env.kubeConfig, io, () => signals.received !== undefined);
        if (signals.received === undefined) exitCode = await startOperator(opts, opts.operatorArgs, env.kubeconfigPath, io, signals).exited;
      }
    } finally {
      await env.stop();
    }
  } finally {
    signals.dispose();
  }
  if (exitCode === undefined) {
    throw new ChildProcessExitError(`interrupted by ${signals.received ?? 'a signal'} before the operator started; the embedded API server is stopped.`, 130);
  }
  io.out(`dev: operator exited with code ${exitCode}; embedded API server stopped`);
  if (exitCode !== 0) {
    throw new ChildProcessExitError(`the operator (${relative(opts.projectDir, opts.entry)}) exited with code ${exitCode}.`, exitCode, {
      hint: 'its log above says why',
    });
  }
}

/** The embedded server with the project's CRDs, and its webhooks when it has some; their errors name the files. */
async function startEnv(opts: DevOptions) {
  const { startCommandTestEnv } = await import('../../testing/testenv-command.js');
  const { DevCommandError } = await import('../../errors.js');
  const { WebhookInstallError } = await import('../../testing/webhook/options.js');
  try {
    return await startCommandTestEnv({
      port: opts.port, kubeconfig: opts.kubeconfig, crds: existsSync(opts.crdDir) ? opts.crdDir : undefined, simulateWorkloads: opts.simulateWorkloads,
      ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    });
  } catch (err) {
    if (!(err instanceof WebhookInstallError)) throw err;
    throw new DevCommandError(`the project's webhooks cannot be run: ${err.message.replaceAll(`${opts.projectDir}/`, '')}`, {
      hint: 'fix the file, or regenerate config/webhook/manifests.yaml and config/crd/bases with npm run manifests',
      cause: err,
    });
  }
}

/**
 * Runs the operator first, serving its webhooks where the installed configurations point, and applies the samples
 * once its webhook server answers (so they are defaulted and validated); a refused sample stops the operator.
 */
async function runWithWebhooks(opts: DevOptions, kubeConfig: KubeConfig, kubeconfigPath: string, webhooks: WebhookInstallOptions, io: CliIo, signals: SignalRelay): Promise<number> {
  const { waitForWebhookServer, withWebhookArgs, WEBHOOK_WAIT_MS } = await import('../dev-webhooks.js');
  const origin = `https://${webhooks.host}:${webhooks.port}`;
  const served = [
    ...webhooks.mutatingWebhookConfigurations.map((n) => `MutatingWebhookConfiguration ${n}`),
    ...webhooks.validatingWebhookConfigurations.map((n) => `ValidatingWebhookConfiguration ${n}`),
    ...webhooks.conversionWebhookCrds.map((n) => `conversion of CRD ${n}`),
  ];
  io.out(`dev: webhooks served by the operator on ${origin} (--webhook-port ${webhooks.port} --webhook-cert-dir ${webhooks.certDir}): ${served.join(', ')}`);
  const operator = startOperator(opts, withWebhookArgs(opts.operatorArgs, webhooks), kubeconfigPath, io, signals);
  let exited = false;
  void operator.exited.then(() => (exited = true));
  const ready = await waitForWebhookServer(webhooks, { stopped: () => exited || signals.received !== undefined });
  if (!exited && signals.received === undefined) {
    if (!ready) io.err(`dev: the operator's webhook server did not answer on ${origin} within ${WEBHOOK_WAIT_MS / 1000}s (does src/main.ts register the webhooks?); applying the samples anyway`);
    try {
      await applySamples(opts, kubeConfig, io, () => exited || signals.received !== undefined);
    } catch (err) {
      operator.stop();
      await operator.exited;
      throw err;
    }
  }
  return operator.exited;
}

/**
 * SIGINT/SIGTERM handling for the command's lifetime: remembers the first signal and forwards each one to the
 * operator once it runs. The operator runs in its own process group, so a terminal's Ctrl-C reaches it once,
 * through here; a second Ctrl-C makes the operator skip its graceful shutdown, as it does when run directly.
 */
class SignalRelay {
  received: NodeJS.Signals | undefined;
  private target: ((signal: NodeJS.Signals) => void) | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.received ??= signal;
    this.target?.(signal);
  };

  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  forwardTo(target: ((signal: NodeJS.Signals) => void) | undefined): void {
    this.target = target;
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** Every object of every YAML file in config/samples except the kustomization, with the file it came from. */
async function readSamples(samplesDir: string): Promise<Array<{ file: string; object: KubernetesObject }>> {
  if (!existsSync(samplesDir)) return [];
  const { loadAllYaml } = await import('@kubernetes/client-node');
  const { DevCommandError } = await import('../../errors.js');
  return readdirSync(samplesDir)
    .filter((file) => /\.ya?ml$/.test(file) && !file.startsWith('kustomization.'))
    .sort()
    .flatMap((file) => {
      let docs: unknown[];
      try {
        docs = loadAllYaml(readFileSync(join(samplesDir, file), 'utf8')) as unknown[];
      } catch (cause) {
        throw new DevCommandError(`config/samples/${file} is not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`, {
          hint: 'fix the file, or move it out of config/samples',
          cause,
        });
      }
      return docs.filter(isObject).map((object) => ({ file, object }));
    });
}

function isObject(doc: unknown): doc is KubernetesObject {
  return typeof doc === 'object' && doc !== null && 'kind' in doc;
}

async function applySamples(opts: DevOptions, kubeConfig: KubeConfig, io: CliIo, interrupted: () => boolean): Promise<void> {
  const { KubernetesObjectApi, PatchStrategy } = await import('@kubernetes/client-node');
  const { DevCommandError } = await import('../../errors.js');
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const { file, object } of await readSamples(opts.samplesDir)) {
    if (interrupted()) return;
    const what = `${object.kind} ${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? '<no name>'}`;
    try {
      // Server-side apply, like `kubectl apply --server-side`: samples of several versions of one kind may share a name.
      await api.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    } catch (cause) {
      throw new DevCommandError(`config/samples/${file}: the API server refused ${what}: ${describeApiError(cause)}`, {
        hint: 'fix the sample; if it matches the API types, run npm run manifests so the CRD in config/crd/bases matches them too',
        cause,
      });
    }
    io.out(`dev: applied ${what}`);
  }
}

/** The Status message of a client-node ApiException, else the error's message. */
function describeApiError(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: unknown };
      if (typeof status.message === 'string') return status.message;
    } catch {
      // not a Status: fall through
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** Starts the operator with KUBECONFIG pointing at the server; `exited` resolves with its exit code. */
function startOperator(opts: DevOptions, args: readonly string[], kubeconfigPath: string, io: CliIo, signals: SignalRelay): { exited: Promise<number>; stop(): void } {
  const operator = spawn(process.execPath, [opts.entry, ...args], {
    cwd: opts.projectDir,
    stdio: 'inherit',
    detached: true,
    env: { ...io.env, KUBECONFIG: kubeconfigPath },
  });
  const running = () => operator.exitCode === null && operator.signalCode === null;
  signals.forwardTo((signal) => {
    if (running()) operator.kill(signal);
  });
  // If this process dies first, do not leave the operator running.
  const killOnExit = (): void => {
    if (running()) operator.kill('SIGTERM');
  };
  process.on('exit', killOnExit);
  const exited = new Promise<number>((resolveCode) => {
    operator.on('error', (err) => {
      io.err(`dev: could not start the operator: ${err.message}`);
      resolveCode(1);
    });
    operator.on('exit', (code, signal) => resolveCode(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  }).finally(() => {
    signals.forwardTo(undefined);
    process.off('exit', killOnExit);
  });
  return { exited, stop: killOnExit };
}
