import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../types.js';
import { badRequest, type WebhookHandler } from './server.js';
import { WebhookSetupError } from './errors.js';
import type { ConversionSpec, SpokeConverter } from './types.js';

const API_VERSION = 'apiextensions.k8s.io/v1';

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Checks a conversion spec once, at setup, so a typo fails at start rather than at the first conversion. */
export function checkConversionSpec(kind: string, spec: unknown): ConversionSpec {
  const where = `withConversion() of ${kind}`;
  const s = spec as Partial<ConversionSpec> | null;
  if (typeof s !== 'object' || s === null) throw new WebhookSetupError(`${where} needs { hub, spokes }`, "pass { hub: 'v1', spokes: { v1alpha1: { toHub, fromHub } } }");
  if (typeof s.hub !== 'string' || !/^v\d+((alpha|beta)\d+)?$/.test(s.hub)) {
    throw new WebhookSetupError(`${where}: hub ${JSON.stringify(s.hub)} is not a Kubernetes version`, "name the hub version, usually the storage version, e.g. hub: 'v1'");
  }
  if (typeof s.spokes !== 'object' || s.spokes === null || Object.keys(s.spokes).length === 0) {
    throw new WebhookSetupError(`${where}: spokes must name at least one version besides the hub ${s.hub}`, "e.g. spokes: { v1alpha1: { toHub(obj) { … }, fromHub(hub) { … } } }");
  }
  for (const [version, conv] of Object.entries(s.spokes)) {
    if (version === s.hub) throw new WebhookSetupError(`${where}: ${version} is both the hub and a spoke`, 'the hub converts to itself; list only the other versions as spokes');
    if (!/^v\d+((alpha|beta)\d+)?$/.test(version)) throw new WebhookSetupError(`${where}: spoke ${JSON.stringify(version)} is not a Kubernetes version`, "use versions like 'v1alpha1' or 'v1beta2'");
    const c = conv as Partial<SpokeConverter> | null;
    if (typeof c?.toHub !== 'function' || typeof c?.fromHub !== 'function') {
      throw new WebhookSetupError(`${where}: spoke ${version} needs toHub(obj) and fromHub(hub) functions`, `pass ${version}: { toHub(obj) { return hubObject; }, fromHub(hub) { return ${version}Object; } }`);
    }
  }
  return s as ConversionSpec;
}

/** Conversions of every registered kind, served at /convert for ConversionReview v1. */
export class ConversionRegistry {
  private readonly kinds = new Map<string, ConversionSpec>();

  constructor(private readonly logger: Logger) {}

  register(group: string, kind: string, spec: ConversionSpec): void {
    const key = `${kind}.${group}`;
    if (this.kinds.has(key)) throw new WebhookSetupError(`conversions of ${key} are already registered`, 'call withConversion() once per kind');
    this.kinds.set(key, spec);
  }

  /** Converts one object to `desired` (group/version): spoke → hub → spoke; an object already there is returned as is. */
  async convert(obj: KubernetesObject, desired: string): Promise<KubernetesObject> {
    if (obj.apiVersion === desired) return obj;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') throw new Error('an object to convert has no apiVersion or kind');
    const from = splitApiVersion(obj.apiVersion);
    const to = splitApiVersion(desired);
    const name = obj.metadata?.name ?? '';
    if (from.group !== to.group) throw new Error(`cannot convert ${obj.kind} ${name} from ${obj.apiVersion} to ${desired}: the groups differ`);
    const key = `${obj.kind}.${from.group}`;
    const spec = this.kinds.get(key);
    if (!spec) throw new Error(`no conversion is registered for ${key}`);
    const versions = [spec.hub, ...Object.keys(spec.spokes)];
    for (const v of [from.version, to.version]) {
      if (!versions.includes(v)) throw new Error(`cannot convert ${key} ${name} from ${from.version} to ${to.version}: ${v} is neither the hub (${spec.hub}) nor a spoke (${Object.keys(spec.spokes).join(', ')})`);
    }
    const input = structuredClone(obj);
    const hub = from.version === spec.hub ? input : await spec.spokes[from.version]!.toHub(input);
    const hubObj = { ...hub, apiVersion: `${to.group ? `${to.group}/` : ''}${spec.hub}`, kind: obj.kind };
    const out = to.version === spec.hub ? hubObj : await spec.spokes[to.version]!.fromHub(hubObj);
    // The converters need not set these; the API server rejects an object that does not carry the desired version.
    return { ...out, apiVersion: desired, kind: obj.kind };
  }

  handler(): WebhookHandler {
    return async (body) => {
      const review = body as { apiVersion?: unknown; kind?: unknown; request?: { uid?: unknown; desiredAPIVersion?: unknown; objects?: unknown } } | null;
      if (typeof review !== 'object' || review === null || review.kind !== 'ConversionReview') throw badRequest(`the body is not a ConversionReview (kind ${JSON.stringify(review?.kind)})`);
      if (review.apiVersion !== API_VERSION) {
        throw badRequest(`ConversionReview ${JSON.stringify(review.apiVersion)} is not supported: only ${API_VERSION}; set conversionReviewVersions: [v1] in the CRD's spec.conversion.webhook`);
      }
      const req = review.request;
      if (typeof req?.uid !== 'string' || req.uid === '') throw badRequest('the ConversionReview request has no uid');
      if (typeof req.desiredAPIVersion !== 'string' || req.desiredAPIVersion === '') throw badRequest('the ConversionReview request has no desiredAPIVersion');
      if (!Array.isArray(req.objects)) throw badRequest('the ConversionReview request has no objects array');
      const desired = req.desiredAPIVersion;
      let response: unknown;
      try {
        const convertedObjects = [];
        for (const obj of req.objects as KubernetesObject[]) convertedObjects.push(await this.convert(obj, desired));
        response = { uid: req.uid, convertedObjects, result: { status: 'Success' } };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.logger.error('conversion failed', { error: err, uid: req.uid, desiredAPIVersion: desired });
        response = { uid: req.uid, convertedObjects: [], result: { status: 'Failure', message } };
      }
      return { status: 200, body: { apiVersion: API_VERSION, kind: 'ConversionReview', response } };
    };
  }
}
