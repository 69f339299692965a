import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { BundleError } from './errors.js';

const execFileAsync = promisify(execFile);

/** A Kubernetes object as kustomize renders it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * `kubectl kustomize config/default`, parsed. With an image, a throwaway overlay in a temporary
 * directory patches the manager container's image, so nothing under config/ changes.
 */
export async function renderDefault(opts: { projectDir: string; image?: string | undefined; env?: NodeJS.ProcessEnv }): Promise<KubeObject[]> {
  const target = join(opts.projectDir, 'config', 'default');
  const overlay = opts.image === undefined ? undefined : await mkdtemp(join(tmpdir(), 'operator-ts-bundle-'));
  try {
    if (overlay !== undefined) await writeFile(join(overlay, 'kustomization.yaml'), imageOverlay(relative(overlay, target), opts.image!));
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync('kubectl', ['kustomize', overlay ?? target], { env: opts.env ?? process.env, maxBuffer: 256 * 1024 * 1024 }));
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') {
        throw new BundleError('could not run kubectl: it is not on PATH', { cause: error, hint: 'install kubectl (it includes kustomize) and run the command again' });
      }
      throw new BundleError(`kubectl kustomize config/default failed: ${(err.stderr ?? err.message).trim()}`, { cause: error, hint: 'fix config/ until `kubectl kustomize config/default` succeeds' });
    }
    return parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject).filter((o) => o && typeof o === 'object');
  } finally {
    if (overlay !== undefined) await rm(overlay, { recursive: true, force: true });
  }
}

/** A strategic-merge patch by container name; with a target, kustomize applies it to every match whatever its name. */
function imageOverlay(base: string, image: string): string {
  return [
    'resources:', `- ${base}`, 'patches:', '- target:', '    kind: Deployment', '    labelSelector: control-plane=controller-manager',
    '  patch: |-', '    apiVersion: apps/v1', '    kind: Deployment', '    metadata:', '      name: controller-manager',
    '    spec:', '      template:', '        spec:', '          containers:', '          - name: manager', `            image: ${image}`, '',
  ].join('\n');
}
