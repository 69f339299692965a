import { ManifestError } from './errors.js';
import { CRD_BASES_DIR, crdFileName } from '../project/layout.js';
import type { RootType } from './root-types.js';
import type { JSONSchemaProps } from './schema.js';

export const GENERATED_BY_ANNOTATION = { 'operator-ts.io/generated-by': 'operator-ts' };

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema: { openAPIV3Schema: JSONSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: Record<string, string> };
  additionalPrinterColumns?: Array<Record<string, unknown>>;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: CrdVersion[];
    conversion?: CrdConversion;
  };
}

/** spec.conversion of a kind whose versions a webhook converts (see webhooks.ts). */
export interface CrdConversion {
  strategy: 'Webhook';
  webhook: { clientConfig: { service: { name: string; namespace: string; path: string } }; conversionReviewVersions: ['v1'] };
}

/** The CRD with `conversion` as its spec.conversion, or none (the server's default, None) when undefined. */
export function withConversion(crd: CustomResourceDefinition, conversion: CrdConversion | undefined): CustomResourceDefinition {
  const { conversion: _previous, ...spec } = crd.spec;
  return { ...crd, spec: conversion ? { ...spec, conversion } : spec };
}

/** One CRD per group and kind, its versions ordered as Kubernetes ranks them (v1 > v1beta1 > v1alpha1). */
export function buildCrds(roots: RootType[]): Array<{ path: string; crd: CustomResourceDefinition }> {
  const byKind = new Map<string, RootType[]>();
  for (const root of roots) {
    const key = `${root.group}/${root.kind}`;
    byKind.set(key, [...(byKind.get(key) ?? []), root]);
  }
  const out: Array<{ path: string; crd: CustomResourceDefinition }> = [];
  for (const key of [...byKind.keys()].sort()) {
    const versions = byKind.get(key)!.sort((a, b) => compareVersions(a.version, b.version));
    const crd = buildCrd(versions);
    out.push({ path: `${CRD_BASES_DIR}/${crdFileName(crd.spec.group, crd.spec.names.plural)}`, crd });
  }
  return out;
}

function buildCrd(versions: RootType[]): CustomResourceDefinition {
  const first = versions[0]!;
  const where = (r: RootType): string => `${r.location.file}:${r.location.line}`;
  for (let i = 1; i < versions.length; i++) {
    const v = versions[i]!;
    if (v.version === versions[i - 1]!.version) {
      throw new ManifestError(`${v.kind} ${v.group}/${v.version} is declared twice (also at ${where(versions[i - 1]!)})`, {
        location: v.location, hint: 'Keep one root type per group, version and kind.',
      });
    }
    for (const field of ['plural', 'scope'] as const) {
      if (v[field] !== first[field]) {
        throw new ManifestError(`${v.kind} ${v.version} has ${field} '${v[field]}' but ${first.version} (${where(first)}) has '${first[field]}'`, {
          location: v.location, hint: `All versions of a kind share one ${field}; make the tags agree.`,
        });
      }
    }
  }
  const storage = pickStorage(versions);
  const shortNames = agreedList(versions, 'shortNames');
  const categories = agreedList(versions, 'categories');
  const names: CustomResourceDefinition['spec']['names'] = {
    kind: first.kind, listKind: `${first.kind}List`, plural: first.plural, singular: first.kind.toLowerCase(),
  };
  if (shortNames.length > 0) names.shortNames = shortNames;
  if (categories.length > 0) names.categories = categories;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${first.plural}.${first.group}`, annotations: { ...GENERATED_BY_ANNOTATION } },
    spec: { group: first.group, names, scope: first.scope, versions: versions.map((v) => crdVersion(v, v === storage)) },
  };
}

function pickStorage(versions: RootType[]): RootType {
  const marked = versions.filter((v) => v.tags.storageVersion);
  if (versions.length === 1) return versions[0]!;
  if (marked.length === 1) return marked[0]!;
  const list = (marked.length === 0 ? versions : marked).map((v) => `${v.version} (${v.location.file}:${v.location.line})`).join(', ');
  const first = versions[0]!;
  throw new ManifestError(
    marked.length === 0
      ? `${first.kind} has ${versions.length} versions but none is marked @storageversion: ${list}`
      : `${first.kind} has ${marked.length} versions marked @storageversion: ${list}`,
    { location: (marked[1] ?? first).location, hint: 'Put @storageversion on exactly one version of the kind.' },
  );
}

/** Short names and categories are per kind: versions may leave them out, but may not disagree. */
function agreedList(versions: RootType[], field: 'shortNames' | 'categories'): string[] {
  let agreed: RootType | undefined;
  for (const v of versions) {
    if (v.tags[field].length === 0) continue;
    if (agreed && agreed.tags[field].join(',') !== v.tags[field].join(',')) {
      throw new ManifestError(`${v.kind} ${v.version} lists ${field} [${v.tags[field].join(', ')}] but ${agreed.version} lists [${agreed.tags[field].join(', ')}]`, {
        location: v.location, hint: `Give every version the same ${field}, or set them on one version only.`,
      });
    }
    agreed ??= v;
  }
  return agreed ? [...agreed.tags[field]] : [];
}

function crdVersion(root: RootType, storage: boolean): CrdVersion {
  const v: CrdVersion = { name: root.version, served: true, storage, schema: { openAPIV3Schema: root.schema } };
  if (root.tags.deprecated) {
    v.deprecated = true;
    if (root.tags.deprecated.warning) v.deprecationWarning = root.tags.deprecated.warning;
  }
  const sub: NonNullable<CrdVersion['subresources']> = {};
  if (root.tags.status) sub.status = {};
  if (root.tags.scale) sub.scale = { ...root.tags.scale };
  if (sub.status || sub.scale) v.subresources = sub;
  if (root.tags.printColumns.length > 0) v.additionalPrinterColumns = root.tags.printColumns.map((c) => ({ ...c }));
  return v;
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first; as a sort comparator. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}
