import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiTypesPath } from '../project/layout.js';
import { fullGroupName } from '../project/names.js';
import { PROJECT_FILE, parseProjectFile, type ProjectResource } from '../project/project-file.js';
import { ManifestError } from './errors.js';
import type { RootType } from './root-types.js';

/** The resources PROJECT lists, or [] for a project without a PROJECT file (hand-written layouts). */
export function readProjectResources(projectDir: string): ProjectResource[] {
  const path = join(projectDir, PROJECT_FILE);
  if (!existsSync(path)) return [];
  return parseProjectFile(readFileSync(path, 'utf8')).resources;
}

/**
 * Every API resource PROJECT lists must have a root type that agrees with it, so a deleted or
 * renamed type shows up as an error instead of a CRD that silently disappears.
 */
export function checkProjectResources(resources: ProjectResource[], roots: RootType[], projectDir: string): void {
  for (const r of resources) {
    if (!r.api) continue; // no API of ours (e.g. a controller for a built-in kind)
    const group = fullGroupName(r.group, r.domain);
    const root = roots.find((x) => x.group === group && x.version === r.version && x.kind === r.kind);
    const expected = apiTypesPath(r);
    if (!root) {
      throw new ManifestError(`PROJECT lists ${r.kind} (${group}/${r.version}) but no root type declares it`, {
        location: { file: existsSync(join(projectDir, expected)) ? expected : PROJECT_FILE, line: 1, subject: r.kind },
        hint: `Export an interface ${r.kind} with apiVersion: '${group}/${r.version}' and kind: '${r.kind}' in ${expected}, or remove the resource from PROJECT.`,
      });
    }
    if (r.plural !== root.plural) {
      throw new ManifestError(`PROJECT gives ${r.kind} the plural '${r.plural}' but the type yields '${root.plural}'`, {
        location: root.location, hint: `Add @plural ${r.plural} to the ${r.kind} interface.`,
      });
    }
    if (r.api.namespaced !== (root.scope === 'Namespaced')) {
      throw new ManifestError(`PROJECT says ${r.kind} is ${r.api.namespaced ? 'namespaced' : 'cluster-scoped'} but the type has @scope ${root.scope}`, {
        location: root.location, hint: `Set @scope ${r.api.namespaced ? 'Namespaced' : 'Cluster'} on the ${r.kind} interface.`,
      });
    }
  }
}
