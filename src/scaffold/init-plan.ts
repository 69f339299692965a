import { OperatorTsError } from '../errors.js';
import { buildInitContext, type InitContext } from './context.js';
import { PlanBuilder, type FileSystemView, type Plan } from './plan.js';
import { validateDerivedNames } from '../project/derived-names.js';
import { LAYOUT, PROJECT_FILE, PROJECT_VERSION, renderProjectFile } from '../project/project-file.js';
import { renderTemplates } from './template-registry.js';
import {
  validateDomain, validateLicense, validateOwner, validateProjectName, type License,
} from '../project/names.js';
import type { PackageInfo } from './package-info.js';
import type { RuntimeDependency } from './runtime-dependency.js';

/** Everything `init` needs, already decided (flags, prompts and defaults resolved by the CLI). */
export interface InitPlanInput {
  view: FileSystemView;
  domain: string;
  projectName: string;
  owner: string;
  license: string;
  force: boolean;
  year: number;
  info: PackageInfo;
  runtime: RuntimeDependency;
  templatesDir?: string;
}

/** Files whose presence means the directory already holds an operator-ts project. */
export const PROJECT_MARKERS = [PROJECT_FILE, 'src/main.ts'];

export class AlreadyInitializedError extends OperatorTsError {
  constructor(dir: string, found: string) {
    super('EINITIALIZED', `${dir} already holds an operator-ts project (${found} exists), so init will not scaffold over it.`, {
      hint: "add APIs with 'operator-ts create api', or run init in an empty directory",
    });
  }
}

/** Validates every value first, then renders the init templates, PROJECT and the vendored runtime. */
export function planInit(input: InitPlanInput, dirForMessages: string): { plan: Plan; context: InitContext } {
  const domain = validateDomain(input.domain);
  const projectName = validateProjectName(input.projectName);
  const owner = validateOwner(input.owner);
  const license: License = validateLicense(input.license);
  validateDerivedNames(projectName, domain);
  for (const marker of PROJECT_MARKERS) {
    if (input.view.read(marker) !== undefined) throw new AlreadyInitializedError(dirForMessages, marker);
  }
  const context = buildInitContext({ domain, projectName, owner, license, year: input.year, info: input.info, dependency: input.runtime });
  const builder = new PlanBuilder(input.view, input.force);
  for (const file of renderTemplates({ set: 'init', context, ...(input.templatesDir ? { templatesDir: input.templatesDir } : {}) })) {
    builder.add(file.path, file.contents, file.policy, file.mode);
  }
  builder.add(PROJECT_FILE, renderProjectFile({
    version: PROJECT_VERSION,
    domain,
    layout: LAYOUT,
    projectName,
    cliVersion: input.info.version,
    leaderElectionId: context.leaderElectionId,
    resources: [],
  }));
  if (input.runtime.tarball) builder.add(input.runtime.tarball.path, input.runtime.tarball.contents, 'overwrite');
  return { plan: builder.build(), context };
}
