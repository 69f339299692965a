import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkConfiguration, WebhookInstallError } from './options.js';

export type WebhookConfigurationKind = 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration';

export interface WebhookConfigurations {
  mutating: object[];
  validating: object[];
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const KINDS = new Set<string>(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

async function documentsOf(file: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new WebhookInstallError(`${file} is not valid YAML: ${doc.errors[0]!.message}`, { hint: 'Fix the file or leave it out of webhooks.paths.' });
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new WebhookInstallError(`${file} holds a document that is not an object`, { hint: 'Fix the file or leave it out of webhooks.paths.' });
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.items) && typeof record.kind === 'string' && record.kind.endsWith('List')) out.push(...(record.items as Array<Record<string, unknown>>));
    else out.push(record);
  }
  return out;
}

/**
 * Reads the webhook configurations of files and directories. A directory contributes the .yaml/.yml/.json files
 * directly inside it, skipping documents of other kinds (config/webhook also holds a Service and a
 * kustomization.yaml), as envtest does; a file named directly must hold only webhook configurations. A path that
 * yields none is an error: it is almost always the wrong path.
 */
export async function readWebhookConfigurations(paths: readonly string[]): Promise<WebhookConfigurations> {
  const out: WebhookConfigurations = { mutating: [], validating: [] };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw new WebhookInstallError(`webhooks.paths: ${path} does not exist`, { hint: 'Pass a YAML/JSON file or a directory of them, e.g. config/webhook (generate it with operator-ts generate manifests).', cause: err });
    }
    const isDirectory = info.isDirectory();
    const files = isDirectory ? (await readdir(path)).sort().filter((f) => EXTENSIONS.has(extname(f).toLowerCase())).map((f) => join(path, f)) : [path];
    let found = 0;
    for (const file of files) {
      if (isDirectory && !(await stat(file)).isFile()) continue;
      for (const doc of await documentsOf(file)) {
        const kind = String(doc.kind);
        if (!KINDS.has(kind)) {
          if (isDirectory) continue;
          throw new WebhookInstallError(`${file} holds a ${String(doc.apiVersion)} ${kind}, not a MutatingWebhookConfiguration or ValidatingWebhookConfiguration`, {
            hint: 'Name the file with the webhook configurations (e.g. config/webhook/manifests.yaml) or its directory, where other kinds are skipped.',
          });
        }
        checkConfiguration(doc, kind as WebhookConfigurationKind, file);
        (kind === 'MutatingWebhookConfiguration' ? out.mutating : out.validating).push(doc);
        found++;
      }
    }
    if (found === 0) {
      throw new WebhookInstallError(`webhooks.paths: ${path} holds no MutatingWebhookConfiguration or ValidatingWebhookConfiguration`, {
        hint: 'Point it at config/webhook (or its manifests.yaml) after operator-ts generate manifests, or leave it out.',
      });
    }
  }
  return out;
}

/** `https://<host>:<port>`, with an IPv6 host in brackets. */
export function serverOrigin(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Points every webhook of a configuration at the local server, as envtest does: `caBundle` becomes the test CA,
 * and `service: { path }` becomes `url: <origin><path>` (the Service's name, namespace and port do not matter
 * outside a cluster). A webhook that already has a url keeps it. Returns a copy.
 */
export function rewriteConfiguration(configuration: object, kind: WebhookConfigurationKind, origin: string, caBundle: string): object {
  const copy = structuredClone(configuration) as { metadata: { name: string }; webhooks?: unknown };
  const name = copy.metadata.name;
  if (copy.webhooks !== undefined && !Array.isArray(copy.webhooks)) {
    throw new WebhookInstallError(`${kind} ${name}: webhooks must be a list, got ${JSON.stringify(copy.webhooks)}`, { hint: 'Write webhooks as a YAML list of webhooks.' });
  }
  for (const [i, webhook] of ((copy.webhooks ?? []) as Array<Record<string, any>>).entries()) {
    const label = `${kind} ${name}, webhook ${typeof webhook?.name === 'string' ? JSON.stringify(webhook.name) : `#${i}`}`;
    const clientConfig = webhook?.clientConfig;
    if (clientConfig === null || typeof clientConfig !== 'object') {
      throw new WebhookInstallError(`${label} has no clientConfig`, { hint: 'Give it clientConfig: { service: { name, namespace, path } } as generate manifests writes, or clientConfig: { url }.' });
    }
    if (typeof clientConfig.url === 'string' && clientConfig.url !== '') {
      clientConfig.caBundle = caBundle;
      continue;
    }
    const path = clientConfig.service?.path;
    if (typeof path !== 'string' || path === '') {
      throw new WebhookInstallError(`${label} has neither clientConfig.service.path nor clientConfig.url, so there is nothing to point at the test's webhook server`, {
        hint: 'Set clientConfig.service.path to the path the webhook is served on (e.g. /mutate-cache-example-com-v1-memcached).',
      });
    }
    webhook.clientConfig = { url: `${origin}${path.startsWith('/') ? '' : '/'}${path}`, caBundle };
  }
  return copy;
}
