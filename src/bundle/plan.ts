import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readProject } from '../project/project-file.js';
import { PlanBuilder, type FileSystemView, type Plan } from '../scaffold/plan.js';
import { toYamlDocument } from '../manifests/yaml-output.js';
import { defaultBaseCsv, type Csv } from './base-csv.js';
import { BundleError } from './errors.js';
import { bundleManifests } from './manifests.js';
import { ANNOTATION, BASE_CSV_DIR, BUNDLE_DIR, BUNDLE_DOCKERFILE, GENERATED_HEADER, MANIFESTS_DIR, MEDIATYPE, METADATA_DIR, csvFileName } from './names.js';
import { resolveBundleOptions, type BundleOptionsInput } from './options.js';
import { renderDefault, type KubeObject } from './render.js';

export interface BundlePlan {
  plan: Plan;
  csvPath: string;
  version: string;
  /** Rendered objects left out of the bundle, as `Kind/name`. */
  skipped: string[];
}

/**
 * Everything `generate bundle` writes, computed in memory: the base CSV (first run only), the
 * bundle's manifests and metadata, and bundle.Dockerfile. Bundle files carrying GENERATED_HEADER are
 * rewritten; a file there without it was written by hand and is replaced only with --force; a
 * generated manifest no longer produced is removed.
 */
export async function planBundle(input: BundleOptionsInput & { force?: boolean; env?: NodeJS.ProcessEnv }, view: FileSystemView): Promise<BundlePlan> {
  const project = readProject((p) => view.read(p), input.projectDir);
  if (!project.resources.some((r) => r.api !== undefined)) {
    throw new BundleError('the project has no API: a bundle must own at least one CustomResourceDefinition', {
      hint: 'add one with `operator-ts create api --group <group> --version <version> --kind <Kind>`',
    });
  }
  const opts = resolveBundleOptions(input, { name: project.projectName, version: packageVersion(view) });
  const builder = new PlanBuilder(view, input.force === true);

  const basePath = `${BASE_CSV_DIR}/${csvFileName(opts.packageName)}`;
  const baseText = view.read(basePath)?.toString('utf8');
  let base: Csv;
  if (baseText === undefined) {
    base = defaultBaseCsv(opts.packageName, project.domain);
    builder.add(basePath, `# The parts of the ClusterServiceVersion you edit; \`operator-ts generate bundle\` reads this and never rewrites it.\n${toYamlDocument(base)}`, 'skip');
  } else {
    base = parseBaseCsv(baseText, basePath);
  }

  const objects = await renderDefault({ projectDir: input.projectDir, image: opts.image, env: input.env });
  const built = bundleManifests(objects, base, { packageName: opts.packageName, version: opts.version, examples: samples(input.projectDir, view) });

  const manifests = `${BUNDLE_DIR}/${MANIFESTS_DIR}`;
  const csvPath = `${manifests}${csvFileName(opts.packageName)}`;
  const outputs = new Map<string, string>();
  outputs.set(csvPath, generated(toYamlDocument(built.csv)));
  for (const f of built.files) outputs.set(`${manifests}${f.name}`, generated(toYamlDocument(f.object)));
  const annotations = {
    [ANNOTATION.mediatype]: MEDIATYPE,
    [ANNOTATION.manifests]: MANIFESTS_DIR,
    [ANNOTATION.metadata]: METADATA_DIR,
    [ANNOTATION.package]: opts.packageName,
    [ANNOTATION.channels]: opts.channels.join(','),
    [ANNOTATION.defaultChannel]: opts.defaultChannel,
  };
  outputs.set(`${BUNDLE_DIR}/${METADATA_DIR}annotations.yaml`, generated(toYamlDocument({ annotations })));
  outputs.set(BUNDLE_DOCKERFILE, generated([
    'FROM scratch',
    '',
    '# The registry+v1 bundle labels; they match bundle/metadata/annotations.yaml.',
    ...Object.entries(annotations).map(([k, v]) => `LABEL ${k}=${v}`),
    '',
    '# Copy files to the locations the labels name.',
    `COPY ${BUNDLE_DIR}/${MANIFESTS_DIR} /${MANIFESTS_DIR}`,
    `COPY ${BUNDLE_DIR}/${METADATA_DIR} /${METADATA_DIR}`,
    '',
  ].join('\n')));

  for (const [path, contents] of outputs) {
    const current = view.read(path)?.toString('utf8');
    if (current !== undefined && !current.startsWith(GENERATED_HEADER)) builder.add(path, contents, 'error');
    else builder.update(path, contents);
  }
  for (const name of listDir(join(input.projectDir, manifests))) {
    const path = `${manifests}${name}`;
    if (!outputs.has(path) && view.read(path)?.toString('utf8').startsWith(GENERATED_HEADER)) builder.remove(path);
  }
  return { plan: builder.build(), csvPath, version: opts.version, skipped: built.skipped };
}

function generated(yaml: string): string {
  return `${GENERATED_HEADER}\n${yaml}`;
}

function packageVersion(view: FileSystemView): string | undefined {
  const raw = view.read('package.json');
  if (raw === undefined) return undefined;
  try {
    const version = (JSON.parse(raw.toString('utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

function parseBaseCsv(text: string, path: string): Csv {
  let csv: Csv;
  try {
    csv = parse(text) as Csv;
  } catch (error) {
    throw new BundleError(`${path} is not valid YAML: ${(error as Error).message}`, { cause: error, hint: `fix ${path}, or delete it to get a fresh one` });
  }
  if (csv?.kind !== 'ClusterServiceVersion' || typeof csv.metadata !== 'object' || typeof csv.spec !== 'object' || csv.spec === null) {
    throw new BundleError(`${path} is not a ClusterServiceVersion with metadata and spec`, { hint: `fix ${path}, or delete it to get a fresh one` });
  }
  return csv;
}

/** The objects under config/samples, for the CSV's alm-examples (the examples a console shows). */
function samples(projectDir: string, view: FileSystemView): unknown[] {
  const examples: unknown[] = [];
  for (const name of listDir(join(projectDir, 'config', 'samples')).sort()) {
    if (!name.endsWith('.yaml') || name === 'kustomization.yaml') continue;
    const text = view.read(`config/samples/${name}`)?.toString('utf8') ?? '';
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        throw new BundleError(`config/samples/${name} is not valid YAML: ${doc.errors[0]!.message}`, {
          hint: 'fix the sample (it becomes the CSV\'s alm-examples), or remove it from config/samples',
        });
      }
      const value = doc.toJS() as KubeObject | null;
      if (value && typeof value === 'object' && typeof value.kind === 'string') examples.push(value);
    }
  }
  return examples;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
