import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { ApiServer } from '../server/api-server.js';
import type { Obj } from '../server/registry.js';
import { WebhookInstallError } from './options.js';
import type { PreparedWebhooks } from './prepare.js';

function describe(c: { kind: string; object: object }): string {
  return `${c.kind} ${(c.object as { metadata: { name: string } }).metadata.name}`;
}

/** Creates the configurations in the embedded server; they take effect at once (it reads them on every request). */
export function installIntoServer(server: ApiServer, prepared: PreparedWebhooks): void {
  for (const c of prepared.configurations) {
    try {
      server.createObject(c.object as Obj);
    } catch (err) {
      throw new WebhookInstallError(`${describe(c)} could not be installed: ${err instanceof Error ? err.message : String(err)}`, {
        hint: 'Fix the configuration (the message names the field).', cause: err,
      });
    }
  }
}

function statusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function apiMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const message = (JSON.parse(body) as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    } catch {
      // not a Status body
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Creates the configurations on an existing cluster (replacing one of the same name, as envtest does) and returns
 * the function that deletes them again: left behind, a failurePolicy Fail webhook pointing at a test server that
 * is gone would refuse every matching request on that cluster.
 */
export async function installIntoCluster(kubeConfig: KubeConfig, prepared: PreparedWebhooks): Promise<() => Promise<void>> {
  const { KubernetesObjectApi } = await import('@kubernetes/client-node');
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const installed: KubernetesObject[] = [];
  const remove = async () => {
    const failures: string[] = [];
    for (const object of installed.reverse()) {
      try {
        await api.delete({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata!.name } });
      } catch (err) {
        if (statusCode(err) !== 404) failures.push(`${object.kind} ${object.metadata!.name}: ${apiMessage(err)}`);
      }
    }
    if (failures.length > 0) {
      throw new WebhookInstallError(`webhook configurations could not be deleted from the existing cluster: ${failures.join('; ')}`, {
        hint: 'Delete them with kubectl delete mutatingwebhookconfiguration/validatingwebhookconfiguration NAME: they point at a server that is gone.',
      });
    }
  };
  try {
    for (const c of prepared.configurations) {
      const object = c.object as KubernetesObject;
      try {
        await api.create(object);
      } catch (err) {
        if (statusCode(err) !== 409) throw new WebhookInstallError(`${describe(c)} could not be installed on the existing cluster: ${apiMessage(err)}`, { hint: 'Fix the configuration (the message names the field).', cause: err });
        const existing = await api.read({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata!.name! } });
        await api.replace({ ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata?.resourceVersion } });
      }
      installed.push(object);
    }
  } catch (err) {
    await remove().catch(() => undefined);
    throw err;
  }
  return remove;
}
