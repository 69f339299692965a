import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseDocument } from 'yaml';
import { OperatorTsError } from '../errors.js';
import { fullGroupName } from '../project/names.js';
import type { ProjectConfig } from '../project/project-file.js';
import { DEFAULT_KUSTOMIZATION } from './insertions.js';
import type { PlanBuilder } from './plan.js';
import { renderTemplates } from './template-registry.js';

export const CRD_KUSTOMIZATION = 'config/crd/kustomization.yaml';

/** An entry of a kustomization list and how it is written. */
export interface KustomizationEntry {
  key: string;
  value: unknown;
  /** The item's lines in the list. */
  item: string[];
  /** The lines init writes commented out with '#' (the item, or the key and the item); default: `item`. */
  commented?: string[];
}

/** What config/default/kustomization.yaml needs for webhooks served with a cert-manager certificate. */
const DEFAULT_ENTRIES: KustomizationEntry[] = [
  { key: 'resources', value: '../webhook', item: ['- ../webhook'] },
  { key: 'resources', value: '../certmanager', item: ['- ../certmanager'] },
  {
    key: 'patches', value: { path: 'manager_webhook_patch.yaml', target: { kind: 'Deployment' } },
    item: ['- path: manager_webhook_patch.yaml', '  target:', '    kind: Deployment'],
  },
  {
    key: 'replacements', value: { path: 'certmanager_replacements.yaml' },
    item: ['- path: certmanager_replacements.yaml'], commented: ['replacements:', '- path: certmanager_replacements.yaml'],
  },
];

/** The CRD kustomization reads kustomizeconfig.yaml so the namePrefix reaches a conversion webhook's Service. */
const CRD_ENTRIES: KustomizationEntry[] = [
  { key: 'configurations', value: 'kustomizeconfig.yaml', item: ['- kustomizeconfig.yaml'], commented: ['configurations:', '- kustomizeconfig.yaml'] },
];

export class KustomizationEditError extends OperatorTsError {
  constructor(path: string, detail: string) {
    super('EKUSTOMIZATION', `${path} cannot be wired for webhooks: ${detail}`, {
      hint: `fix ${path} so it is a YAML mapping (kustomize's format), or restore it from version control, and run the command again`,
    });
  }
}

/**
 * Adds to a plan the kustomize files that deploy a project's webhooks as Kubebuilder lays them out: config/webhook
 * (Service; the configurations come from the manifests generator), config/certmanager (self-signed Issuer, serving
 * Certificate into the Secret webhook-server-cert), config/default/manager_webhook_patch.yaml and
 * certmanager_replacements.yaml, config/crd/kustomizeconfig.yaml; and enables them in config/default and config/crd
 * by uncommenting the lines init wrote (or adding them when a project predates them). Files the user may have edited
 * are kept; the replacements file follows PROJECT's conversion webhooks. Idempotent.
 */
export function planWebhookKustomize(
  builder: PlanBuilder, project: Pick<ProjectConfig, 'projectName' | 'resources'>, options: { templatesDir?: string } = {},
): void {
  const conversionCrds = project.resources
    .filter((r) => r.api && r.webhooks?.conversion)
    .map((r) => `${r.plural}.${fullGroupName(r.group, r.domain)}`)
    .sort();
  const context = {
    projectName: project.projectName,
    conversionCrds,
    // The annotation's value is '<namespace>/<name>' of the Certificate, set in two replacements.
    caInjection: [{ fieldPath: '.metadata.namespace', index: 0 }, { fieldPath: '.metadata.name', index: 1 }],
  };
  for (const file of renderTemplates({ set: 'webhook-kustomize', context, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) })) {
    builder.add(file.path, file.contents, file.policy, file.mode);
  }
  enable(builder, DEFAULT_KUSTOMIZATION, DEFAULT_ENTRIES);
  if (builder.read(CRD_KUSTOMIZATION) !== undefined) enable(builder, CRD_KUSTOMIZATION, CRD_ENTRIES);
}

function enable(builder: PlanBuilder, path: string, entries: KustomizationEntry[]): void {
  const raw = builder.read(path);
  if (raw === undefined) throw new KustomizationEditError(path, 'the file does not exist');
  const before = raw.toString('utf8');
  const after = entries.reduce((text, entry) => enableEntry(text, path, entry), before);
  if (after !== before) builder.update(path, after);
}

/** Pure: the kustomization with `entry` in its list — already there, uncommented, or appended. */
export function enableEntry(text: string, path: string, entry: KustomizationEntry): string {
  if (listOf(text, path, entry.key).some((item) => isDeepStrictEqual(item, entry.value))) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const commented = entry.commented ?? entry.item;
  const at = lines.findIndex((_, i) => commented.every((l, j) => lines[i + j]?.trimEnd() === `#${l}`));
  if (at >= 0) {
    for (let j = 0; j < commented.length; j++) lines[at + j] = commented[j]!;
    const uncommented = lines.join(eol);
    if (listOf(uncommented, path, entry.key).some((item) => isDeepStrictEqual(item, entry.value))) return uncommented;
  }
  // No commented-out lines to enable (a project from before them, or edited by hand): add the entry.
  const doc = parseDocument(text);
  const list = doc.get(entry.key);
  if (list === undefined || list === null) {
    // Appended as text, so comments and scaffold markers stay where they are.
    const body = text.endsWith('\n') || text === '' ? text : text + eol;
    return `${body}${[`${entry.key}:`, ...entry.item].join(eol)}${eol}`;
  }
  if (!isSeq(list)) throw new KustomizationEditError(path, `'${entry.key}' is not a list`);
  list.add(doc.createNode(entry.value));
  return doc.toString({ indentSeq: false });
}

function listOf(text: string, path: string, key: string): unknown[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new KustomizationEditError(path, `it is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new KustomizationEditError(path, 'it is not a YAML mapping');
  const value: unknown = doc.toJS()?.[key];
  return Array.isArray(value) ? value : [];
}
