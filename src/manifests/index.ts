/**
 * Manifests from code: CRDs from the API types under src/api, the manager's ClusterRole from the
 * `rbac` arrays of the controllers under src/controllers, the webhook configurations from PROJECT and the
 * validators' operations exports under src/webhooks. See docs/manifests.md.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROLE_PATH } from '../project/layout.js';
import { loadApiSources } from './api-project.js';
import { GENERATED_BY_ANNOTATION, buildCrds, withConversion } from './crd.js';
import { assertCompiles } from './diagnostics.js';
import { checkProjectResources, readProjectResources } from './project-file.js';
import { clusterRole, mergeRules, readControllerRbac } from './rbac.js';
import { readRootTypes } from './root-types.js';
import { controllerFiles } from './scan.js';
import { SchemaConverter } from './type-schema.js';
import { writePlannedFiles, type PlannedFile } from './write-files.js';
import { readValidatingOperations } from './webhook-operations.js';
import { WEBHOOK_MANIFESTS_PATH, buildWebhookManifests } from './webhooks.js';
import { toYamlDocument } from './yaml-output.js';

export { ManifestError, type SourceLocation } from './errors.js';
export type { PlannedFile } from './write-files.js';
export type { JSONSchemaProps } from './schema.js';
export type { CustomResourceDefinition } from './crd.js';
export type { PolicyRule } from './rbac.js';

export { ROLE_PATH, WEBHOOK_MANIFESTS_PATH };

/**
 * Computes every manifest in memory: CRDs sorted by path (spec.conversion from PROJECT's conversion webhooks),
 * role.yaml, then config/webhook/manifests.yaml when PROJECT records webhooks. Throws ManifestError.
 */
export async function planManifests(opts: { projectDir: string }): Promise<PlannedFile[]> {
  const projectDir = resolve(opts.projectDir);
  const sources = loadApiSources(projectDir);
  assertCompiles(sources.project, sources.typeFiles, projectDir);
  const converter = new SchemaConverter(projectDir);
  const roots = readRootTypes(sources.typeFiles, converter, projectDir);
  const resources = readProjectResources(projectDir);
  checkProjectResources(resources, roots, projectDir);
  const webhooks = buildWebhookManifests(resources, { validatingOperations: readValidatingOperations(resources, projectDir) });
  const crds = buildCrds(roots).map(({ path, crd }) => ({
    path, contents: toYamlDocument(withConversion(crd, webhooks.conversions.get(crd.metadata.name))),
  }));
  const rules = mergeRules(readControllerRbac(controllerFiles(projectDir), projectDir));
  const role = { path: ROLE_PATH, contents: toYamlDocument(clusterRole(rules, GENERATED_BY_ANNOTATION)) };
  const admission = webhooks.admission === undefined ? [] : [{ path: WEBHOOK_MANIFESTS_PATH, contents: webhooks.admission }];
  return [...crds.sort((a, b) => (a.path < b.path ? -1 : 1)), role, ...admission];
}

/**
 * Plans, then writes only the files whose contents changed. Nothing is written when planning fails.
 * Like a CRD whose type is gone, a config/webhook/manifests.yaml that PROJECT no longer implies is not deleted
 * (config/webhook/kustomization.yaml still lists it); it is returned as `stale` for the caller to report.
 */
export async function generateManifests(opts: { projectDir: string }): Promise<{ written: string[]; unchanged: string[]; stale: string[] }> {
  const projectDir = resolve(opts.projectDir);
  const files = await planManifests(opts);
  const result = await writePlannedFiles(projectDir, files);
  const planned = new Set(files.map((f) => f.path));
  const stale = [WEBHOOK_MANIFESTS_PATH].filter((path) => !planned.has(path) && existsSync(join(projectDir, path)));
  return { ...result, stale };
}
