/**
 * `npm run dev`: runs the operator with no cluster. Starts the embedded Kubernetes API server of
 * operator-ts/testing, installs the CRDs of config/crd/bases, applies every sample in config/samples,
 * then runs the built manager (dist/main.js) against it. Arguments after `--` go to the manager:
 *   npm run dev -- --log-level=debug --leader-elect
 * kubectl works against the same server: the kubeconfig path is printed at start-up.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, PatchStrategy, loadAllYaml, type KubernetesObject } from '@kubernetes/client-node';
import { startTestEnv } from 'operator-ts/testing';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const crdDir = join(projectDir, 'config', 'crd', 'bases');
const samplesDir = join(projectDir, 'config', 'samples');
const managerEntry = join(projectDir, 'dist', 'main.js');

/** Every object of every YAML file in config/samples, except the kustomization itself. */
function readSamples(): KubernetesObject[] {
  if (!existsSync(samplesDir)) return [];
  return readdirSync(samplesDir)
    .filter((file) => /\.ya?ml$/.test(file) && !file.startsWith('kustomization.'))
    .sort()
    .flatMap((file) => (loadAllYaml(readFileSync(join(samplesDir, file), 'utf8')) as unknown[]).filter(isObject));
}

function isObject(doc: unknown): doc is KubernetesObject {
  return typeof doc === 'object' && doc !== null && 'kind' in doc;
}

async function main(): Promise<void> {
  const env = await startTestEnv({ crds: existsSync(crdDir) ? [crdDir] : [] });
  console.log(`dev: embedded API server on ${env.url}`);
  console.log(`dev: kubectl --kubeconfig ${env.kubeconfigPath} get all -A`);

  try {
    const api = KubernetesObjectApi.makeApiClient(env.kubeConfig);
    for (const sample of readSamples()) {
      // Server-side apply, like `kubectl apply`: samples of several versions of one kind may share a name.
      await api.patch(sample, undefined, undefined, 'operator-ts-dev', true, PatchStrategy.ServerSideApply);
      console.log(`dev: applied ${sample.kind} ${sample.metadata?.namespace ?? 'default'}/${sample.metadata?.name}`);
    }
  } catch (err) {
    await env.stop();
    throw err;
  }

  // The manager runs in its own process group, so a Ctrl-C reaches it once (forwarded below), not twice.
  const manager = spawn(process.execPath, [managerEntry, ...process.argv.slice(2)], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, KUBECONFIG: env.kubeconfigPath },
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (manager.exitCode === null) manager.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // If this process dies first, do not leave the manager running.
  process.on('exit', () => {
    if (manager.exitCode === null && manager.signalCode === null) manager.kill('SIGTERM');
  });

  const exitCode = await new Promise<number>((resolve) => {
    manager.on('error', (err) => {
      console.error(`dev: could not start the manager: ${err.message}`);
      resolve(1);
    });
    manager.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
  await env.stop();
  console.log(`dev: manager exited with code ${exitCode}; embedded API server stopped`);
  process.exitCode = exitCode;
}

main().catch((err: unknown) => {
  const hint = typeof err === 'object' && err !== null ? (err as { hint?: unknown }).hint : undefined;
  console.error(`dev: ${err instanceof Error ? err.message : String(err)}`);
  if (typeof hint === 'string') console.error(`hint: ${hint}`);
  process.exitCode = 1;
});
