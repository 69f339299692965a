/**
 * Manifests from code: CRDs from the API types under src/api, the manager's ClusterRole from the
 * `rbac` arrays of the controllers under src/controllers. See docs/manifests.md.
 */
import { resolve } from 'node:path';
import { ROLE_PATH } from '../project/layout.js';
import { loadApiSources } from './api-project.js';
import { GENERATED_BY_ANNOTATION, buildCrds } from './crd.js';
import { assertCompiles } from './diagnostics.js';
import { checkProjectResources, readProjectResources } from './project-file.js';
import { clusterRole, mergeRules, readControllerRbac } from './rbac.js';
import { readRootTypes } from './root-types.js';
import { controllerFiles } from './scan.js';
import { SchemaConverter } from './type-schema.js';
import { writePlannedFiles, type PlannedFile } from './write-files.js';
import { toYamlDocument } from './yaml-output.js';

export { ManifestError, type SourceLocation } from './errors.js';
export type { PlannedFile } from './write-files.js';
export type { JSONSchemaProps } from './schema.js';
export type { CustomResourceDefinition } from './crd.js';
export type { PolicyRule } from './rbac.js';

export { ROLE_PATH };

/** Computes every manifest in memory (CRDs sorted by path, then role.yaml). Throws ManifestError. */
export async function planManifests(opts: { projectDir: string }): Promise<PlannedFile[]> {
  const projectDir = resolve(opts.projectDir);
  const sources = loadApiSources(projectDir);
  assertCompiles(sources.project, sources.typeFiles, projectDir);
  const converter = new SchemaConverter(projectDir);
  const roots = readRootTypes(sources.typeFiles, converter, projectDir);
  checkProjectResources(readProjectResources(projectDir), roots, projectDir);
  const crds = buildCrds(roots).map(({ path, crd }) => ({ path, contents: toYamlDocument(crd) }));
  const rules = mergeRules(readControllerRbac(controllerFiles(projectDir), projectDir));
  const role = { path: ROLE_PATH, contents: toYamlDocument(clusterRole(rules, GENERATED_BY_ANNOTATION)) };
  return [...crds.sort((a, b) => (a.path < b.path ? -1 : 1)), role];
}

/** Plans, then writes only the files whose contents changed. Nothing is written when planning fails. */
export async function generateManifests(opts: { projectDir: string }): Promise<{ written: string[]; unchanged: string[] }> {
  const files = await planManifests(opts);
  return writePlannedFiles(resolve(opts.projectDir), files);
}
