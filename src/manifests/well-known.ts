import type { JSONSchemaProps } from './schema.js';

/**
 * Schemas for types whose wire form is fixed by Kubernetes rather than by their TypeScript shape.
 * The constraints (lengths, patterns, enum) are the ones the API server's own metav1.Condition
 * carries, so conditions written by any standard tooling validate.
 */
export function conditionSchema(): JSONSchemaProps {
  return {
    description: 'Condition is one aspect of the current state of this resource (metav1.Condition).',
    type: 'object',
    properties: {
      type: {
        description: 'Type of the condition, in CamelCase or in foo.example.com/CamelCase.',
        type: 'string',
        maxLength: 316,
        pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      },
      status: { description: 'Status of the condition: True, False or Unknown.', type: 'string', enum: ['True', 'False', 'Unknown'] },
      observedGeneration: {
        description: 'The .metadata.generation the condition was computed from; older than the current generation means out of date.',
        type: 'integer',
        format: 'int64',
        minimum: 0,
      },
      lastTransitionTime: {
        description: 'When the condition last changed from one status to another.',
        type: 'string',
        format: 'date-time',
      },
      reason: {
        description: 'A CamelCase, machine-readable reason for the last transition.',
        type: 'string',
        minLength: 1,
        maxLength: 1024,
        pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
      },
      message: { description: 'A human-readable message about the transition; may be empty.', type: 'string', maxLength: 32768 },
    },
    required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  };
}

export const API_VERSION_DESCRIPTION =
  'APIVersion is the versioned schema of this object, as group/version. Servers convert recognized schemas to the latest internal value and may reject unrecognized ones.';
export const KIND_DESCRIPTION =
  'Kind is the REST resource this object represents, in CamelCase. Servers may infer it from the endpoint the client submits to; it cannot be updated.';

/** ObjectMeta is validated by the API server itself; CRD schemas only declare it an object. */
export function objectMetaSchema(): JSONSchemaProps {
  return { type: 'object' };
}

/**
 * Stand-in for `operator-ts/runtime` while reading API types. Loading the real runtime would pull in
 * all of @kubernetes/client-node's declarations (about a thousand files, two seconds); API types only
 * need `Condition` and `defineResource` from it.
 */
export const RUNTIME_SHIM = `
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}
export interface ResourceType<T = unknown> {
  readonly group: string; readonly version: string; readonly kind: string; readonly plural: string;
  readonly namespaced: boolean; readonly apiVersion: string; readonly __type?: T;
}
export declare function defineResource<T = unknown>(init: { group: string; version: string; kind: string; plural: string; namespaced?: boolean }): ResourceType<T>;
`;
