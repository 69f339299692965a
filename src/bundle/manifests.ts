import { BundleError } from './errors.js';
import { titleCase, type Csv, type OwnedCrd } from './base-csv.js';
import { csvName } from './names.js';
import type { KubeObject } from './render.js';
import { bundleWebhooks, withoutCertVolumes, type WebhookDefinition } from './webhooks.js';

/** Kinds OLM installs from a registry+v1 bundle's manifests/ besides the CSV (operator-registry's supported list). */
const OLM_KINDS: ReadonlySet<string> = new Set([
  'CustomResourceDefinition', 'Secret', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'ServiceAccount', 'Service', 'Role',
  'RoleBinding', 'PrometheusRule', 'ServiceMonitor', 'PodDisruptionBudget', 'PriorityClass', 'VerticalPodAutoscaler',
  'ConsoleYAMLSample', 'ConsoleQuickStart', 'ConsoleCLIDownload', 'ConsoleLink',
]);

export interface BundleManifests {
  csv: Csv;
  /** Objects written next to the CSV, with their bundle file names. */
  files: Array<{ name: string; object: KubeObject }>;
  /** Rendered objects OLM does not install from a bundle, as `Kind/name: why`. */
  skipped: string[];
}

interface PolicyRule { [field: string]: unknown }
interface Binding extends KubeObject { roleRef?: { kind: string; name: string }; subjects?: Array<{ kind: string; name: string; namespace?: string }> }

/**
 * Turns the rendered config/default into a CSV plus separate manifests, as Operator SDK does: every
 * Deployment becomes the `deployment` install strategy; Roles and ClusterRoles bound to a Deployment's
 * service account become `permissions` / `clusterPermissions` (OLM creates the account and the
 * bindings); CRDs become files and `owned` entries; webhook configurations and CRDs converted by
 * webhook become `webhookdefinitions` (OLM makes the Service and the certificate, so the webhook
 * Service, cert-manager's objects and the Deployment's volume of their Secret are left out); other
 * kinds OLM accepts become files.
 */
export function bundleManifests(objects: KubeObject[], base: Csv, opts: { packageName: string; version: string; examples: unknown[] }): BundleManifests {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  if (deployments.length === 0) {
    throw new BundleError('config/default renders no Deployment, so the CSV would have no install strategy', {
      hint: 'keep ../manager in the resources of config/default/kustomization.yaml',
    });
  }
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  if (crds.length === 0) {
    throw new BundleError('config/default renders no CustomResourceDefinition: the bundle would own no API', {
      hint: 'uncomment `- ../crd` in config/default/kustomization.yaml (create api does this) and run `npm run manifests`',
    });
  }
  const accounts = new Set(deployments.map((d) => serviceAccountOf(d)));
  const used = new Set<KubeObject>();
  const permissions = new Map<string, PolicyRule[]>();
  const clusterPermissions = new Map<string, PolicyRule[]>();
  for (const binding of objects.filter((o): o is Binding => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    const subjects = (binding.subjects ?? []).filter((s) => s.kind === 'ServiceAccount' && accounts.has(s.name));
    if (subjects.length === 0 || !binding.roleRef) continue;
    const role = objects.find((o) => o.kind === binding.roleRef!.kind && o.metadata.name === binding.roleRef!.name);
    if (!role) continue;
    // A ClusterRole bound by a RoleBinding grants its rules in one namespace only: a permission, not a cluster permission.
    const target = binding.kind === 'ClusterRoleBinding' ? clusterPermissions : permissions;
    for (const s of subjects) target.set(s.name, [...(target.get(s.name) ?? []), ...((role.rules as PolicyRule[] | undefined) ?? [])]);
    used.add(binding);
    used.add(role);
  }
  const baseOwned = base.spec.customresourcedefinitions?.owned ?? [];
  const owned = crds.flatMap((crd) => ownedEntries(crd, baseOwned));
  const webhooks = bundleWebhooks(objects, deployments);
  const certSecrets = new Set(objects.filter(isCertManager).map((o) => (o.spec as { secretName?: string } | undefined)?.secretName).filter((n): n is string => n !== undefined));
  const manager = deployments.find((d) => d.metadata.labels?.['control-plane'] === 'controller-manager') ?? deployments[0]!;
  const install: Record<string, unknown> = {
    deployments: deployments.map((d) => ({ name: d.metadata.name, ...(d.metadata.labels ? { label: d.metadata.labels } : {}), spec: withoutCertVolumes(d.spec, certSecrets) })),
  };
  if (permissions.size > 0) install.permissions = [...permissions].map(([serviceAccountName, rules]) => ({ rules, serviceAccountName }));
  if (clusterPermissions.size > 0) install.clusterPermissions = [...clusterPermissions].map(([serviceAccountName, rules]) => ({ rules, serviceAccountName }));

  const csv: Csv = structuredClone(base);
  csv.metadata.name = csvName(opts.packageName, opts.version);
  csv.metadata.annotations = { ...csv.metadata.annotations, 'alm-examples': JSON.stringify(opts.examples, null, 2) };
  const image = managerImage(manager);
  if (image !== undefined) csv.metadata.annotations.containerImage = image;
  csv.spec.version = opts.version;
  csv.spec.install = { strategy: 'deployment', spec: install };
  csv.spec.customresourcedefinitions = { ...csv.spec.customresourcedefinitions, owned };
  if (webhooks.definitions.length > 0) csv.spec.webhookdefinitions = mergeWebhookDefinitions(webhooks.definitions, base.spec.webhookdefinitions);

  const files: BundleManifests['files'] = [];
  const skipped: string[] = [];
  for (const o of objects) {
    if (o.kind === 'Deployment' || used.has(o)) continue;
    if (o.kind === 'ServiceAccount' && accounts.has(o.metadata.name)) continue;
    const why = webhooks.services.has(o) ? 'OLM creates its own Service for the CSV\'s webhookdefinitions'
      : isCertManager(o) && webhooks.definitions.length > 0 ? 'OLM issues and rotates the webhook serving certificate itself'
        : o.kind === 'MutatingWebhookConfiguration' || o.kind === 'ValidatingWebhookConfiguration' ? 'its webhooks are the CSV\'s webhookdefinitions'
          : undefined;
    if (why !== undefined) {
      skipped.push(`${o.kind}/${o.metadata.name}: ${why}`);
      continue;
    }
    if (!OLM_KINDS.has(o.kind)) {
      skipped.push(`${o.kind}/${o.metadata.name}: ${o.kind === 'Namespace' ? 'OLM installs into the namespace its OperatorGroup names' : 'OLM does not install this kind from a bundle'}`);
      continue;
    }
    files.push({ name: fileName(o), object: withoutNamespace(o) });
  }
  return { csv, files, skipped };
}

/** One owned entry per served version; a matching entry in the base CSV keeps its displayName, description and descriptors. */
function ownedEntries(crd: KubeObject, baseOwned: OwnedCrd[]): OwnedCrd[] {
  const spec = crd.spec as { names: { kind: string }; versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: { description?: string } } }> };
  return spec.versions.filter((v) => v.served).map((v) => {
    const generated: OwnedCrd = {
      name: crd.metadata.name,
      version: v.name,
      kind: spec.names.kind,
      displayName: titleCase(spec.names.kind),
      description: v.schema?.openAPIV3Schema?.description ?? '',
    };
    const edited = baseOwned.find((o) => o.name === generated.name && o.version === generated.version);
    return edited ? { ...generated, ...edited, name: generated.name, version: generated.version, kind: generated.kind } : generated;
  });
}

/**
 * The generated definitions, each overridden by the fields a base CSV entry with the same
 * generateName sets; base entries with no generated counterpart are kept, as written.
 */
function mergeWebhookDefinitions(generated: WebhookDefinition[], base: unknown): WebhookDefinition[] {
  const edited = Array.isArray(base) ? (base as WebhookDefinition[]).filter((d) => d !== null && typeof d === 'object') : [];
  const merged = generated.map((g) => ({ ...g, ...edited.find((e) => e.generateName === g.generateName) }));
  return [...merged, ...edited.filter((e) => !generated.some((g) => g.generateName === e.generateName))];
}

/** cert-manager's Issuer, ClusterIssuer and Certificate: OLM installs none of them from a bundle. */
function isCertManager(o: KubeObject): boolean {
  return o.apiVersion.startsWith('cert-manager.io/');
}

function serviceAccountOf(deployment: KubeObject): string {
  const pod = (deployment.spec as { template?: { spec?: { serviceAccountName?: string } } }).template?.spec;
  return pod?.serviceAccountName ?? 'default';
}

function managerImage(deployment: KubeObject): string | undefined {
  const containers = (deployment.spec as { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } }).template?.spec?.containers ?? [];
  return (containers.find((c) => c.name === 'manager') ?? containers[0])?.image;
}

/** Operator SDK's names: `<group>_<plural>.yaml` for CRDs, `<name>_<group>_<version>_<kind>.yaml` (lower case) otherwise. */
function fileName(o: KubeObject): string {
  if (o.kind === 'CustomResourceDefinition') {
    const spec = o.spec as { group: string; names: { plural: string } };
    return `${spec.group}_${spec.names.plural}.yaml`;
  }
  const gv = o.apiVersion.includes('/') ? o.apiVersion.replace('/', '_') : o.apiVersion;
  return `${o.metadata.name}_${gv}_${o.kind}.yaml`.toLowerCase();
}

/** OLM installs namespaced objects into the operator's namespace; the rendered one would be wrong there. */
function withoutNamespace(o: KubeObject): KubeObject {
  if (o.metadata.namespace === undefined) return o;
  const { namespace: _namespace, ...metadata } = o.metadata;
  return { ...o, metadata };
}
