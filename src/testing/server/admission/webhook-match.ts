import { parseLabelSelector } from '../../../label-selector.js';
import type { Obj, ServedResource } from '../registry.js';
import { formatLabelSelector } from '../scale.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** What one admission request is about, as the webhook rules look at it. */
export interface AdmissionAttributes {
  resource: ServedResource;
  /** The version the client used. */
  version: string;
  subresource?: string;
  operation: AdmissionOperation;
  namespace?: string;
  name?: string;
  object?: Obj;
  oldObject?: Obj;
  dryRun: boolean;
  options: Obj;
  /**
   * Converts an object to another version of the resource (a CRD with a conversion webhook), for a webhook whose
   * rule names another version; without it only apiVersion is rewritten (versions that share one schema).
   */
  convert?: VersionConverter | undefined;
}

/** Converts an object of the resource to `version`. */
export type VersionConverter = (object: Obj, version: string) => Promise<Obj>;

/** Which version of the resource a matching webhook is sent (the request's own, or an equivalent one). */
export interface WebhookMatch {
  version: string;
}

function listOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** `resources` entries as the real server reads them: `*`, `*\/*`, `pods`, `pods/*`, `*\/status`, `pods/status`. */
function resourceMatches(patterns: string[], plural: string, subresource: string | undefined): boolean {
  const wanted = subresource ? `${plural}/${subresource}` : plural;
  return patterns.some((p) => {
    if (p === '*/*' || p === wanted) return true;
    const [res, sub] = p.split('/', 2);
    if (sub === undefined) return res === '*' && subresource === undefined;
    return (res === '*' || res === plural) && (sub === '*' || sub === subresource) && subresource !== undefined;
  });
}

function scopeMatches(scope: unknown, namespaced: boolean): boolean {
  if (scope === 'Cluster') return !namespaced;
  if (scope === 'Namespaced') return namespaced;
  return true;
}

function ruleMatches(rule: Obj, attrs: AdmissionAttributes, version: string): boolean {
  const has = (list: string[], value: string) => list.includes('*') || list.includes(value);
  return has(listOf(rule.operations), attrs.operation)
    && has(listOf(rule.apiGroups), attrs.resource.group)
    && has(listOf(rule.apiVersions), version)
    && resourceMatches(listOf(rule.resources), attrs.resource.plural, attrs.subresource)
    && scopeMatches(rule.scope, attrs.resource.namespaced);
}

function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined || selector === null) return true;
  return parseLabelSelector(formatLabelSelector(selector)).matches(labels ?? {});
}

/**
 * Whether `webhook` applies to the request, and in which version: its rules (the request's version; with
 * matchPolicy Equivalent, the default, also another served version of the same resource), the
 * namespaceSelector on the namespace's labels (a Namespace is matched on its own labels; other cluster-scoped
 * objects always pass) and the objectSelector on the new or the old object.
 */
export function matchWebhook(webhook: Obj, attrs: AdmissionAttributes, namespaceLabels: (name: string) => Record<string, string> | undefined): WebhookMatch | undefined {
  const rules: Obj[] = Array.isArray(webhook.rules) ? webhook.rules : [];
  let version: string | undefined = rules.some((r) => ruleMatches(r, attrs, attrs.version)) ? attrs.version : undefined;
  if (version === undefined && webhook.matchPolicy !== 'Exact') {
    version = attrs.resource.versions.find((v) => v !== attrs.version && rules.some((r) => ruleMatches(r, attrs, v)));
  }
  if (version === undefined) return undefined;
  const isNamespace = attrs.resource.group === '' && attrs.resource.plural === 'namespaces';
  if (attrs.resource.namespaced && attrs.namespace !== undefined) {
    if (!selectorMatches(webhook.namespaceSelector, namespaceLabels(attrs.namespace))) return undefined;
  } else if (isNamespace) {
    const labels = (attrs.object ?? attrs.oldObject)?.metadata?.labels;
    if (!selectorMatches(webhook.namespaceSelector, labels)) return undefined;
  }
  const objectSelector = webhook.objectSelector;
  if (objectSelector !== undefined && objectSelector !== null) {
    const matchNew = attrs.object !== undefined && selectorMatches(objectSelector, attrs.object.metadata?.labels);
    const matchOld = attrs.oldObject !== undefined && selectorMatches(objectSelector, attrs.oldObject.metadata?.labels);
    if (!matchNew && !matchOld) return undefined;
  }
  return { version };
}
