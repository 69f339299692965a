import { OperatorTsError } from '../errors.js';
import { MarkerNotFoundError } from './errors.js';
import { perKindRoleFiles } from '../project/layout.js';
import { MARKERS, type MarkerName } from './markers.js';
import type { PlanBuilder } from './plan.js';

/**
 * Code that `create api` inserts into files the project already has, just above marker lines. Insertion is
 * idempotent: a fragment line already present anywhere in the file is not inserted again, so re-running with
 * --force does not duplicate wiring.
 */
export interface Insertion {
  marker: MarkerName;
  lines: string[];
}

export interface InsertionContext {
  kind: string;
  lowerKind: string;
  crdFile: string;
  sampleFile: string;
  resource: boolean;
  controller: boolean;
}

export const DEFAULT_KUSTOMIZATION = 'config/default/kustomization.yaml';

/** The kustomization line that lists a CRD file. */
export function crdKustomizationLine(crdFile: string): string {
  return `- bases/${crdFile}`;
}

export function apiInsertions(ctx: InsertionContext): Insertion[] {
  const out: Insertion[] = [];
  if (ctx.controller) {
    out.push(
      { marker: 'imports', lines: [`import { setup${ctx.kind}Controller } from './controllers/${ctx.lowerKind}.controller.js';`] },
      { marker: 'controllers', lines: [`setup${ctx.kind}Controller(manager);`] },
    );
  }
  if (ctx.resource) {
    out.push(
      { marker: 'crd', lines: [crdKustomizationLine(ctx.crdFile)] },
      { marker: 'rbac', lines: perKindRoleFiles(ctx.kind).map((file) => `- ${file}`) },
      { marker: 'samples', lines: [`- ${ctx.sampleFile}`] },
    );
  }
  return out;
}

/** Inserts `lines` above the first line containing `marker`, indented like the marker. Pure. */
export function insertAtMarker(text: string, path: string, marker: string, lines: readonly string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const fileLines = text.split(/\r?\n/);
  const at = fileLines.findIndex((l) => l.includes(marker));
  if (at < 0) throw new MarkerNotFoundError(path, marker);
  const present = new Set(fileLines.map((l) => l.trim()));
  const indent = /^\s*/.exec(fileLines[at]!)![0];
  const missing = lines.filter((l) => !present.has(l.trim()));
  if (missing.length === 0) return text;
  fileLines.splice(at, 0, ...missing.map((l) => indent + l));
  return fileLines.join(eol);
}

/** Removes every line whose trimmed text is one of `lines` (entries a changed API no longer has). Pure. */
export function removeLines(text: string, lines: readonly string[]): string {
  const drop = new Set(lines.map((l) => l.trim()));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text.split(/\r?\n/).filter((l) => !drop.has(l.trim())).join(eol);
}

/** Turns the commented `#- ../crd` line of the default kustomization into `- ../crd`. Pure and idempotent. */
export function enableCrdInDefaultKustomization(text: string, path = DEFAULT_KUSTOMIZATION): string {
  const lines = text.split(/(\r?\n)/);
  if (lines.some((l) => /^\s*-\s*\.\.\/crd\s*$/.test(l))) return text;
  const at = lines.findIndex((l) => /^\s*#\s*-\s*\.\.\/crd\s*$/.test(l));
  if (at < 0) throw new MarkerNotFoundError(path, '#- ../crd');
  lines[at] = lines[at]!.replace(/^(\s*)#\s*-/, '$1-');
  return lines.join('');
}

function requireFile(builder: PlanBuilder, path: string): string {
  const contents = builder.read(path);
  if (contents === undefined) {
    throw new OperatorTsError('EMARKER', `${path} does not exist, so create api cannot wire the new API into it.`, {
      hint: `restore ${path} (for example from version control or a fresh operator-ts init in another directory)`,
    });
  }
  return contents.toString('utf8');
}

/** Applies every insertion of an API (and enables ../crd) to the planned tree. */
export function applyApiInsertions(builder: PlanBuilder, ctx: InsertionContext): void {
  for (const ins of apiInsertions(ctx)) {
    const { path, text } = MARKERS[ins.marker];
    const before = requireFile(builder, path);
    const after = insertAtMarker(before, path, text, ins.lines);
    if (after !== before) builder.update(path, after);
  }
  if (ctx.resource) {
    const before = requireFile(builder, DEFAULT_KUSTOMIZATION);
    const after = enableCrdInDefaultKustomization(before);
    if (after !== before) builder.update(DEFAULT_KUSTOMIZATION, after);
  }
}
