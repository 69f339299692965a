import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import { apiVersionOf, type Obj, type ServedResource } from '../registry.js';
import type { ApiState, Scope } from '../state.js';
import { StatusError } from '../status.js';
import { callWebhook, WebhookCallError } from './webhook-call.js';

const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';
/** The real server gives conversion webhooks no configurable timeout; its client's default is 30 s. */
const CONVERSION_TIMEOUT_SECONDS = 30;

/** A CRD's conversion webhook, when its spec.conversion.strategy is Webhook. */
export interface ConversionSetup {
  storageVersion: string;
  clientConfig: Obj;
}

/** Conversions between the version a client uses and the storage version. */
export interface VersionBridge {
  /** The request's scope at the storage version: what the writer and reader work with. */
  storageScope: Scope;
  toStorage(object: Obj): Promise<Obj>;
  toRequested(object: Obj): Promise<Obj>;
  toRequestedList(items: Obj[]): Promise<Obj[]>;
}

/**
 * CRD conversion webhooks: objects are stored in the CRD's storage version and sent through the webhook
 * (ConversionReview v1) whenever a client reads or writes another version. Strategy None keeps the shared
 * storage of all versions, unchanged.
 */
export class ConversionWebhooks {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly state: ApiState) {}

  stop(): void {
    this.agent.destroy();
  }

  /** How a request in `scope` reaches storage: undefined when no webhook stands between them. */
  bridge(scope: Scope): VersionBridge | undefined {
    const setup = this.setupFor(scope.resource);
    if (!setup || setup.storageVersion === scope.version) return undefined;
    const { resource } = scope;
    const typed = (o: Obj, version: string) => ({ ...o, apiVersion: apiVersionOf(resource.group, version), kind: resource.kind });
    return {
      storageScope: { ...scope, version: setup.storageVersion },
      toStorage: async (o) => (await this.convert(resource, setup, [typed(o, scope.version)], setup.storageVersion))[0]!,
      toRequested: async (o) => (await this.convert(resource, setup, [o], scope.version))[0]!,
      toRequestedList: (items) => this.convert(resource, setup, items, scope.version),
    };
  }

  /** Converts one object of `resource` to a version through its CRD's webhook; undefined when the CRD has none. */
  converter(resource: ServedResource): ((object: Obj, version: string) => Promise<Obj>) | undefined {
    const setup = this.setupFor(resource);
    if (!setup) return undefined;
    return async (object, version) => (await this.convert(resource, setup, [object], version))[0]!;
  }

  setupFor(resource: ServedResource): ConversionSetup | undefined {
    if (!resource.custom) return undefined;
    const crd = this.state.store.get(CRDS, undefined, `${resource.plural}.${resource.group}`);
    const conversion = crd?.spec?.conversion;
    if (conversion?.strategy !== 'Webhook') return undefined;
    const storageVersion = (crd!.spec.versions as Obj[] | undefined)?.find((v) => v.storage === true)?.name;
    if (typeof storageVersion !== 'string') return undefined;
    return { storageVersion, clientConfig: conversion.webhook?.clientConfig ?? {} };
  }

  /**
   * The objects in `version`: those in another version go to the webhook in one review (as the real server
   * converts a list), the others are kept as they are.
   */
  async convert(resource: ServedResource, setup: ConversionSetup, objects: Obj[], version: string): Promise<Obj[]> {
    const desired = apiVersionOf(resource.group, version);
    const pending = objects.map((o, i) => ({ o, i })).filter(({ o }) => o.apiVersion !== desired);
    if (pending.length === 0) return objects;
    const from = `${String(pending[0]!.o.apiVersion)}, Kind=${resource.kind}`;
    // The real server answers a failed conversion with a bare 500: no reason, no "Internal error occurred".
    const failure = (words: string) => new StatusError(500, '', `conversion webhook for ${from} ${words}`);
    const failed = (words: string) => failure(`failed: ${words}`);
    const uid = randomUUID();
    let answer: any;
    try {
      answer = await callWebhook({
        clientConfig: setup.clientConfig, timeoutSeconds: CONVERSION_TIMEOUT_SECONDS, agent: this.agent,
        body: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid, desiredAPIVersion: desired, objects: pending.map((p) => p.o) } },
      });
    } catch (err) {
      if (err instanceof WebhookCallError) throw failed(err.message.replace(/^failed to call webhook: /, ''));
      throw err;
    }
    if (answer?.apiVersion !== 'apiextensions.k8s.io/v1' || answer?.kind !== 'ConversionReview') {
      throw failed(`expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got ${String(answer?.apiVersion ?? '')}, Kind=${String(answer?.kind ?? '')}`);
    }
    const response = answer.response;
    if (!response) throw failed('no response provided');
    if (response.uid !== uid) throw failed(`expected response.uid="${uid}", got "${String(response.uid ?? '')}"`);
    if (response.result?.status !== 'Success') {
      const message = response.result?.message;
      throw failed(typeof message === 'string' && message !== '' ? message : `response.result.status was '${String(response.result?.status ?? '')}', not 'Success'`);
    }
    const converted: Obj[] = Array.isArray(response.convertedObjects) ? response.convertedObjects : [];
    if (converted.length !== pending.length) {
      throw failure(`returned ${converted.length} objects, expected ${pending.length}`);
    }
    const out = [...objects];
    pending.forEach(({ o, i }, n) => {
      const c = converted[n]!;
      if (c?.apiVersion !== desired) {
        throw failure(`returned invalid converted object at index ${n}: invalid groupVersion (expected ${desired}, received ${String(c?.apiVersion)})`);
      }
      // Like the real server, only labels and annotations may change in metadata.
      const metadata = { ...o.metadata, labels: c.metadata?.labels, annotations: c.metadata?.annotations };
      if (metadata.labels === undefined) delete metadata.labels;
      if (metadata.annotations === undefined) delete metadata.annotations;
      out[i] = { ...c, kind: resource.kind, metadata };
    });
    return out;
  }
}
