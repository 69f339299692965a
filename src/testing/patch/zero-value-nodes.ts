import { FieldSet, type FieldPath } from './field-set.js';

/**
 * Containers that a built-in kind's empty Go object already has (struct-valued fields, which JSON encodes
 * even when empty, and lists encoded as null). The server compares a create against that empty object, so
 * these never "appear" and an update does not own them as such: a created Deployment's managedFields hold
 * `f:spec` without `".": {}`, while a created custom resource (an empty map to start from) owns `f:spec`.
 */
const ZERO_VALUE_NODES: Record<string, readonly string[]> = {
  'v1/Namespace': ['spec', 'status'],
  'v1/Service': ['spec', 'status', 'status.loadBalancer'],
  'v1/Event': ['involvedObject', 'source'],
  'apps/v1/Deployment': ['spec', 'spec.template', 'spec.template.metadata', 'spec.template.spec', 'spec.template.spec.containers', 'spec.strategy', 'status'],
  'coordination.k8s.io/v1/Lease': ['spec'],
  'apiextensions.k8s.io/v1/CustomResourceDefinition': ['spec', 'spec.names', 'spec.versions', 'status', 'status.acceptedNames', 'status.storedVersions'],
};

const cache = new Map<string, FieldSet>();

export function zeroValueNodes(apiVersion: unknown, kind: unknown): FieldSet {
  const key = `${String(apiVersion)}/${String(kind)}`;
  let set = cache.get(key);
  if (!set) {
    set = FieldSet.of((ZERO_VALUE_NODES[key] ?? []).map((dotted): FieldPath => dotted.split('.').map((name) => `f:${name}`)));
    cache.set(key, set);
  }
  return set;
}
