import type { ObjectStore } from '../object-store.js';
import type { Obj } from '../registry.js';

/** What a SubjectAccessReview asks: who, and either a non-resource URL or a resource. */
export interface AccessAttributes {
  user: string;
  groups: string[];
  nonResource?: { path: string; verb: string };
  resource?: { namespace?: string; verb: string; group: string; resource: string; subresource?: string; name?: string };
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

const RBAC = 'rbac.authorization.k8s.io';

function has(list: string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes('*') || list.includes(value));
}

/** '/metrics' matches '/metrics' and '/metrics*' and '*'; a trailing '*' is the only wildcard, as in RBAC. */
function urlMatches(patterns: string[] | undefined, path: string): boolean {
  return (patterns ?? []).some((p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))));
}

function resourceMatches(rule: PolicyRule, r: NonNullable<AccessAttributes['resource']>): boolean {
  if (!has(rule.apiGroups, r.group)) return false;
  const combined = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  const resources = rule.resources ?? [];
  if (!resources.some((x) => x === '*' || x === combined || (r.subresource !== undefined && x === `*/${r.subresource}`))) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (r.name !== undefined && names.includes(r.name));
}

function ruleAllows(rule: PolicyRule, attrs: AccessAttributes): boolean {
  if (attrs.nonResource) return has(rule.verbs, attrs.nonResource.verb) && urlMatches(rule.nonResourceURLs, attrs.nonResource.path);
  const r = attrs.resource!;
  return has(rule.verbs, r.verb) && resourceMatches(rule, r);
}

function subjectMatches(subject: Subject, attrs: AccessAttributes, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === attrs.user;
    case 'Group':
      return attrs.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace ?? bindingNamespace;
      return namespace !== undefined && attrs.user === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string | undefined): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount "${subject.name}/${subject.namespace ?? bindingNamespace ?? ''}"`;
  return `${subject.kind} "${subject.name}"`;
}

/**
 * Decides a SubjectAccessReview from the stored RBAC objects, the way the real server's RBAC authorizer does for
 * the cases it covers: members of system:masters may do anything; otherwise a ClusterRoleBinding (any request) or
 * a RoleBinding in the request's namespace (namespaced resource requests only) must bind the user, one of its
 * groups or its ServiceAccount to a role with a matching rule. Rules match verbs, API groups, resources
 * (`res/sub`; `*` alone or before `/sub`), resourceNames, and nonResourceURLs with a trailing `*`. Not modelled: aggregated
 * ClusterRoles (their aggregationRule is not evaluated; only the rules stored on them count), escalation checks,
 * the Node authorizer, and `extra`/uid.
 */
export function authorize(store: ObjectStore, attrs: AccessAttributes): { allowed: boolean; reason?: string } {
  if (attrs.groups.includes('system:masters')) return { allowed: true };
  const bindings: Array<{ kind: string; binding: Obj }> = store.list(`clusterrolebindings.${RBAC}`).map((binding) => ({ kind: 'ClusterRoleBinding', binding }));
  const namespace = attrs.resource?.namespace;
  if (namespace) for (const binding of store.list(`rolebindings.${RBAC}`, namespace)) bindings.push({ kind: 'RoleBinding', binding });
  for (const { kind, binding } of bindings) {
    const meta = binding.metadata as { name: string; namespace?: string };
    const subjects = (binding.subjects as Subject[] | undefined) ?? [];
    const subject = subjects.find((s) => subjectMatches(s, attrs, meta.namespace));
    if (!subject) continue;
    const roleRef = binding.roleRef as { kind: string; name: string } | undefined;
    if (!roleRef) continue;
    const role = roleRef.kind === 'ClusterRole' ? store.get(`clusterroles.${RBAC}`, undefined, roleRef.name) : store.get(`roles.${RBAC}`, meta.namespace, roleRef.name);
    const rules = (role?.rules as PolicyRule[] | undefined) ?? [];
    if (!rules.some((rule) => ruleAllows(rule, attrs))) continue;
    const bindingName = kind === 'RoleBinding' ? `${meta.name}/${meta.namespace ?? ''}` : meta.name;
    return { allowed: true, reason: `RBAC: allowed by ${kind} "${bindingName}" of ${roleRef.kind} "${roleRef.name}" to ${describeSubject(subject, meta.namespace)}` };
  }
  return { allowed: false };
}
