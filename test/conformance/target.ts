import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * Where the conformance suite runs: the embedded API server (default) or a real cluster when
 * `OPERATOR_TS_CONFORMANCE_REAL=1` and `KUBECONFIG` are set. Tests get the same handle either way and
 * must not care which it is, except for the few facts a real cluster cannot be made to show on demand
 * (see `historyWindow`).
 */
export interface ConformanceTarget {
  kubeConfig: KubeConfig;
  /** A kubeconfig file for kubectl. */
  kubeconfigPath: string;
  /** 'embedded' or 'real', for messages only. */
  name: 'embedded' | 'real';
  /**
   * Watch history size in events when the suite controls it (embedded), so a test can push a
   * resourceVersion out of the window and expect 410 Gone; undefined on a real cluster, where compaction
   * runs on its own schedule.
   */
  historyWindow?: number;
  stop(): Promise<void>;
}

/** Small on purpose: the 410 Gone test writes this many events to push an old resourceVersion out. */
const EMBEDDED_HISTORY_WINDOW = 200;

export function usingRealCluster(): boolean {
  return process.env.OPERATOR_TS_CONFORMANCE_REAL === '1';
}

export async function startTarget(): Promise<ConformanceTarget> {
  if (usingRealCluster()) {
    const kubeconfigEnv = process.env.KUBECONFIG;
    if (!kubeconfigEnv) {
      throw new Error('OPERATOR_TS_CONFORMANCE_REAL=1 needs KUBECONFIG to point at the cluster to test');
    }
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault(); // honours a KUBECONFIG list the way kubectl does
    const paths = kubeconfigEnv.split(delimiter).filter((p) => p !== '');
    if (paths.length === 1) return { kubeConfig, kubeconfigPath: paths[0]!, name: 'real', stop: async () => undefined };
    // kubectl's --kubeconfig takes one file: hand it the merged view.
    const dir = await mkdtemp(join(tmpdir(), 'operator-ts-conformance-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });
    return { kubeConfig, kubeconfigPath, name: 'real', stop: () => rm(dir, { recursive: true, force: true }) };
  }
  const { startTestEnv } = await import('../../src/testing/index.js');
  const env = await startTestEnv({ historyWindow: EMBEDDED_HISTORY_WINDOW });
  return {
    kubeConfig: env.kubeConfig,
    kubeconfigPath: env.kubeconfigPath,
    name: 'embedded',
    historyWindow: EMBEDDED_HISTORY_WINDOW,
    stop: () => env.stop(),
  };
}
