import { OperatorTsError } from '../errors.js';
import { controllerPath } from '../project/layout.js';
import { fullGroupName } from '../project/names.js';
import { sameGvk, type ProjectConfig, type ProjectResource } from '../project/project-file.js';
import type { FileSystemView } from './plan.js';

export interface NewApi {
  group: string;
  version: string;
  kind: string;
  plural: string;
  typesFile: string;
}

export interface NewApiOptions {
  view: FileSystemView;
  resource: boolean;
  controller: boolean;
  namespaced: boolean;
  force: boolean;
}

/**
 * The rules a new API must satisfy against the project it joins: the types a controller imports exist, every
 * version of a kind shares one plural, one scope and one controller, and two kinds of a group never share a
 * plural. Returns the kind's other versions (the first one stays the storage version).
 */
export function checkApiFitsProject(project: ProjectConfig, api: NewApi, input: NewApiOptions): { otherVersions: ProjectResource[] } {
  const { group, version, kind, plural } = api;
  const existing = project.resources.find((r) => sameGvk(r, api));
  if (input.controller && !input.resource && !existing?.api && input.view.read(api.typesFile) === undefined) {
    throw new OperatorTsError('ENOTYPES', `${kind} (${fullGroupName(group, project.domain)}/${version}) has no API types in this project: the controller would import ${api.typesFile}, which does not exist.`, {
      hint: `drop --no-resource to scaffold the types too, or create them first: operator-ts create api --group ${group} --version ${version} --kind ${kind} --resource --no-controller`,
    });
  }
  // Another version of the same kind is a new version of one CRD: it must share the plural and the scope,
  // and only the first version is the storage version.
  const otherVersions = project.resources.filter((r) => r.group === group && r.kind === kind && r.version !== version && r.api);
  const sibling = otherVersions[0];
  if (sibling && sibling.plural !== plural) {
    throw new OperatorTsError('EPLURAL', `plural '${plural}' differs from '${sibling.plural}', the plural of ${kind} in ${sibling.version}; every version of a kind shares one plural.`, {
      hint: `drop --plural or pass --plural ${sibling.plural}`,
    });
  }
  if (sibling && input.resource && sibling.api!.namespaced !== input.namespaced) {
    const scope = (namespaced: boolean) => (namespaced ? 'namespaced' : 'cluster-scoped');
    throw new OperatorTsError('ESCOPE', `${kind} is ${scope(sibling.api!.namespaced)} in ${sibling.version}, so ${version} cannot be ${scope(input.namespaced)}; every version of a kind shares one scope.`, {
      hint: `pass ${sibling.api!.namespaced ? '--namespaced' : '--cluster-scoped'}`,
    });
  }
  const controllerOwner = project.resources.find((r) => r.group === group && r.kind === kind && r.version !== version && r.controller);
  if (input.controller && controllerOwner && !input.force) {
    throw new OperatorTsError('ECONTROLLEREXISTS', `${kind} already has a controller (${controllerPath(kind)}, scaffolded with ${controllerOwner.version}); one controller reconciles every version of a kind.`, {
      hint: `pass --no-controller to add only the ${version} types, or --force to replace that controller and its test with ones for ${version}`,
    });
  }
  const clash = project.resources.find((r) => !sameGvk(r, { group, version, kind }) && r.kind !== kind && r.group === group && r.plural === plural);
  if (clash) {
    throw new OperatorTsError('EPLURAL', `plural '${plural}' is already used by ${clash.kind} in group ${group}; two kinds of one group need different plurals.`, {
      hint: `choose another plural with --plural, for example --plural ${plural}x`,
    });
  }
  return { otherVersions };
}
