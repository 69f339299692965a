import { managerNamespace } from '../project/derived-names.js';
import { apiTypesPath, crdFileName, sampleFileName } from '../project/layout.js';
import { leaderElectionId } from '../project/leader-election-id.js';
import { fullGroupName, type License } from '../project/names.js';
import { LAYOUT, type ProjectConfig } from '../project/project-file.js';
import type { PackageInfo } from './package-info.js';

/** The values templates see (templates/init and templates/api). Built only from validated values. */
export interface InitContext {
  [key: string]: unknown;
  domain: string;
  projectName: string;
  owner: string;
  license: License;
  year: number;
  leaderElectionId: string;
  /** The namespace config/default deploys the manager into. */
  managerNamespace: string;
  operatorTsVersion: string;
  operatorTsDependency: string;
  vendored: boolean;
  clientNodeVersion: string;
  commanderVersion: string;
  cliVersion: string;
  layout: string;
}

export interface ApiContext extends InitContext {
  group: string;
  version: string;
  kind: string;
  lowerKind: string;
  plural: string;
  fullGroup: string;
  apiVersion: string;
  namespaced: boolean;
  resource: boolean;
  controller: boolean;
  /** True for the first version of a kind: it carries @storageversion. */
  storageVersion: boolean;
  crdFile: string;
  sampleFile: string;
  /** Project-relative path of the API types file. */
  typesFile: string;
}

export interface InitContextInput {
  domain: string;
  projectName: string;
  owner: string;
  license: License;
  year: number;
  info: PackageInfo;
  dependency: { spec: string; vendored: boolean };
}

export function buildInitContext(input: InitContextInput): InitContext {
  return {
    domain: input.domain,
    projectName: input.projectName,
    owner: input.owner,
    license: input.license,
    year: input.year,
    leaderElectionId: leaderElectionId(input.projectName, input.domain),
    managerNamespace: managerNamespace(input.projectName),
    operatorTsVersion: input.info.version,
    operatorTsDependency: input.dependency.spec,
    vendored: input.dependency.vendored,
    clientNodeVersion: input.info.clientNodeRange,
    commanderVersion: input.info.commanderRange,
    cliVersion: input.info.version,
    layout: LAYOUT,
  };
}

export interface ApiContextInput {
  project: ProjectConfig;
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  resource: boolean;
  controller: boolean;
  year: number;
  info: PackageInfo;
  /** The project's current operator-ts dependency (from its package.json), if known. */
  dependency: { spec: string; vendored: boolean };
  owner?: string;
  license?: License;
  /** False when another version of the kind already exists (it stays the storage version). Default true. */
  storageVersion?: boolean;
}

export function buildApiContext(input: ApiContextInput): ApiContext {
  const { project } = input;
  const { plural } = input;
  const fullGroup = fullGroupName(input.group, project.domain);
  return {
    ...buildInitContext({
      domain: project.domain, projectName: project.projectName, owner: input.owner ?? '', license: input.license ?? 'none',
      year: input.year, info: input.info, dependency: input.dependency,
    }),
    // PROJECT's values win over recomputed ones: the Lease name must never change between versions.
    leaderElectionId: project.leaderElectionId,
    layout: project.layout,
    group: input.group,
    version: input.version,
    kind: input.kind,
    lowerKind: input.kind.toLowerCase(),
    plural,
    fullGroup,
    apiVersion: `${fullGroup}/${input.version}`,
    namespaced: input.namespaced,
    resource: input.resource,
    controller: input.controller,
    storageVersion: input.storageVersion ?? true,
    crdFile: crdFileName(fullGroup, plural),
    sampleFile: sampleFileName(input),
    typesFile: apiTypesPath(input),
  };
}

/** The year written into LICENSE headers; SOURCE_DATE_EPOCH makes output reproducible (golden tests). */
export function scaffoldYear(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): number {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).getUTCFullYear();
  return now().getUTCFullYear();
}
