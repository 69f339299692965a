import { BundleError } from './errors.js';
import type { KubeObject } from './render.js';

/** One entry of a CSV's `spec.webhookdefinitions` (OLM's WebhookDescription). */
export interface WebhookDefinition {
  type: 'ValidatingAdmissionWebhook' | 'MutatingAdmissionWebhook' | 'ConversionWebhook';
  generateName: string;
  deploymentName: string;
  containerPort: number;
  targetPort?: number | string;
  webhookPath?: string;
  admissionReviewVersions: string[];
  sideEffects: string;
  failurePolicy?: string;
  matchPolicy?: string;
  objectSelector?: unknown;
  rules?: unknown[];
  timeoutSeconds?: number;
  reinvocationPolicy?: string;
  conversionCRDs?: string[];
  [field: string]: unknown;
}

export const WEBHOOK_TYPES: readonly WebhookDefinition['type'][] = ['ValidatingAdmissionWebhook', 'MutatingAdmissionWebhook', 'ConversionWebhook'];

export interface BundleWebhooks {
  /** Sorted by generateName, as Operator SDK sorts them. */
  definitions: WebhookDefinition[];
  /** The Services the webhooks are called through: OLM creates `<deploymentName>-service` instead. */
  services: Set<KubeObject>;
}

interface ServiceRef { name: string; namespace?: string; path?: string; port?: number }
interface ClientConfig { service?: ServiceRef; url?: string }
interface AdmissionWebhook {
  name: string;
  clientConfig?: ClientConfig;
  admissionReviewVersions?: string[];
  sideEffects?: string;
  failurePolicy?: string;
  matchPolicy?: string;
  objectSelector?: unknown;
  rules?: unknown[];
  timeoutSeconds?: number;
  reinvocationPolicy?: string;
}
interface ServicePort { port: number; targetPort?: number | string }
interface CrdConversion { strategy?: string; webhook?: { clientConfig?: ClientConfig; conversionReviewVersions?: string[] } }

const CONFIG_TYPES: Record<string, WebhookDefinition['type']> = {
  MutatingWebhookConfiguration: 'MutatingAdmissionWebhook',
  ValidatingWebhookConfiguration: 'ValidatingAdmissionWebhook',
};

/**
 * Turns the rendered webhook configurations and the CRDs converted by webhook into CSV
 * webhookdefinitions, as Operator SDK's `generate bundle` does: OLM creates the Service, the serving
 * certificate and the webhook configurations (or the CRD's conversion client config) from them.
 * The deployment is the one the webhook's Service selects; the ports are the Service port the
 * webhook names (443 when unset) and its targetPort.
 */
export function bundleWebhooks(objects: KubeObject[], deployments: KubeObject[]): BundleWebhooks {
  const services = new Set<KubeObject>();
  const definitions: WebhookDefinition[] = [];
  const target = (where: string, config: ClientConfig | undefined) => {
    const ref = config?.service;
    if (ref === undefined) {
      throw new BundleError(`${where} is called by URL (clientConfig.url ${JSON.stringify(config?.url ?? null)}), and OLM serves bundle webhooks only through a Deployment of the bundle`, {
        hint: 'point clientConfig.service at the webhook Service in front of the manager (config/webhook/service.yaml), or leave the webhook out of config/default',
      });
    }
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === ref.name && (ref.namespace === undefined || o.metadata.namespace === undefined || o.metadata.namespace === ref.namespace));
    if (!service) {
      throw new BundleError(`${where} calls Service ${ref.namespace ?? ''}${ref.namespace ? '/' : ''}${ref.name}, which config/default does not render`, {
        hint: 'keep ../webhook in the resources of config/default/kustomization.yaml (create webhook adds it)',
      });
    }
    const spec = (service.spec ?? {}) as { selector?: Record<string, string>; ports?: ServicePort[] };
    const selector = Object.entries(spec.selector ?? {});
    const deployment = selector.length === 0 ? undefined : deployments.find((d) => {
      const labels = (d.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels ?? {};
      return selector.every(([k, v]) => labels[k] === v);
    });
    if (!deployment) {
      throw new BundleError(`${where}: Service ${ref.name} selects no rendered Deployment (selector ${JSON.stringify(spec.selector ?? {})})`, {
        hint: 'give the webhook Service the selector of the manager\'s pod labels (control-plane: controller-manager)',
      });
    }
    const wanted = ref.port ?? 443;
    const port = (spec.ports ?? []).find((p) => p.port === wanted);
    if (!port) {
      throw new BundleError(`${where} calls port ${wanted} of Service ${ref.name}, which has no such port (${(spec.ports ?? []).map((p) => p.port).join(', ') || 'none'})`, {
        hint: `add port ${wanted} to the Service, or set clientConfig.service.port to one of its ports`,
      });
    }
    services.add(service);
    return { deploymentName: deployment.metadata.name, containerPort: port.port, targetPort: port.targetPort ?? port.port, path: ref.path };
  };

  for (const config of objects) {
    const type = CONFIG_TYPES[config.kind];
    if (type === undefined) continue;
    for (const webhook of (config.webhooks as AdmissionWebhook[] | undefined) ?? []) {
      const to = target(`${config.kind}/${config.metadata.name} webhook ${webhook.name}`, webhook.clientConfig);
      definitions.push(compact({
        type,
        generateName: webhook.name,
        deploymentName: to.deploymentName,
        containerPort: to.containerPort,
        targetPort: to.targetPort,
        webhookPath: to.path,
        // Both are required by admissionregistration/v1; the fallbacks are what controller-gen writes.
        admissionReviewVersions: webhook.admissionReviewVersions ?? ['v1'],
        sideEffects: webhook.sideEffects ?? 'None',
        failurePolicy: webhook.failurePolicy,
        matchPolicy: webhook.matchPolicy,
        objectSelector: webhook.objectSelector,
        rules: webhook.rules,
        timeoutSeconds: webhook.timeoutSeconds,
        reinvocationPolicy: type === 'MutatingAdmissionWebhook' ? webhook.reinvocationPolicy : undefined,
      }));
    }
  }

  // CRDs served by the same Service port and path share one definition, as Operator SDK groups them.
  const conversions = new Map<string, { to: ReturnType<typeof target>; crds: string[]; reviewVersions: string[] }>();
  for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const conversion = (crd.spec as { conversion?: CrdConversion } | undefined)?.conversion;
    if (conversion?.strategy !== 'Webhook') continue;
    const to = target(`CustomResourceDefinition/${crd.metadata.name} conversion`, conversion.webhook?.clientConfig);
    const key = JSON.stringify([to.deploymentName, to.containerPort, to.path]);
    const group = conversions.get(key) ?? { to, crds: [], reviewVersions: conversion.webhook?.conversionReviewVersions ?? ['v1'] };
    group.crds.push(crd.metadata.name);
    conversions.set(key, group);
  }
  for (const { to, crds, reviewVersions } of conversions.values()) {
    crds.sort();
    definitions.push(compact({
      type: 'ConversionWebhook',
      // Operator SDK's name: `c` + the plural of every CRD + `.kb.io`.
      generateName: `c${crds.map((n) => n.split('.')[0]).join('')}.kb.io`,
      deploymentName: to.deploymentName,
      containerPort: to.containerPort,
      targetPort: to.targetPort,
      webhookPath: to.path,
      admissionReviewVersions: reviewVersions,
      sideEffects: 'None',
      conversionCRDs: crds,
    }));
  }
  definitions.sort((a, b) => (a.generateName < b.generateName ? -1 : a.generateName > b.generateName ? 1 : 0));
  return { definitions, services };
}

/**
 * The Deployment spec without the volumes of the Secrets cert-manager would issue (and their
 * mounts): OLM installs no Certificate, so the Secret would never exist and the pod would not
 * start; OLM mounts its own serving certificate at the webhook cert directory instead.
 */
export function withoutCertVolumes(spec: unknown, secretNames: ReadonlySet<string>): unknown {
  type Container = { volumeMounts?: Array<{ name: string }> };
  type Pod = { volumes?: Array<{ name: string; secret?: { secretName?: string } }>; containers?: Container[]; initContainers?: Container[] };
  const pod = (spec as { template?: { spec?: Pod } } | undefined)?.template?.spec;
  const dropped = new Set((pod?.volumes ?? []).filter((v) => v.secret?.secretName !== undefined && secretNames.has(v.secret.secretName)).map((v) => v.name));
  if (dropped.size === 0) return spec;
  const copy = structuredClone(spec) as { template: { spec: Pod } };
  const p = copy.template.spec;
  p.volumes = p.volumes!.filter((v) => !dropped.has(v.name));
  for (const c of [...(p.containers ?? []), ...(p.initContainers ?? [])]) {
    if (c.volumeMounts) c.volumeMounts = c.volumeMounts.filter((m) => !dropped.has(m.name));
  }
  return copy;
}

function compact(definition: Record<string, unknown>): WebhookDefinition {
  return Object.fromEntries(Object.entries(definition).filter(([, v]) => v !== undefined)) as WebhookDefinition;
}
