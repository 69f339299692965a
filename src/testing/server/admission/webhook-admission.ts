import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import { applyPatch, PatchError } from '../../patch/index.js';
import type { Obj } from '../registry.js';
import type { CompiledMatchCondition } from '../../validation/cel-match-conditions.js';
import { matchConditionCel } from '../crd-validation-loader.js';
import { jsonEqual } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { errors, StatusError } from '../status.js';
import { callWebhook, WebhookCallError } from './webhook-call.js';
import { matchWebhook, type AdmissionAttributes } from './webhook-match.js';

const MUTATING = 'mutatingwebhookconfigurations.admissionregistration.k8s.io';
const VALIDATING = 'validatingwebhookconfigurations.admissionregistration.k8s.io';
const DEFAULT_TIMEOUT_SECONDS = 10;

/** Who the embedded server says made a request (it authenticates no one). */
export const ADMISSION_USER = { username: 'operator-ts-testenv', groups: ['system:masters', 'system:authenticated'] };

/** The `Warning` header value of one webhook warning, as the real server writes it. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface Candidate {
  configuration: string;
  webhook: Obj;
  version: string;
}

/**
 * Admission webhooks of the stored Mutating/ValidatingWebhookConfigurations: which apply to a request, the
 * AdmissionReview v1 each is sent, and what its answer does (a JSONPatch, a denial, warnings, or a failure
 * that failurePolicy decides).
 */
export class WebhookAdmission {
  /** Connections are keyed by host and TLS options (the caBundle among them), so each webhook keeps its own. */
  private readonly agent = new Agent({ keepAlive: true });
  /** Compiled matchConditions per stored webhook (a changed configuration is a new object). */
  private readonly conditions = new WeakMap<Obj, CompiledMatchCondition[]>();

  constructor(private readonly state: ApiState) {}

  /** Closes the connections kept open to webhooks. */
  stop(): void {
    this.agent.destroy();
  }

  /** True when any configuration exists, so writes without webhooks stay synchronous. */
  active(): boolean {
    return this.state.store.list(MUTATING).length > 0 || this.state.store.list(VALIDATING).length > 0;
  }

  /**
   * Runs the mutating webhooks in order (configurations by name, then webhook order); the object as they left it.
   * As on the real server, when a webhook changes the object, the `reinvocationPolicy: IfNeeded` webhooks called
   * before it are called once more, in order, after the first pass (a reinvoked webhook's change in turn
   * reinvokes the IfNeeded ones called before it in that second pass; there is no third).
   */
  async mutate(attrs: AdmissionAttributes, warnings: string[]): Promise<Obj | undefined> {
    let object = attrs.object;
    const candidates = this.candidates(MUTATING, attrs);
    const reinvoke = new Set<Obj>();
    let calledSinceChange = new Set<Obj>();
    let changedInFirstPass = false;
    for (const round of [0, 1]) {
      if (round === 1 && !changedInFirstPass) break;
      for (const candidate of candidates) {
        if (round === 1 && !reinvoke.has(candidate.webhook)) continue;
        const current = { ...attrs, object };
        const sent = await inVersion(current, candidate.version);
        const review = reviewOf(sent, candidate.version);
        if (!this.conditionsAllow(candidate, sent, review)) continue;
        let after = await this.mutateOnce(candidate, sent, review, warnings);
        // A patch made in the webhook's version comes back to the request's version.
        if (after === sent.object) after = object;
        else if (sent !== current && after !== undefined) after = await attrs.convert!(after, attrs.version);
        if (after !== object && !jsonEqual(after, object)) {
          for (const webhook of calledSinceChange) reinvoke.add(webhook);
          calledSinceChange = new Set();
          changedInFirstPass = true;
        }
        object = after;
        if (candidate.webhook.reinvocationPolicy === 'IfNeeded') calledSinceChange.add(candidate.webhook);
      }
    }
    return object;
  }

  /** One mutating webhook call: the object with its JSONPatch applied. */
  private async mutateOnce(candidate: Candidate, attrs: AdmissionAttributes, review: Review, warnings: string[]): Promise<Obj | undefined> {
    const object = attrs.object;
    const response = await this.call(candidate, review, warnings);
    if (!response || typeof response.patch !== 'string' || response.patch === '') return object;
    const name = candidate.webhook.name;
    if (attrs.operation === 'DELETE' || object === undefined) {
      throw errors.internal(`admission webhook "${name}" attempted to modify the object, which is not supported for this operation`);
    }
    if (response.patchType !== 'JSONPatch') throw errors.internal(`failed calling webhook "${name}": unsupported patch type "${String(response.patchType ?? '')}"`);
    try {
      return applyPatch({ type: 'json', current: object, patch: Buffer.from(response.patch, 'base64').toString('utf8') }) as Obj;
    } catch (err) {
      if (err instanceof PatchError) throw errors.internal(err.message);
      throw err;
    }
  }

  /**
   * The webhook's matchConditions on the review it would be sent: all true (or none) → call it, any false →
   * skip it; an evaluation error skips it under failurePolicy Ignore and is a 403 Forbidden under Fail, as on
   * the real server.
   */
  private conditionsAllow(candidate: Candidate, attrs: AdmissionAttributes, review: Review): boolean {
    const conditions = this.compiledConditions(candidate.webhook);
    if (conditions.length === 0) return true;
    const { object, oldObject, ...request } = review.request;
    const result = matchConditionCel().evaluateMatchConditions(conditions, { object, oldObject, request });
    if ('error' in result) {
      if (candidate.webhook.failurePolicy === 'Ignore') return false;
      const { group, plural, kind } = attrs.resource;
      throw errors.forbidden({ group, plural, kind, name: attrs.name ?? '' }, result.error);
    }
    return result.matches;
  }

  private compiledConditions(webhook: Obj): CompiledMatchCondition[] {
    let compiled = this.conditions.get(webhook);
    if (!compiled) {
      const list: Obj[] = Array.isArray(webhook.matchConditions) ? webhook.matchConditions : [];
      // Stored configurations passed the same compilation when they were written.
      compiled = list.length === 0 ? [] : list.map((c) => matchConditionCel().compileMatchCondition(String(c.name), String(c.expression).trim()));
      this.conditions.set(webhook, compiled);
    }
    return compiled;
  }

  /** Runs the validating webhooks (in parallel, as the real server does); the first failure in webhook order wins. */
  async validate(attrs: AdmissionAttributes, warnings: string[]): Promise<void> {
    const byVersion = new Map<string, Promise<AdmissionAttributes>>();
    const sent = (version: string) => {
      if (!byVersion.has(version)) byVersion.set(version, inVersion(attrs, version));
      return byVersion.get(version)!;
    };
    const candidates = this.candidates(VALIDATING, attrs);
    const versions = await Promise.all(candidates.map((candidate) => sent(candidate.version)));
    const calls = candidates.map((candidate, i) => ({ candidate, attrs: versions[i]!, review: reviewOf(versions[i]!, candidate.version) }))
      .filter(({ candidate, attrs: at, review }) => this.conditionsAllow(candidate, at, review));
    const outcomes = await Promise.allSettled(calls.map(({ candidate, review }) => this.call(candidate, review, warnings)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private candidates(groupResource: string, attrs: AdmissionAttributes): Candidate[] {
    const configurations = [...this.state.store.list(groupResource)].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const namespaceLabels = (name: string) => this.state.store.get('namespaces', undefined, name)?.metadata?.labels;
    const out: Candidate[] = [];
    for (const configuration of configurations) {
      for (const webhook of (Array.isArray(configuration.webhooks) ? configuration.webhooks : []) as Obj[]) {
        const match = matchWebhook(webhook, attrs, namespaceLabels);
        if (match) out.push({ configuration: configuration.metadata.name, webhook, version: match.version });
      }
    }
    return out;
  }

  /** One webhook call: the allowed response, or a thrown Status (denial, or a failure under failurePolicy Fail). */
  private async call(candidate: Candidate, review: Review, warnings: string[]): Promise<Obj | undefined> {
    const { webhook } = candidate;
    const name = String(webhook.name);
    let response: Obj;
    try {
      const answer = await callWebhook({ clientConfig: webhook.clientConfig ?? {}, timeoutSeconds: webhook.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, body: review, agent: this.agent });
      response = responseOf(answer, review.request.uid);
    } catch (err) {
      if (!(err instanceof WebhookCallError)) throw err;
      if (webhook.failurePolicy === 'Ignore') return undefined;
      throw new StatusError(500, 'InternalError', `Internal error occurred: failed calling webhook "${name}": ${err.message}`, {
        causes: [{ message: `failed calling webhook "${name}": ${err.message}` }],
      });
    }
    if (Array.isArray(response.warnings)) warnings.push(...response.warnings.map(String));
    if (response.allowed !== true) throw denial(name, response.status);
    return response;
  }
}

type Review = { apiVersion: string; kind: string; request: Obj };

/** The attributes with their objects in `version`: converted when the request is in another version and can be. */
async function inVersion(attrs: AdmissionAttributes, version: string): Promise<AdmissionAttributes> {
  const { convert } = attrs;
  if (version === attrs.version || !convert) return attrs;
  return {
    ...attrs,
    object: attrs.object && (await convert(attrs.object, version)),
    oldObject: attrs.oldObject && (await convert(attrs.oldObject, version)),
  };
}

/** The AdmissionReview v1 the real server sends; `version` is the one the matching rule named. */
function reviewOf(attrs: AdmissionAttributes, version: string): Review {
  const { resource } = attrs;
  const at = (v: string, object: Obj | undefined) => (object === undefined ? null : { ...object, apiVersion: resource.group === '' ? v : `${resource.group}/${v}` });
  const request: Obj = {
    uid: randomUUID(),
    kind: { group: resource.group, version, kind: resource.kind },
    resource: { group: resource.group, version, resource: resource.plural },
    ...(attrs.subresource ? { subResource: attrs.subresource } : {}),
    requestKind: { group: resource.group, version: attrs.version, kind: resource.kind },
    requestResource: { group: resource.group, version: attrs.version, resource: resource.plural },
    ...(attrs.subresource ? { requestSubResource: attrs.subresource } : {}),
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
    operation: attrs.operation,
    userInfo: ADMISSION_USER,
    object: at(version, attrs.object),
    oldObject: at(version, attrs.oldObject),
    dryRun: attrs.dryRun,
    options: attrs.options,
  };
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

function responseOf(answer: unknown, uid: string): Obj {
  const review = answer as Obj;
  if (review === null || typeof review !== 'object' || Array.isArray(review)) {
    throw new WebhookCallError(`failed to call webhook: couldn't get version/kind; json parse error: the answer is not a JSON object`);
  }
  if (review.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview') {
    throw new WebhookCallError(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${String(review.apiVersion ?? '')}, Kind=${String(review.kind ?? '')}`);
  }
  const response = review.response;
  if (response === null || typeof response !== 'object') throw new WebhookCallError('webhook response was absent');
  if (response.uid !== uid) throw new WebhookCallError(`expected response.uid="${uid}", got "${String(response.uid ?? '')}"`);
  return response as Obj;
}

/** A denial as the real server words it: the webhook's Status, code at least 400, message prefixed. */
function denial(name: string, status: Obj | undefined): StatusError {
  const s = status ?? {};
  const code = typeof s.code === 'number' && s.code >= 400 ? s.code : 400;
  const deniedBy = `admission webhook "${name}" denied the request`;
  const message = typeof s.message === 'string' && s.message !== '' ? `${deniedBy}: ${s.message}`
    : typeof s.reason === 'string' && s.reason !== '' ? `${deniedBy}: ${s.reason}` : `${deniedBy} without explanation`;
  return new StatusError(code, typeof s.reason === 'string' ? s.reason : '', message, s.details);
}
