import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig, KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { OperatorTsError, ValidationError } from '../errors.js';
import { realClock, type Clock } from '../runtime/clock.js';
import { CrdInstallError, type TestEnv } from './test-env.js';

/** How startTestEnv works against an existing cluster: bounds of the waits for CRDs to appear and go. */
export interface ExistingClusterOptions {
  /** How long each installed CRD may take to become Established. */
  establishTimeoutMs?: number;
  /** How long stop() waits for the CRDs it installed to be gone. */
  removeTimeoutMs?: number;
  /** Pause between two reads of a CRD while waiting. */
  pollIntervalMs?: number;
  /** Time source of the waits; tests pass a FakeClock. */
  clock?: Clock;
}

export type ResolvedExistingClusterOptions = Required<ExistingClusterOptions>;

export const EXISTING_CLUSTER_DEFAULTS = { establishTimeoutMs: 30_000, removeTimeoutMs: 30_000, pollIntervalMs: 100 } as const;

/** The cluster of the current kubeconfig cannot be used, or did not do what was asked in time. */
export class ExistingClusterError extends OperatorTsError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('EEXISTINGCLUSTER', message, options);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(`existingCluster.${name} must be a positive integer of milliseconds, got ${String(value)}`, { hint: `Pass a value such as ${name}: 30000.` });
  }
  return value;
}

export function resolveExistingClusterOptions(options: ExistingClusterOptions = {}): ResolvedExistingClusterOptions {
  const merged = { ...EXISTING_CLUSTER_DEFAULTS, clock: realClock, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ResolvedExistingClusterOptions;
  positiveInteger('establishTimeoutMs', merged.establishTimeoutMs);
  positiveInteger('removeTimeoutMs', merged.removeTimeoutMs);
  positiveInteger('pollIntervalMs', merged.pollIntervalMs);
  return merged;
}

/** The kubeconfig files kubectl would read: the KUBECONFIG list, else ~/.kube/config. Each must exist. */
function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  const files = listed.length > 0 ? listed : [join(homedir(), '.kube', 'config')];
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new ExistingClusterError(`useExistingCluster needs a kubeconfig, but ${missing.join(', ')} does not exist`, {
      hint: 'Point KUBECONFIG at the cluster\'s kubeconfig (e.g. the file kind or k3d wrote), or unset USE_EXISTING_CLUSTER to use the embedded API server.',
    });
  }
  return files;
}

type CrdObject = KubernetesObject & { status?: { conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }> } };

function crdName(crd: object): string {
  return (crd as KubernetesObject).metadata?.name ?? '<unnamed>';
}

/** Whether a CRD read from the server has condition Established=True. */
export function isEstablished(crd: CrdObject): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/** A CRD's conditions in one line, for error messages: `NamesAccepted=False (ListKindConflict: ...)`. */
export function describeConditions(crd: CrdObject | undefined): string {
  const conditions = crd?.status?.conditions ?? [];
  if (conditions.length === 0) return 'no conditions yet';
  return conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`).join(', ');
}

/** Reads a CRD by name; undefined when it does not exist. */
export type CrdReader = (name: string) => Promise<CrdObject | undefined>;

/**
 * Polls until every named CRD satisfies `done`, or throws once `timeoutMs` has passed, naming the CRDs
 * that are not there yet and what `describe` says about each.
 */
export async function waitForCrds(
  names: readonly string[],
  read: CrdReader,
  done: (crd: CrdObject | undefined) => boolean,
  options: { timeoutMs: number; pollIntervalMs: number; clock: Clock; failure: (pending: Array<{ name: string; crd: CrdObject | undefined }>) => Error },
): Promise<void> {
  const deadline = options.clock.now() + options.timeoutMs;
  let pending = [...names];
  for (;;) {
    const states = await Promise.all(pending.map(async (name) => ({ name, crd: await read(name) })));
    const waiting = states.filter((s) => !done(s.crd));
    if (waiting.length === 0) return;
    pending = waiting.map((s) => s.name);
    if (options.clock.now() >= deadline) throw options.failure(waiting);
    await options.clock.sleep(Math.min(options.pollIntervalMs, Math.max(0, deadline - options.clock.now())));
  }
}

function apiStatusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function apiMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  const text = typeof body === 'string' ? body : undefined;
  if (text) {
    try {
      const status = JSON.parse(text) as { message?: unknown };
      if (typeof status.message === 'string') return status.message;
    } catch {
      // not a Status body
    }
  }
  return err instanceof Error ? err.message : String(err);
}

const CRD_TYPE = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' } as const;

function crdReader(api: KubernetesObjectApi): CrdReader {
  return async (name) => {
    try {
      return (await api.read({ ...CRD_TYPE, metadata: { name } })) as CrdObject;
    } catch (err) {
      if (apiStatusCode(err) === 404) return undefined;
      throw err;
    }
  };
}

/** Creates a CRD, or replaces the spec of one that already exists; returns the one it replaced, if any. */
async function installCrd(api: KubernetesObjectApi, crd: object): Promise<{ previous?: KubernetesObject }> {
  const name = crdName(crd);
  try {
    await api.create(crd as KubernetesObject);
    return {};
  } catch (err) {
    if (apiStatusCode(err) !== 409) throw new CrdInstallError(`CRD ${name} could not be installed on the existing cluster: ${apiMessage(err)}`, err);
  }
  try {
    const existing = await api.read({ ...CRD_TYPE, metadata: { name } });
    const body = { ...(crd as KubernetesObject), metadata: { ...(crd as KubernetesObject).metadata, resourceVersion: existing.metadata?.resourceVersion } };
    await api.replace(body);
    return { previous: existing };
  } catch (err) {
    throw new CrdInstallError(`CRD ${name} already exists on the existing cluster and could not be updated: ${apiMessage(err)}`, err);
  }
}

/**
 * Gives CRDs that existed before the test their own `spec.conversion` back: the one installed pointed their
 * conversion webhook at the test's webhook server, and left so, every read of another version would fail once
 * that server is gone.
 */
async function restoreConversions(api: KubernetesObjectApi, previous: readonly KubernetesObject[]): Promise<void> {
  const failures: string[] = [];
  for (const old of previous) {
    const name = old.metadata!.name!;
    try {
      const current = await api.read({ ...CRD_TYPE, metadata: { name } }) as KubernetesObject & { spec: { conversion?: unknown } };
      const conversion = (old as { spec?: { conversion?: unknown } }).spec?.conversion;
      const spec = { ...current.spec };
      if (conversion === undefined) delete spec.conversion;
      else spec.conversion = conversion;
      await api.replace({ ...current, spec } as KubernetesObject);
    } catch (err) {
      if (apiStatusCode(err) !== 404) failures.push(`${name}: ${apiMessage(err)}`);
    }
  }
  if (failures.length > 0) {
    throw new ExistingClusterError(`the conversion of CRDs that existed before the test could not be restored: ${failures.join('; ')}`, {
      hint: 'Reapply those CRDs (kubectl apply -f config/crd/bases): their conversion webhook points at a test server that is gone.',
    });
  }
}

/** Deletes the named CRDs (already gone is fine) and waits, bounded, until the server no longer has them. */
async function removeCrds(api: KubernetesObjectApi, names: readonly string[], options: ResolvedExistingClusterOptions): Promise<void> {
  for (const name of names) {
    try {
      await api.delete({ ...CRD_TYPE, metadata: { name } });
    } catch (err) {
      if (apiStatusCode(err) !== 404) throw new ExistingClusterError(`CRD ${name} could not be deleted from the existing cluster: ${apiMessage(err)}`, { cause: err });
    }
  }
  await waitForCrds(names, crdReader(api), (crd) => crd === undefined, {
    timeoutMs: options.removeTimeoutMs, pollIntervalMs: options.pollIntervalMs, clock: options.clock,
    failure: (pending) => new ExistingClusterError(
      `CRDs still present ${options.removeTimeoutMs} ms after their deletion: ${pending.map((p) => `${p.name} (finalizers: ${(p.crd?.metadata?.finalizers ?? []).join(', ') || 'none'}; ${describeConditions(p.crd)})`).join('; ')}`,
      { hint: 'Custom resources of these CRDs are probably held by finalizers; delete them (kubectl get <plural> -A) or raise existingCluster.removeTimeoutMs.' },
    ),
  });
}

/**
 * startTestEnv on the cluster of the current kubeconfig: installs the CRDs, waits until each is
 * Established, and on stop() deletes the CRDs it created and waits until they are gone. CRDs that existed
 * already are updated in place and left on the cluster (those in restoreConversionOf with their own
 * spec.conversion back).
 */
export async function startOnExistingCluster(
  crds: readonly object[],
  options: {
    kubeconfigPath?: string;
    existingCluster?: ExistingClusterOptions;
    /** CRDs whose conversion webhook was pointed at the test: if they existed already, stop() restores their spec.conversion. */
    restoreConversionOf?: readonly string[];
  },
): Promise<TestEnv> {
  const settings = resolveExistingClusterOptions(options.existingCluster);
  const files = kubeconfigFiles(process.env);
  const { KubeConfig, KubernetesObjectApi } = await import('@kubernetes/client-node');
  const kubeConfig: KubeConfig = new KubeConfig();
  try {
    for (const file of files.length === 1 ? files : []) kubeConfig.loadFromFile(file);
    if (files.length > 1) kubeConfig.loadFromDefault();
  } catch (err) {
    throw new ExistingClusterError(`the kubeconfig ${files.join(delimiter)} could not be read: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'Check the file with kubectl config view.', cause: err,
    });
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new ExistingClusterError(`the kubeconfig ${files.join(delimiter)} has no current context with a cluster (current-context: ${JSON.stringify(kubeConfig.getCurrentContext())})`, {
      hint: 'Select one with kubectl config use-context NAME.',
    });
  }

  let tempDir: string | undefined;
  let kubeconfigPath = files[0]!;
  if (options.kubeconfigPath !== undefined) {
    kubeconfigPath = options.kubeconfigPath;
    await writeFile(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });
  } else if (files.length > 1) {
    // kubectl's --kubeconfig takes one file: hand it the merged view.
    tempDir = await mkdtemp(join(tmpdir(), 'operator-ts-testenv-'));
    kubeconfigPath = join(tempDir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });
  }

  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const created: string[] = [];
  const rewritten: KubernetesObject[] = [];
  const cleanUp = async (): Promise<void> => {
    try {
      try {
        if (rewritten.length > 0) await restoreConversions(api, rewritten);
      } finally {
        if (created.length > 0) await removeCrds(api, created, settings);
      }
    } finally {
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    }
  };
  try {
    for (const crd of crds) {
      const { previous } = await installCrd(api, crd);
      if (previous === undefined) created.push(crdName(crd));
      else if (options.restoreConversionOf?.includes(crdName(crd))) rewritten.push(previous);
    }
    await waitForCrds(crds.map(crdName), crdReader(api), (crd) => crd !== undefined && isEstablished(crd), {
      timeoutMs: settings.establishTimeoutMs, pollIntervalMs: settings.pollIntervalMs, clock: settings.clock,
      failure: (pending) => new ExistingClusterError(
        `CRDs not Established within ${settings.establishTimeoutMs} ms: ${pending.map((p) => `${p.name} (${p.crd ? describeConditions(p.crd) : 'not found'})`).join('; ')}`,
        { hint: 'The conditions name the problem (e.g. NamesAccepted=False: a kind or plural another CRD uses); fix the CRD or raise existingCluster.establishTimeoutMs.' },
      ),
    });
  } catch (err) {
    await cleanUp().catch(() => undefined);
    throw err;
  }

  let stopped: Promise<void> | undefined;
  const testEnv = {
    kubeconfigPath,
    url: cluster.server,
    kubeConfig,
    stop: () => (stopped ??= cleanUp()),
  } as Omit<TestEnv, 'server'>;
  // No embedded server runs: reading `server` says so instead of returning something that is not there.
  Object.defineProperty(testEnv, 'server', {
    enumerable: false,
    get() {
      throw new ExistingClusterError('startTestEnv ran against an existing cluster, so there is no embedded server to reach through env.server', {
        hint: 'Use env.kubeConfig or env.kubeconfigPath, or unset USE_EXISTING_CLUSTER / useExistingCluster for tests that need the embedded server.',
      });
    },
  });
  return testEnv as TestEnv;
}
