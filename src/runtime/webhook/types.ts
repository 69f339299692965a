import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../types.js';

/** What the API server was asked to do; a webhook configuration's rules list the operations it is called for. */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** The parts of AdmissionReview v1's `request` a defaulter or validator may look at. */
export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  dryRun?: boolean;
  options?: unknown;
  object?: unknown;
  oldObject?: unknown;
}

export interface AdmissionContext {
  request: AdmissionRequest;
  /**
   * Aborts when the API server stops waiting (the `timeout` it puts in the webhook URL, from the configuration's
   * timeoutSeconds); pass it to anything slow. An answer after that is dropped by the API server, which then
   * applies the webhook's failurePolicy.
   */
  signal: AbortSignal;
  logger: Logger;
}

/** Sets defaults on an object being created or updated, by mutating it in place (or returning the defaulted object). */
export interface Defaulter<T extends KubernetesObject = KubernetesObject> {
  default(obj: T, ctx: AdmissionContext): void | T | Promise<void | T>;
}

/** Warnings shown to the user (kubectl prints them) while the request is still allowed. */
export type Warnings = string[] | void | undefined;

/**
 * Checks an object being created, updated or deleted. Return warnings to allow; throw WebhookDeniedError (with field
 * causes) or any error to deny.
 */
export interface Validator<T extends KubernetesObject = KubernetesObject> {
  validateCreate(obj: T, ctx: AdmissionContext): Warnings | Promise<Warnings>;
  validateUpdate(oldObj: T, newObj: T, ctx: AdmissionContext): Warnings | Promise<Warnings>;
  validateDelete(obj: T, ctx: AdmissionContext): Warnings | Promise<Warnings>;
}

/** Converts one non-hub version to and from the hub (controller-runtime's conversion.Convertible). */
export interface SpokeConverter<Spoke extends KubernetesObject = KubernetesObject, Hub extends KubernetesObject = KubernetesObject> {
  toHub(obj: Spoke): Hub | Promise<Hub>;
  fromHub(hub: Hub): Spoke | Promise<Spoke>;
}

/**
 * The versions of a kind and how they convert (hub and spoke, controller-runtime's conversion.Hub): every non-hub
 * version converts to and from the hub, so spoke to spoke goes through the hub.
 */
export interface ConversionSpec {
  /** The hub version, usually the storage version, e.g. 'v1'. */
  hub: string;
  /** Every other served version and its converter, e.g. { v1alpha1: { toHub, fromHub } }. */
  spokes: Record<string, SpokeConverter<any, any>>;
}
