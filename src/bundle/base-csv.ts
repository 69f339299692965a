import { INSTALL_MODE_TYPES, csvName } from './names.js';

/** A ClusterServiceVersion as a plain object; only the fields this package reads or writes are typed. */
export interface Csv {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; [field: string]: unknown };
  spec: {
    displayName?: string;
    description?: string;
    version?: string;
    minKubeVersion?: string;
    replaces?: string;
    installModes?: Array<{ type: string; supported: boolean }>;
    install?: { strategy?: string; spec?: Record<string, unknown> };
    customresourcedefinitions?: { owned?: OwnedCrd[]; required?: unknown[] };
    [field: string]: unknown;
  };
}

export interface OwnedCrd {
  name: string;
  version: string;
  kind: string;
  displayName?: string;
  description?: string;
  [field: string]: unknown;
}

/**
 * The base CSV `generate bundle` writes to config/manifests/bases on its first run: the fields a
 * person fills in (display name, description, icon, keywords, maintainers, provider, links, maturity,
 * install modes, minKubeVersion, replaces). Regeneration reads it back and never rewrites it.
 */
export function defaultBaseCsv(packageName: string, domain: string): Csv {
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: {
      annotations: { 'alm-examples': '[]', capabilities: 'Basic Install' },
      name: csvName(packageName, '0.0.0'),
      namespace: 'placeholder',
    },
    spec: {
      apiservicedefinitions: {},
      customresourcedefinitions: {},
      description: `${titleCase(packageName)} manages its custom resources on Kubernetes.`,
      displayName: titleCase(packageName),
      // Add { base64data: <base64 of the image>, mediatype: image/svg+xml } for the catalog's tile.
      icon: [],
      install: { spec: { deployments: null }, strategy: '' },
      // Every namespace, as the generated manager watches (ClusterRole, no namespace flag).
      installModes: INSTALL_MODE_TYPES.map((type) => ({ supported: type === 'AllNamespaces', type })),
      keywords: [packageName],
      links: [{ name: titleCase(packageName), url: `https://${domain}` }],
      maintainers: [],
      maturity: 'alpha',
      // CRDs with x-kubernetes-validations (CEL) are validated from 1.25 on, where that feature is on by default.
      minKubeVersion: '1.25.0',
      provider: { name: domain },
      version: '0.0.0',
    },
  };
}

/** `memcached-operator` → `Memcached Operator`; `StaticSite` → `Static Site`. */
export function titleCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_\s]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}
