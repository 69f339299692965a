import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Csv } from './base-csv.js';
import { BundleInvalidError, type BundleProblem } from './errors.js';
import { WEBHOOK_TYPES } from './webhooks.js';
import { ANNOTATIONS_FILE, ANNOTATION, DNS_LABEL, INSTALL_MODE_TYPES, MANIFESTS_DIR, MEDIATYPE, METADATA_DIR, SEMVER, csvName } from './names.js';

interface Crd {
  kind?: unknown;
  metadata?: { name?: string };
  spec?: { names?: { kind?: string }; versions?: Array<{ name: string }> };
}

/**
 * Checks a registry+v1 bundle directory for the mistakes users hit most (the rules are listed in
 * docs/bundle.md). Throws BundleInvalidError listing every problem; returns the CSV's name when valid.
 */
export function validateBundle(dir: string, cwd: string): { csvName: string } {
  const problems: BundleProblem[] = [];
  const show = (path: string) => relative(cwd, join(dir, path)) || '.';
  const problem = (file: string, field: string, message: string, hint: string) => problems.push({ file: show(file), field, message, hint });

  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problem('', '(directory)', 'does not exist or is not a directory', 'pass the bundle directory `generate bundle` wrote, e.g. `operator-ts bundle validate bundle`');
    throw new BundleInvalidError(problems);
  }
  const annotationsPath = join(dir, ANNOTATIONS_FILE);
  let annotations: Record<string, unknown> = {};
  if (!existsSync(annotationsPath)) {
    problem(ANNOTATIONS_FILE, 'annotations', 'missing', 'run `operator-ts generate bundle`, which writes it');
  } else {
    const doc = parseYaml(annotationsPath, ANNOTATIONS_FILE, problem) as { annotations?: Record<string, unknown> } | undefined;
    if (doc !== undefined) {
      if (doc?.annotations === undefined || typeof doc.annotations !== 'object') problem(ANNOTATIONS_FILE, 'annotations', 'no `annotations:` mapping', 'the file holds `annotations:` with the bundle keys');
      else annotations = doc.annotations;
    }
  }
  const expect: Array<[string, string]> = [[ANNOTATION.mediatype, MEDIATYPE], [ANNOTATION.manifests, MANIFESTS_DIR], [ANNOTATION.metadata, METADATA_DIR]];
  for (const [key, value] of expect) {
    if (annotations[key] !== value && Object.keys(annotations).length > 0) {
      problem(ANNOTATIONS_FILE, `annotations.${key}`, `is ${JSON.stringify(annotations[key] ?? null)}, must be ${JSON.stringify(value)}`, `set ${key}: ${value}`);
    }
  }
  const packageName = annotations[ANNOTATION.package];
  const channelsValue = annotations[ANNOTATION.channels];
  const channels = typeof channelsValue === 'string' ? channelsValue.split(',').map((c) => c.trim()) : [];
  const defaultChannel = annotations[ANNOTATION.defaultChannel];
  if (Object.keys(annotations).length > 0) {
    if (typeof packageName !== 'string' || !DNS_LABEL.test(packageName)) {
      problem(ANNOTATIONS_FILE, `annotations.${ANNOTATION.package}`, `${JSON.stringify(packageName ?? null)} is not a DNS label`, 'use the package name: lower case letters, digits and -');
    }
    if (channels.length === 0 || channels.some((c) => c === '')) {
      problem(ANNOTATIONS_FILE, `annotations.${ANNOTATION.channels}`, `${JSON.stringify(channelsValue ?? null)} must list channel names separated by commas, none empty`, 'e.g. alpha or alpha,stable');
    }
    if (defaultChannel !== undefined && !channels.includes(String(defaultChannel))) {
      problem(ANNOTATIONS_FILE, `annotations.${ANNOTATION.defaultChannel}`, `${JSON.stringify(defaultChannel)} is not one of the channels (${channels.join(', ')})`, 'name one of the channels, or add it to the channels');
    }
  }

  const manifestsDir = join(dir, MANIFESTS_DIR);
  const objects: Array<{ file: string; object: Record<string, unknown> }> = [];
  if (!existsSync(manifestsDir) || !statSync(manifestsDir).isDirectory()) {
    problem(MANIFESTS_DIR, 'manifests', 'directory missing', 'run `operator-ts generate bundle`, which writes it');
  } else {
    for (const name of readdirSync(manifestsDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = `${MANIFESTS_DIR}${name}`;
      try {
        for (const d of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
          if (d.errors.length > 0) throw d.errors[0]!;
          const object = d.toJS() as Record<string, unknown> | null;
          if (object && typeof object === 'object') objects.push({ file, object });
        }
      } catch (error) {
        problem(file, '(file)', `is not valid YAML: ${(error as Error).message}`, 'fix the YAML syntax');
      }
    }
  }
  const csvs = objects.filter((o) => o.object.kind === 'ClusterServiceVersion');
  if (existsSync(manifestsDir) && csvs.length !== 1) {
    problem(MANIFESTS_DIR, 'ClusterServiceVersion', `found ${csvs.length}, a bundle holds exactly one`, 'keep one <package>.clusterserviceversion.yaml in manifests/');
  }
  let name = '';
  if (csvs.length === 1) {
    const { file, object } = csvs[0]!;
    const csv = object as unknown as Csv;
    name = String(csv.metadata?.name ?? '');
    if (!csv.metadata?.name) problem(file, 'metadata.name', 'missing', 'set it to <package>.v<version>');
    if (!csv.spec?.displayName) problem(file, 'spec.displayName', 'missing', 'set spec.displayName in config/manifests/bases and regenerate');
    const version = csv.spec?.version;
    if (version === undefined || version === '') problem(file, 'spec.version', 'missing', 'regenerate with --version X.Y.Z');
    // YAML reads an unquoted 1.0 as the number 1, so the written text is gone: say it was a number.
    else if (typeof version !== 'string') problem(file, 'spec.version', `is the YAML ${typeof version} ${JSON.stringify(version)}, not a semantic version string`, 'write MAJOR.MINOR.PATCH, e.g. 0.1.0 (quote it if YAML would read it as a number)');
    else if (!SEMVER.test(version)) problem(file, 'spec.version', `${JSON.stringify(version)} is not a semantic version`, 'use MAJOR.MINOR.PATCH without a leading v, e.g. 0.1.0');
    else if (typeof packageName === 'string' && csv.metadata?.name && csv.metadata.name !== csvName(packageName, String(version))) {
      problem(file, 'metadata.name', `${JSON.stringify(csv.metadata.name)} does not match package ${packageName} and version ${version}`, `name it ${csvName(packageName, String(version))}`);
    }
    const install = csv.spec?.install;
    if (install?.strategy !== 'deployment') problem(file, 'spec.install.strategy', `${JSON.stringify(install?.strategy ?? null)}, must be "deployment"`, 'regenerate the bundle; it writes the deployment strategy');
    const deployments = install?.spec?.deployments;
    if (!Array.isArray(deployments) || deployments.length === 0) problem(file, 'spec.install.spec.deployments', 'empty', 'regenerate the bundle from config/default, which must render the manager Deployment');
    const modes = csv.spec?.installModes;
    if (!Array.isArray(modes) || modes.length === 0) {
      problem(file, 'spec.installModes', 'missing', `list the install modes (${INSTALL_MODE_TYPES.join(', ')}) with supported: true/false in config/manifests/bases`);
    } else {
      for (const m of modes) {
        if (!(INSTALL_MODE_TYPES as readonly string[]).includes(m?.type)) problem(file, 'spec.installModes', `unknown type ${JSON.stringify(m?.type)}`, `use one of ${INSTALL_MODE_TYPES.join(', ')}`);
      }
      if (!modes.some((m) => m?.supported === true)) problem(file, 'spec.installModes', 'no mode is supported', 'set supported: true on at least one, e.g. AllNamespaces');
    }
    for (const owned of csv.spec?.customresourcedefinitions?.owned ?? []) {
      const crd = objects.find((o) => o.object.kind === 'CustomResourceDefinition' && (o.object as Crd).metadata?.name === owned.name);
      const field = `spec.customresourcedefinitions.owned[${owned.name}]`;
      if (!crd) {
        problem(file, field, `CRD ${owned.name} is not in manifests/`, 'add the CRD file to manifests/, or remove the entry');
        continue;
      }
      const spec = (crd.object as Crd).spec;
      if (spec?.names?.kind !== owned.kind) problem(file, `${field}.kind`, `${JSON.stringify(owned.kind)} but ${crd.file} has kind ${JSON.stringify(spec?.names?.kind)}`, 'make the kinds agree');
      if (!(spec?.versions ?? []).some((v) => v.name === owned.version)) {
        problem(file, `${field}.version`, `${JSON.stringify(owned.version)} is not a version of ${crd.file} (${(spec?.versions ?? []).map((v) => v.name).join(', ')})`, 'use a version the CRD serves');
      }
    }
    checkWebhookDefinitions(csv, (field, message, hint) => problem(file, field, message, hint));
  }
  if (problems.length > 0) throw new BundleInvalidError(problems);
  return { csvName: name };
}

/**
 * The webhookdefinitions rules OLM applies when it installs the CSV: a known type, a name unique
 * within its type, a deployment of the install strategy to serve it, a path; conversion webhooks
 * name owned CRDs, each CRD in one webhook only, and OLM installs a CSV with one only in
 * AllNamespaces mode (a CRD's conversion is cluster-wide).
 */
function checkWebhookDefinitions(csv: Csv, problem: (field: string, message: string, hint: string) => void): void {
  const definitions = csv.spec?.webhookdefinitions;
  if (definitions === undefined || definitions === null) return;
  if (!Array.isArray(definitions)) {
    problem('spec.webhookdefinitions', `is a ${typeof definitions}, not a list`, 'regenerate the bundle, or write a list of webhook definitions');
    return;
  }
  const deployments = ((csv.spec?.install?.spec?.deployments ?? []) as Array<{ name?: unknown }>).map((d) => d?.name);
  const owned = (csv.spec?.customresourcedefinitions?.owned ?? []).map((o) => o.name);
  const names = new Set<string>();
  const converters = new Map<unknown, unknown>();
  definitions.forEach((raw: unknown, i) => {
    const d = (raw ?? {}) as Record<string, unknown>;
    const field = `spec.webhookdefinitions[${typeof d.generateName === 'string' && d.generateName !== '' ? d.generateName : i}]`;
    if (typeof d.generateName !== 'string' || d.generateName === '') problem(`${field}.generateName`, 'missing', 'name the webhook, e.g. vmemcached-v1alpha1.cache.example.com');
    else if (names.has(`${String(d.type)}/${d.generateName}`)) problem(`${field}.generateName`, `a second ${String(d.type)} has this name`, 'give every webhook of a type its own generateName');
    names.add(`${String(d.type)}/${String(d.generateName)}`);
    if (!(WEBHOOK_TYPES as readonly unknown[]).includes(d.type)) problem(`${field}.type`, `${JSON.stringify(d.type ?? null)} is not a webhook type`, `use one of ${WEBHOOK_TYPES.join(', ')}`);
    if (!deployments.includes(d.deploymentName)) {
      problem(`${field}.deploymentName`, `${JSON.stringify(d.deploymentName ?? null)} is not a deployment of the install strategy (${deployments.join(', ') || 'none'})`, 'name the Deployment that serves the webhook');
    }
    if (typeof d.webhookPath !== 'string' || !d.webhookPath.startsWith('/')) problem(`${field}.webhookPath`, `${JSON.stringify(d.webhookPath ?? null)} is not a path`, 'set the path the manager serves the webhook on, e.g. /validate-cache-example-com-v1alpha1-memcached');
    if (d.type !== 'ConversionWebhook') return;
    const crds = d.conversionCRDs;
    if (!Array.isArray(crds) || crds.length === 0) {
      problem(`${field}.conversionCRDs`, 'missing or empty', 'list the CRDs the webhook converts');
      return;
    }
    for (const name of crds) {
      if (!owned.includes(name)) problem(`${field}.conversionCRDs`, `${JSON.stringify(name)} is not an owned CRD (spec.customresourcedefinitions.owned)`, 'convert only CRDs the bundle owns, or add the CRD to the bundle');
      if (converters.has(name)) problem(`${field}.conversionCRDs`, `${JSON.stringify(name)} is converted by ${JSON.stringify(converters.get(name))} too`, 'list each CRD in one conversion webhook only');
      converters.set(name, d.generateName);
    }
  });
  const modes = csv.spec?.installModes;
  if (definitions.some((d: unknown) => (d as { type?: unknown } | null)?.type === 'ConversionWebhook') && Array.isArray(modes)
    && modes.some((m) => m?.supported === true && m.type !== 'AllNamespaces')) {
    problem('spec.installModes', `${modes.filter((m) => m?.supported === true).map((m) => m.type).join(', ')} supported, but a conversion webhook is installed only in AllNamespaces mode`, 'support only AllNamespaces in config/manifests/bases (a CRD conversion serves every namespace)');
  }
}

function parseYaml(path: string, file: string, problem: (file: string, field: string, message: string, hint: string) => void): unknown {
  try {
    return parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    problem(file, '(file)', `is not valid YAML: ${(error as Error).message}`, 'fix the YAML syntax');
    return undefined;
  }
}
