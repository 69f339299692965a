import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, type CrdVersion, type CustomResourceDefinition } from '../manifests/crd.js';
import type { DeclaredRule } from '../manifests/rbac-rules.js';
import { packageRoot } from './package-info.js';

/**
 * The CRD and controller rules of a freshly scaffolded API, derived at build time (scripts/derive-api-manifests.mjs)
 * by running the manifests generator on the api templates rendered with sentinel names. Filling them in costs
 * microseconds, where running the generator costs a second of TypeScript; the build checks that they reproduce
 * the generator's output byte for byte.
 */
export interface DerivedApiManifests {
  /** sha256 of each source template (path under templates/), to notice templates changed since the build. */
  templates: Record<string, string>;
  /** The CRD with `{{kind}}`, `{{plural}}`, `{{singular}}`, `{{fullGroup}}`, `{{version}}`, `{{scope}}`, `{{storage}}`. */
  crd: unknown;
  /** The controller's `rbac` rules with the same placeholders. */
  rbac: unknown[];
}

/** The names a new API fills the placeholders with. */
export interface ApiValues {
  kind: string;
  plural: string;
  fullGroup: string;
  version: string;
  namespaced: boolean;
  storage: boolean;
}

export const DERIVED_API_MANIFESTS = 'dist/derived/api-manifests.json';

/** The templates the derived manifests come from, relative to templates/. */
export const SOURCE_TEMPLATES = [
  'api/resource/src/api/{{version}}/{{lowerKind}}.types.ts.hbs',
  'api/controller/src/controllers/{{lowerKind}}.controller.ts.hbs',
] as const;

export function templateDigest(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The derived manifests of this installation, or undefined when there are none (not built) or the templates
 * changed since they were derived: then only the generator itself gives the right answer.
 */
export function loadDerivedApiManifests(root = packageRoot()): DerivedApiManifests | undefined {
  let derived: DerivedApiManifests;
  try {
    derived = JSON.parse(readFileSync(join(root, DERIVED_API_MANIFESTS), 'utf8')) as DerivedApiManifests;
    for (const template of SOURCE_TEMPLATES) {
      if (derived.templates[template] !== templateDigest(readFileSync(join(root, 'templates', template)))) return undefined;
    }
  } catch {
    return undefined;
  }
  return derived;
}

const PLACEHOLDER = /\{\{(kind|plural|singular|fullGroup|version)\}\}/g;

/** A deep copy of `template` with every placeholder filled in. */
export function instantiate(template: unknown, values: ApiValues): unknown {
  if (typeof template === 'string') {
    if (template === '{{scope}}') return values.namespaced ? 'Namespaced' : 'Cluster';
    if (template === '{{storage}}') return values.storage;
    const names: Record<string, string> = {
      kind: values.kind, plural: values.plural, singular: values.kind.toLowerCase(), fullGroup: values.fullGroup, version: values.version,
    };
    return template.replace(PLACEHOLDER, (_, name: string) => names[name]!);
  }
  if (Array.isArray(template)) return template.map((item) => instantiate(item, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, instantiate(value, values)]));
  }
  return template;
}

export function crdFor(derived: DerivedApiManifests, values: ApiValues): CustomResourceDefinition {
  return instantiate(derived.crd, values) as CustomResourceDefinition;
}

export function rulesFor(derived: DerivedApiManifests, values: Pick<ApiValues, 'kind' | 'plural' | 'fullGroup' | 'version'>): DeclaredRule[] {
  return instantiate(derived.rbac, { ...values, namespaced: true, storage: false }) as DeclaredRule[];
}

/** The CRD with one more version, placed where the generator ranks it (see compareVersions). */
export function withVersion(crd: CustomResourceDefinition, version: CrdVersion): CustomResourceDefinition {
  const versions = [...crd.spec.versions, version].sort((a, b) => compareVersions(a.name, b.name));
  return { ...crd, spec: { ...crd.spec, versions } };
}
