import { pluralize } from '../scaffold/names.js';

/**
 * The default plural of a kind: the same rule `create api` uses, so the CRD file the generator writes is the
 * one the CLI put in the kustomization. Irregular plurals are set with @plural.
 */
export function defaultPlural(kind: string): string {
  return pluralize(kind.toLowerCase());
}
