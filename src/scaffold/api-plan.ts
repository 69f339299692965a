import { OperatorTsError } from '../errors.js';
import { validateCrdName } from '../project/derived-names.js';
import { apiTypesPath, crdFileName, crdFilePath, defaultPlural, perKindRoleFiles } from '../project/layout.js';
import { fullGroupName, validateGroup, validateKind, validatePlural, validateVersion } from '../project/names.js';
import {
  PROJECT_FILE, readProject, renderProjectFile, sameGvk, type ProjectResource,
} from '../project/project-file.js';
import { checkApiFitsProject } from './api-rules.js';
import { buildApiContext, type ApiContext, type ApiContextInput } from './context.js';
import { UsageError } from './errors.js';
import { applyApiInsertions, crdKustomizationLine, removeLines } from './insertions.js';
import { MARKERS } from './markers.js';
import { PlanBuilder, type FileSystemView, type Plan } from './plan.js';
import { renderTemplates } from './template-registry.js';
import type { PackageInfo } from './package-info.js';

/** A file of the planned tree, as the manifests generator sees it. */
export interface TreeFile {
  path: string;
  contents: Buffer;
}

/**
 * Computes CRD and RBAC manifests for the project as it will be after the plan: receives every file
 * the plan adds or changes and returns generated files (project-relative paths) to add to the plan.
 */
export type ManifestPlanner = (planned: TreeFile[]) => Promise<Array<{ path: string; contents: string }>>;

export interface ApiPlanInput
  extends Pick<ApiContextInput, 'group' | 'version' | 'kind' | 'namespaced' | 'resource' | 'controller' | 'year' | 'info'> {
  /** Default: the English plural of the lowercased kind. */
  plural?: string;
  view: FileSystemView;
  force: boolean;
  manifests: ManifestPlanner;
  templatesDir?: string;
}

export class ApiExistsError extends OperatorTsError {
  constructor(r: Pick<ProjectResource, 'group' | 'version' | 'kind'>, domain: string) {
    super('EAPIEXISTS', `API resource already exists: ${r.kind} in ${r.group}.${domain}/${r.version} is recorded in PROJECT.`, {
      hint: 'pass --force to scaffold it again (files are overwritten), or choose another kind or version',
    });
  }
}

/** Reads the operator-ts dependency spec of the project's package.json (for api templates). */
function projectDependency(view: FileSystemView, info: PackageInfo): { spec: string; vendored: boolean } {
  const raw = view.read('package.json');
  let spec = `^${info.version}`;
  if (raw) {
    try {
      const pkg = JSON.parse(raw.toString('utf8')) as { dependencies?: Record<string, string> };
      spec = pkg.dependencies?.[info.name] ?? spec;
    } catch {
      // A broken package.json is the user's to fix; templates only use this value in comments.
    }
  }
  return { spec, vendored: spec.startsWith('file:') };
}

export async function planCreateApi(input: ApiPlanInput, dirForMessages: string): Promise<{ plan: Plan; context: ApiContext }> {
  const project = readProject((path) => input.view.read(path), dirForMessages);
  const group = validateGroup(input.group, project.domain);
  const version = validateVersion(input.version);
  const kind = validateKind(input.kind);
  const plural = validatePlural(input.plural ?? defaultPlural(kind));
  validateCrdName(plural, fullGroupName(group, project.domain));
  if (!input.resource && !input.controller) {
    throw new UsageError('nothing to scaffold: both --no-resource and --no-controller were given.', {
      hint: 'drop one of them (for example keep --resource to get the API types and CRD)',
    });
  }
  const existing = project.resources.find((r) => sameGvk(r, { group, version, kind }));
  if (existing && !input.force) throw new ApiExistsError({ group, version, kind }, project.domain);
  const typesFile = apiTypesPath({ version, kind });
  const { otherVersions } = checkApiFitsProject(project, { group, version, kind, plural, typesFile }, input);
  const sibling = otherVersions[0];

  const context = buildApiContext({
    project, group, version, kind, plural, namespaced: input.namespaced, resource: input.resource,
    controller: input.controller, year: input.year, info: input.info, dependency: projectDependency(input.view, input.info),
    storageVersion: otherVersions.length === 0 || otherVersions.every((r) => sameGvk(r, { group, version, kind })),
  });
  const builder = new PlanBuilder(input.view, input.force);
  for (const file of renderTemplates({ set: 'api', context, ...(input.templatesDir ? { templatesDir: input.templatesDir } : {}) })) {
    // The per-kind roles serve every version; a later version keeps the ones the first version wrote.
    const perKindRole = sibling !== undefined && perKindRoleFiles(kind).some((role) => file.path === `config/rbac/${role}`);
    builder.add(file.path, file.contents, perKindRole ? 'skip' : file.policy, file.mode);
  }
  applyApiInsertions(builder, context);
  if (existing?.api && existing.plural !== plural) removeStaleCrd(builder, existing);

  const entry: ProjectResource = {
    group, domain: project.domain, version, kind, plural,
    ...(input.resource || existing?.api
      ? { path: typesFile, api: { crdVersion: 'v1' as const, namespaced: input.namespaced } }
      : {}),
    controller: input.controller || (existing?.controller ?? false),
    // Scaffolding the API again keeps the webhooks create webhook recorded for it.
    ...(existing?.webhooks ? { webhooks: existing.webhooks } : {}),
  };
  const resources = existing ? project.resources.map((r) => (r === existing ? entry : r)) : [...project.resources, entry];
  builder.update(PROJECT_FILE, renderProjectFile({ ...project, resources }));

  for (const file of await input.manifests(builder.pendingFiles())) builder.update(file.path, file.contents);
  return { plan: builder.build(), context };
}

/** A changed plural renames the CRD: the old file and its kustomization entry go in the same plan. */
function removeStaleCrd(builder: PlanBuilder, previous: ProjectResource): void {
  builder.remove(crdFilePath(previous));
  const { path } = MARKERS.crd;
  const kustomization = builder.read(path);
  if (kustomization === undefined) return;
  const before = kustomization.toString('utf8');
  const after = removeLines(before, [crdKustomizationLine(crdFileName(fullGroupName(previous.group, previous.domain), previous.plural))]);
  if (after !== before) builder.update(path, after);
}
