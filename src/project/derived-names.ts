import { ValidationError } from '../errors.js';
import { MAX_LABEL_LENGTH, MAX_SUBDOMAIN_LENGTH, isDns1123Label, isDns1123Subdomain } from '../kubernetes-names.js';
import { leaderElectionId } from './leader-election-id.js';

/**
 * Names a project's manifests derive from its project name and domain. `init` checks each one against the rule
 * Kubernetes applies to it, so a valid project name can never produce an object the API server refuses.
 */
export const MANAGER_NAMESPACE_SUFFIX = '-system';
/** The Deployment and ServiceAccount in config/manager and config/rbac, before kustomize adds the name prefix. */
export const MANAGER_NAME = 'controller-manager';

export function managerNamespace(projectName: string): string {
  return `${projectName}${MANAGER_NAMESPACE_SUFFIX}`;
}

interface DerivedName {
  what: string;
  value: string;
  rule: 'DNS-1123 label' | 'DNS-1123 subdomain';
  /** How many characters of the input the rest of the name leaves. */
  inputBudget: number;
  input: '--project-name' | '--domain';
}

function derivedNames(projectName: string, domain: string): DerivedName[] {
  const id = leaderElectionId(projectName, domain);
  const manager = `${projectName}-${MANAGER_NAME}`;
  return [
    {
      what: 'the manager namespace', value: managerNamespace(projectName), rule: 'DNS-1123 label',
      inputBudget: MAX_LABEL_LENGTH - MANAGER_NAMESPACE_SUFFIX.length, input: '--project-name',
    },
    {
      what: 'the manager Deployment and ServiceAccount', value: manager, rule: 'DNS-1123 subdomain',
      inputBudget: MAX_SUBDOMAIN_LENGTH - (manager.length - projectName.length), input: '--project-name',
    },
    {
      what: 'the leader-election Lease', value: id, rule: 'DNS-1123 subdomain',
      inputBudget: MAX_SUBDOMAIN_LENGTH - (id.length - domain.length), input: '--domain',
    },
  ];
}

/** Throws a ValidationError naming the first derived name that breaks its rule, and the longest input that fits. */
export function validateDerivedNames(projectName: string, domain: string): void {
  for (const name of derivedNames(projectName, domain)) {
    const ok = name.rule === 'DNS-1123 label' ? isDns1123Label(name.value) : isDns1123Subdomain(name.value);
    if (ok) continue;
    const input = name.input === '--project-name' ? projectName : domain;
    const limit = name.rule === 'DNS-1123 label' ? MAX_LABEL_LENGTH : MAX_SUBDOMAIN_LENGTH;
    throw new ValidationError(
      `${name.input === '--project-name' ? 'project name' : 'domain'} '${input}' (${input.length} characters) makes ${name.what} '${name.value}' ${name.value.length} characters long, but it must be a ${name.rule} of at most ${limit}; ${name.input} can have at most ${name.inputBudget} characters.`,
      { hint: `choose a shorter value, for example ${name.input} ${name.input === '--project-name' ? 'memcached-operator' : 'example.com'}` },
    );
  }
}

/** A CRD is named `<plural>.<group>`, which must be a DNS-1123 subdomain even when each part is valid alone. */
export function validateCrdName(plural: string, fullGroup: string): void {
  const name = `${plural}.${fullGroup}`;
  if (isDns1123Subdomain(name)) return;
  throw new ValidationError(
    `the CRD name '${name}' (plural '${plural}' + '.' + group '${fullGroup}') is ${name.length} characters long, but it must be a DNS-1123 subdomain of at most ${MAX_SUBDOMAIN_LENGTH}.`,
    { hint: `choose a shorter --plural or --group (the group and plural together can have at most ${MAX_SUBDOMAIN_LENGTH - 1} characters)` },
  );
}
