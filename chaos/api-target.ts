/**
 * The API server the replicas write to: the embedded one (started in this process) or an existing cluster named by
 * a kubeconfig; a fresh namespace for the run, and a kubeconfig per replica that points at that replica's proxy.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startTestEnv, type TestEnv } from '../src/testing/index.js';

export interface ApiTarget {
  /** 'embedded API server' or the existing cluster's server URL. */
  description: string;
  kubeConfig: KubeConfig;
  host: string;
  port: number;
  namespace: string;
  /** Writes a kubeconfig like the target's, whose server is 127.0.0.1:port (same scheme, TLS untouched). */
  writeProxiedKubeconfig(path: string, port: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startApiTarget(crdDir: string, kubeconfig: string | undefined): Promise<ApiTarget> {
  let env: TestEnv;
  if (kubeconfig === undefined) env = await startTestEnv({ crds: [crdDir] });
  else {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    try {
      env = await startTestEnv({ crds: [crdDir], useExistingCluster: true });
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  }
  const kc = env.kubeConfig;
  const server = new URL(kc.getCurrentCluster()!.server);
  const port = Number(server.port || (server.protocol === 'https:' ? 443 : 80));
  const namespace = `chaos-${randomBytes(3).toString('hex')}`;
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  return {
    description: kubeconfig === undefined ? 'embedded API server' : `existing cluster ${server.origin} (${kubeconfig})`,
    kubeConfig: kc,
    host: server.hostname,
    port,
    namespace,
    async writeProxiedKubeconfig(path, proxyPort) {
      const proxied = new KubeConfig();
      proxied.loadFromOptions({
        clusters: kc.clusters.map((c) => ({ ...c, server: `${server.protocol}//127.0.0.1:${proxyPort}` })),
        users: kc.users,
        contexts: kc.contexts.map((c) => ({ ...c, namespace })),
        currentContext: kc.currentContext,
      });
      await writeFile(path, proxied.exportConfig(), { mode: 0o600 });
    },
    async stop() {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
      await env.stop();
    },
  };
}

export const kubeconfigFor = (dir: string, replica: string) => join(dir, `kubeconfig-${replica}`);
