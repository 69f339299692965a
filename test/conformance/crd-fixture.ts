import { ApiextensionsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { eventually, rawRequest, uniqueSuffix, type RawResponse } from './helpers.js';
import type { ConformanceTarget } from './target.js';

/** A Widget CRD in a group unique to the run, with defaults, validation, CEL rules and a status subresource. */
export function widgetCrd(suffix = uniqueSuffix()) {
  const group = `conf${suffix}.example.com`;
  return {
    group,
    plural: 'widgets',
    kind: 'Widget',
    version: 'v1',
    apiVersion: `${group}/v1`,
    crd: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: [`wd${suffix}`] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    'x-kubernetes-validations': [
                      { rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas' },
                      { rule: 'self.mode == oldSelf.mode', message: 'mode is immutable' },
                    ],
                    properties: {
                      size: { type: 'integer', minimum: 1, maximum: 10 },
                      replicas: { type: 'integer', default: 1 },
                      maxReplicas: { type: 'integer', default: 3 },
                      mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
                      tags: { type: 'array', items: { type: 'string' } },
                    },
                  },
                  status: {
                    type: 'object',
                    properties: {
                      phase: { type: 'string' },
                      conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
  };
}

export type WidgetCrd = ReturnType<typeof widgetCrd>;

/** A namespaced, single-version CRD in a group of its own whose objects have only the given `spec` schema. */
export function specOnlyCrd(opts: { group: string; kind: string; plural: string; spec: object }) {
  const { group, kind, plural } = opts;
  return {
    group,
    apiVersion: `${group}/v1`,
    crd: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: opts.spec } } } }],
      },
    },
  };
}

/** A `Probe` CRD whose objects have only the given `spec` schema, in a group of its own: `<prefix><random>.example.com`. */
export function probeCrd(prefix: string, spec: object) {
  return specOnlyCrd({ group: `${prefix}${uniqueSuffix()}.example.com`, kind: 'Probe', plural: 'probes', spec });
}

/** Creates one Probe of `probe`'s CRD, sent as raw JSON so schema-invalid values reach the server unchanged. */
export function createProbe(target: ConformanceTarget, probe: ReturnType<typeof probeCrd>, namespace: string, name: string, spec: object): Promise<RawResponse> {
  return rawRequest(target, {
    method: 'POST',
    path: `/apis/${probe.group}/v1/namespaces/${namespace}/probes`,
    contentType: 'application/json',
    body: JSON.stringify({ apiVersion: probe.apiVersion, kind: 'Probe', metadata: { name }, spec }),
  });
}

/**
 * Posts a CRD as raw JSON. client-node's typed serializer would rename or drop schema keywords spelled as
 * in YAML (`default`, `x-kubernetes-validations`), so typed calls cannot carry a CRD written as a plain object.
 */
export async function postCrd(target: ConformanceTarget, crd: object): Promise<RawResponse> {
  return rawRequest(target, { method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', contentType: 'application/json', body: JSON.stringify(crd) });
}

/** Creates the CRD and waits for Established (the real server takes a moment; the embedded one too, possibly). */
export async function installCrd(target: ConformanceTarget, crd: object & { metadata: { name: string } }): Promise<void> {
  const created = await postCrd(target, crd);
  if (created.status !== 201) throw new Error(`creating CRD ${crd.metadata.name} answered ${created.status}: ${created.text}`);
  const api = target.kubeConfig.makeApiClient(ApiextensionsV1Api);
  await eventually(`CRD ${crd.metadata.name} Established`, async () => {
    const current = await api.readCustomResourceDefinition({ name: crd.metadata.name });
    return current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  });
}

export async function removeCrd(kubeConfig: KubeConfig, name: string): Promise<void> {
  await kubeConfig.makeApiClient(ApiextensionsV1Api).deleteCustomResourceDefinition({ name }).catch(() => undefined);
}
