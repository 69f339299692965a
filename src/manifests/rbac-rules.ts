/**
 * ClusterRole rules and their merging. Kept apart from the reading of controllers (rbac.ts), which
 * needs ts-morph: create api merges a new controller's rules into role.yaml without loading TypeScript.
 */
/** A rule as the ClusterRole writes it. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

/** A rule as a controller declares it in its `rbac` export. */
export interface DeclaredRule {
  groups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/**
 * Merges rules the way controller-gen does: verbs are unioned per (group, resource, resourceNames),
 * then resources with identical group, names and verbs share one rule. Everything is sorted, so the
 * output does not depend on the order controllers were read in.
 */
export function mergeRules(rules: DeclaredRule[]): PolicyRule[] {
  const verbsByAtom = new Map<string, Set<string>>();
  for (const rule of rules) {
    const names = [...new Set(rule.resourceNames ?? [])].sort().join(',');
    for (const group of rule.groups) {
      for (const resource of rule.resources) {
        const key = JSON.stringify([group, names, resource]);
        const verbs = verbsByAtom.get(key) ?? new Set<string>();
        for (const v of rule.verbs) verbs.add(v);
        verbsByAtom.set(key, verbs);
      }
    }
  }
  const grouped = new Map<string, { group: string; names: string; verbs: string[]; resources: string[] }>();
  for (const [key, verbSet] of verbsByAtom) {
    const [group, names, resource] = JSON.parse(key) as [string, string, string];
    const verbs = verbSet.has('*') ? ['*'] : [...verbSet].sort();
    const gkey = JSON.stringify([group, names, verbs]);
    const entry = grouped.get(gkey) ?? { group, names, verbs, resources: [] };
    entry.resources.push(resource);
    grouped.set(gkey, entry);
  }
  const out = [...grouped.values()].map((g) => {
    const rule: PolicyRule = { apiGroups: [g.group], resources: g.resources.sort(), verbs: g.verbs };
    if (g.names !== '') rule.resourceNames = g.names.split(',');
    return rule;
  });
  const sortKey = (r: PolicyRule): string => JSON.stringify([r.apiGroups[0], r.resources, r.resourceNames ?? [], r.verbs]);
  return out.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

export function clusterRole(rules: PolicyRule[], annotations: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'manager-role', annotations: { ...annotations } },
    rules,
  };
}
