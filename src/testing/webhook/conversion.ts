import { WebhookInstallError } from './options.js';

/** The default path of a CRD conversion webhook: where the runtime's webhook server serves ConversionReviews. */
export const CONVERT_PATH = '/convert';

interface CrdLike {
  metadata?: { name?: unknown };
  spec?: { conversion?: { strategy?: unknown; webhook?: { clientConfig?: unknown } } };
}

function nameOf(crd: object): string {
  const name = (crd as CrdLike).metadata?.name;
  return typeof name === 'string' && name !== '' ? name : '<unnamed>';
}

/** True when the CRD's versions are converted by a webhook (`spec.conversion.strategy: Webhook`). */
export function hasConversionWebhook(crd: object): boolean {
  return (crd as CrdLike).spec?.conversion?.strategy === 'Webhook';
}

/** Names of the CRDs converted by a webhook. */
export function conversionWebhookCrdNames(crds: readonly object[]): string[] {
  return crds.filter(hasConversionWebhook).map(nameOf);
}

/**
 * Points the conversion webhook of every CRD with `spec.conversion.strategy: Webhook` at the local webhook server,
 * as envtest does for convertible kinds: `clientConfig` becomes `url: <origin><service.path, else /convert>` with
 * the test CA as `caBundle` (the Service's name, namespace and port mean nothing outside a cluster). A clientConfig
 * that already has a url keeps it and gets the `caBundle`, as admission webhook configurations do. Other CRDs are
 * returned as they are; changed ones are copies.
 */
export function rewriteConversionWebhooks(crds: readonly object[], origin: string, caBundle: string): object[] {
  return crds.map((crd) => {
    if (!hasConversionWebhook(crd)) return crd;
    const copy = structuredClone(crd) as CrdLike & { spec: { conversion: { webhook?: Record<string, unknown> } } };
    const webhook = copy.spec.conversion.webhook;
    if (webhook !== undefined && (webhook === null || typeof webhook !== 'object' || Array.isArray(webhook))) {
      throw new WebhookInstallError(`CRD ${nameOf(crd)}: spec.conversion.webhook must be an object, got ${JSON.stringify(webhook)}`, {
        hint: 'Write it as generate manifests does: webhook: { clientConfig: { service: { name, namespace, path: /convert } }, conversionReviewVersions: [v1] }.',
      });
    }
    const clientConfig = (webhook?.clientConfig ?? {}) as { url?: unknown; service?: { path?: unknown } | null };
    if (typeof clientConfig !== 'object' || clientConfig === null || Array.isArray(clientConfig)) {
      throw new WebhookInstallError(`CRD ${nameOf(crd)}: spec.conversion.webhook.clientConfig must be an object, got ${JSON.stringify(clientConfig)}`, {
        hint: 'Give it clientConfig: { service: { name, namespace, path: /convert } } as generate manifests writes, or clientConfig: { url }.',
      });
    }
    let url: string;
    if (typeof clientConfig.url === 'string' && clientConfig.url !== '') {
      url = clientConfig.url;
    } else {
      const path = clientConfig.service?.path;
      const p = typeof path === 'string' && path !== '' ? path : CONVERT_PATH;
      url = `${origin}${p.startsWith('/') ? '' : '/'}${p}`;
    }
    copy.spec.conversion.webhook = { ...webhook, clientConfig: { url, caBundle } };
    return copy;
  });
}
