import { existsSync, readFileSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { OperatorTsError } from '../errors.js';
import { GENERATED_BY_ANNOTATION, withConversion, type CustomResourceDefinition } from '../manifests/crd.js';
import { clusterRole, mergeRules, type DeclaredRule } from '../manifests/rbac-rules.js';
import { DEFAULT_OPERATIONS, WEBHOOK_MANIFESTS_PATH, buildWebhookManifests, validatorOperationsName, validatorPath } from '../manifests/webhooks.js';
import { toYamlDocument } from '../manifests/yaml-output.js';
import { ROLE_PATH, apiTypesPath, controllerPath, crdFilePath } from '../project/layout.js';
import { fullGroupName } from '../project/names.js';
import { PROJECT_FILE, parseProjectFile, type ProjectResource } from '../project/project-file.js';
import { crdFor, loadDerivedApiManifests, rulesFor, withVersion, type DerivedApiManifests } from './api-manifests.js';
import type { ManifestPlanner, TreeFile } from './api-plan.js';


/** Top-level entries of a project that the manifests generator never reads. */
const SKIPPED = new Set(['node_modules', 'dist', 'vendor', '.git', 'config']);

/**
 * The default ManifestPlanner: materialises the planned tree (the project's sources with the plan's
 * files laid over them) in a temp directory and runs the manifests generator on it, so the CRD and
 * role.yaml become part of the same atomic plan. The temp copy is always removed.
 */
export function diskManifestPlanner(projectDir: string): ManifestPlanner {
  return async (planned: TreeFile[]) => {
    const work = await fsp.mkdtemp(join(tmpdir(), 'operator-ts-manifests-'));
    try {
      for (const entry of existsSync(projectDir) ? await fsp.readdir(projectDir) : []) {
        if (SKIPPED.has(entry)) continue;
        await fsp.cp(join(projectDir, entry), join(work, entry), { recursive: true });
      }
      for (const file of planned) {
        const target = join(work, file.path);
        await fsp.mkdir(dirname(target), { recursive: true });
        await fsp.writeFile(target, file.contents);
      }
      if (existsSync(join(projectDir, 'node_modules'))) await fsp.symlink(join(projectDir, 'node_modules'), join(work, 'node_modules'), 'dir');
      // Loaded lazily: the generator pulls in ts-morph and TypeScript, which planning without a CRD does not need.
      const manifests = await import('../manifests/index.js').catch((error: unknown) => {
        throw new OperatorTsError('EMANIFESTS', 'the manifests generator of this operator-ts installation cannot be loaded.', {
          hint: 'reinstall operator-ts (or run npm run build in its source checkout)',
          cause: error,
        });
      });
      const files = await manifests.planManifests({ projectDir: work });
      return files.map((f) => ({ path: f.path, contents: f.contents }));
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
  };
}

/**
 * The ManifestPlanner of `create api`: writes the new API's CRD (or adds the new version to its kind's CRD)
 * and merges the new controller's rules into role.yaml, from manifests derived at build time, without
 * loading TypeScript. Like Kubebuilder's create api it leaves the other APIs' manifests as they are
 * (`npm run manifests` regenerates everything). Whenever it cannot be sure of the generator's answer (no
 * derived manifests, files it would overwrite, a missing or unreadable CRD or role.yaml) it runs the
 * generator instead.
 */
export function fastManifestPlanner(projectDir: string, derived = loadDerivedApiManifests(), generator = diskManifestPlanner(projectDir)): ManifestPlanner {
  return async (planned) => (derived && fromDerived(projectDir, planned, derived)) || generator(planned);
}

/** A derived file that does not have the expected shape is a reason to ask the generator, not to fail. */
function fromDerived(projectDir: string, planned: TreeFile[], derived: DerivedApiManifests): Array<{ path: string; contents: string }> | undefined {
  try {
    return planFromDerived(projectDir, planned, derived);
  } catch {
    return undefined;
  }
}

const TYPES_FILE = /^src\/api\/[^/]+\/[^/]+\.types\.ts$/;
const CONTROLLER_FILE = /^src\/controllers\/[^/]+\.controller\.ts$/;

/** The manifests create api changes, or undefined when only the generator can tell. */
export function planFromDerived(projectDir: string, planned: TreeFile[], derived: DerivedApiManifests): Array<{ path: string; contents: string }> | undefined {
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(join(projectDir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const projectText = planned.find((f) => f.path === PROJECT_FILE)?.contents.toString('utf8') ?? read(PROJECT_FILE);
  if (projectText === undefined) return undefined;
  let resources: ProjectResource[];
  try {
    resources = parseProjectFile(projectText).resources;
  } catch {
    return undefined;
  }
  const types: TreeFile[] = [];
  const controllers: TreeFile[] = [];
  for (const file of planned) {
    const isTypes = TYPES_FILE.test(file.path);
    const isController = CONTROLLER_FILE.test(file.path);
    // Anything else the generator reads, or a file replaced with --force, may change other manifests.
    if (!isTypes && !isController && /^src\/(api|controllers)\//.test(file.path)) return undefined;
    if ((isTypes || isController) && read(file.path) !== undefined) return undefined;
    if (isTypes) types.push(file);
    if (isController) controllers.push(file);
  }
  if (types.length > 1 || controllers.length > 1) return undefined;

  const out: Array<{ path: string; contents: string }> = [];
  for (const file of types) {
    const owners = resources.filter((r) => r.api && apiTypesPath(r) === file.path);
    if (owners.length !== 1) return undefined;
    const crd = planCrd(owners[0]!, resources, file, derived, read);
    if (!crd) return undefined;
    out.push(crd);
  }
  for (const file of controllers) {
    const owners = resources.filter((r) => r.controller && controllerPath(r.kind) === file.path);
    if (owners.length !== 1) return undefined;
    const role = planRole(owners[0]!, derived, read(ROLE_PATH));
    if (!role) return undefined;
    out.push(role);
  }
  if (!freshValidators(resources, planned, read)) return undefined;
  return withWebhooks(resources, out, read);
}

/**
 * Whether every validating webhook in PROJECT keeps the default operations for sure: its validator file is new in
 * this plan and exports exactly the default. A validator on disk may list other operations, which only the
 * generator reads.
 */
function freshValidators(resources: ProjectResource[], planned: TreeFile[], read: (path: string) => string | undefined): boolean {
  const defaults = DEFAULT_OPERATIONS.map((op) => `'${op}'`).join(', ');
  return resources.filter((r) => r.webhooks?.validation).every((r) => {
    const path = validatorPath(r);
    const text = planned.find((f) => f.path === path)?.contents.toString('utf8');
    if (text === undefined || read(path) !== undefined) return false;
    const name = validatorOperationsName(r.kind);
    const declarations = text.match(new RegExp(`\\b${name}\\s*[:=]`, 'g')) ?? [];
    return declarations.length === 1 && text.split('\n').some((line) => line.startsWith(`export const ${name} = [${defaults}] as const`));
  });
}

/**
 * Adds what PROJECT's webhooks imply: config/webhook/manifests.yaml, computed from PROJECT alone, and the
 * spec.conversion of each CRD, set or removed in the CRD being planned or the one on disk. Undefined (ask the
 * generator) when a CRD that needs conversion cannot be read.
 */
function withWebhooks(
  resources: ProjectResource[], out: Array<{ path: string; contents: string }>, read: (path: string) => string | undefined,
): Array<{ path: string; contents: string }> | undefined {
  const webhooks = buildWebhookManifests(resources);
  const seen = new Set<string>();
  for (const r of resources) {
    const path = crdFilePath(r);
    if (!r.api || seen.has(path)) continue;
    seen.add(path);
    const conversion = webhooks.conversions.get(`${r.plural}.${fullGroupName(r.group, r.domain)}`);
    const planned = out.find((f) => f.path === path);
    const crd = parseCrd(planned?.contents ?? read(path));
    if (!crd) {
      if (conversion) return undefined;
      continue;
    }
    if (JSON.stringify(crd.spec.conversion) === JSON.stringify(conversion)) continue;
    const contents = toYamlDocument(withConversion(crd, conversion));
    if (planned) planned.contents = contents;
    else out.push({ path, contents });
  }
  if (webhooks.admission !== undefined) out.push({ path: WEBHOOK_MANIFESTS_PATH, contents: webhooks.admission });
  return out;
}

function planCrd(
  r: ProjectResource, resources: ProjectResource[], types: TreeFile, derived: DerivedApiManifests, read: (path: string) => string | undefined,
): { path: string; contents: string } | undefined {
  const fullGroup = fullGroupName(r.group, r.domain);
  const siblings = resources.filter((o) => o.api && o.group === r.group && o.kind === r.kind && o.version !== r.version);
  const storage = siblings.length === 0;
  // The types were rendered for the same decision; if they disagree, the template is not the one derived.
  if (types.contents.toString('utf8').includes('@storageversion') !== storage) return undefined;
  const values = { kind: r.kind, plural: r.plural, fullGroup, version: r.version, namespaced: r.api!.namespaced, storage };
  const path = crdFilePath(r);
  const crd = crdFor(derived, values);
  if (storage) return { path, contents: toYamlDocument(crd) };
  const existing = parseCrd(read(path));
  if (!existing) return undefined;
  // The CRD on disk must be the one the generator would write for the versions PROJECT lists.
  const names = existing.spec.versions.map((v) => v.name).sort();
  if (names.join(',') !== siblings.map((o) => o.version).sort().join(',')) return undefined;
  if (existing.spec.names.plural !== r.plural || existing.spec.scope !== crd.spec.scope || existing.spec.group !== fullGroup) return undefined;
  return { path, contents: toYamlDocument(withVersion(existing, crd.spec.versions[0]!)) };
}

function parseCrd(text: string | undefined): CustomResourceDefinition | undefined {
  if (text === undefined) return undefined;
  try {
    const crd = parse(text) as CustomResourceDefinition | null;
    const ok = crd?.kind === 'CustomResourceDefinition' && typeof crd.spec?.names?.plural === 'string'
      && Array.isArray(crd.spec.versions) && crd.spec.versions.every((v) => typeof v?.name === 'string');
    return ok ? crd : undefined;
  } catch {
    return undefined;
  }
}

function planRole(r: ProjectResource, derived: DerivedApiManifests, text: string | undefined): { path: string; contents: string } | undefined {
  const existing = parseRules(text);
  if (!existing) return undefined;
  const added = rulesFor(derived, { kind: r.kind, plural: r.plural, fullGroup: fullGroupName(r.group, r.domain), version: r.version });
  return { path: ROLE_PATH, contents: toYamlDocument(clusterRole(mergeRules([...existing, ...added]), GENERATED_BY_ANNOTATION)) };
}

/** The rules of role.yaml as declared rules, or undefined unless it is a ClusterRole of well-formed rules. */
function parseRules(text: string | undefined): DeclaredRule[] | undefined {
  if (text === undefined) return undefined;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  try {
    const role = parse(text) as { kind?: unknown; rules?: unknown } | null;
    if (role?.kind !== 'ClusterRole' || !Array.isArray(role.rules)) return undefined;
    const rules: DeclaredRule[] = [];
    for (const rule of role.rules as Array<Record<string, unknown>>) {
      if (!rule || !strings(rule['apiGroups']) || !strings(rule['resources']) || !strings(rule['verbs'])) return undefined;
      if (rule['resourceNames'] !== undefined && !strings(rule['resourceNames'])) return undefined;
      rules.push({
        groups: rule['apiGroups'], resources: rule['resources'], verbs: rule['verbs'],
        ...(rule['resourceNames'] ? { resourceNames: rule['resourceNames'] } : {}),
      });
    }
    return rules;
  } catch {
    return undefined;
  }
}
