import type { KubernetesObject } from '@kubernetes/client-node';
import { collectionPath, objectPath, type ResourceType } from '../resource.js';
import { acceptFor, typeMetaOf } from '../metadata-only.js';
import { NotFoundError } from './errors.js';
import { keyArgs, requireName, scopeOf, type ObjectKey } from './object-key.js';
import type { RestTransport } from './rest-transport.js';
import { checkMatchingFields } from './matching-fields.js';

export interface ApiListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Exact field values, sent as `field=value` requirements of the fieldSelector (joined with `fieldSelector` if both
   * are given), as controller-runtime's uncached client does. Which fields a kind supports is the server's to decide.
   */
  matchingFields?: Record<string, string>;
}

/** Items per page of an uncached list; the server's continue token carries the rest. */
const PAGE_SIZE = 500;

/**
 * Reads straight from the API server, bypassing the shared cache (controller-runtime's APIReader): for
 * objects the cache does not hold or must not be stale. A metadata-only resource type (metadataOnly(rt)) reads
 * PartialObjectMetadata. Each call is a request; prefer the cache in a
 * reconcile loop.
 */
export class ApiReader {
  constructor(private readonly transport: RestTransport) {}

  /** One object, or undefined when it does not exist. */
  get<T extends KubernetesObject>(rt: ResourceType<T>, key: ObjectKey): Promise<T | undefined>;
  get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined>;
  async get<T extends KubernetesObject>(rt: ResourceType<T>, keyOrNamespace: ObjectKey | string, name?: string): Promise<T | undefined> {
    const [namespace, objName] = keyArgs(rt, keyOrNamespace, name);
    try {
      return await this.transport.json<T>({ method: 'GET', path: objectPath(rt, scopeOf(rt, namespace), requireName(rt, objName)), accept: acceptFor(rt, 'object') });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  /** Every object that matches, across all pages of one consistent list; without a namespace, from every namespace. */
  async list<T extends KubernetesObject>(rt: ResourceType<T>, opts: ApiListOptions = {}): Promise<T[]> {
    const path = collectionPath(rt, rt.namespaced ? opts.namespace || undefined : undefined);
    const fieldSelector = withMatchingFields(rt.kind, opts.fieldSelector, opts.matchingFields);
    const items: T[] = [];
    const typeMeta = typeMetaOf(rt);
    let cont: string | undefined;
    do {
      const query = { limit: PAGE_SIZE, continue: cont, labelSelector: opts.labelSelector, fieldSelector };
      const page = await this.transport.json<{ items?: T[]; metadata?: { continue?: string } }>({ method: 'GET', path, query, accept: acceptFor(rt, 'list') });
      // List items carry no apiVersion/kind; fill them in as a get would return them.
      for (const item of page.items ?? []) items.push({ ...item, ...typeMeta });
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return items;
  }
}

/** Joins `matchingFields` into a fieldSelector, escaping values as the API machinery's fields.EscapeValue does. */
function withMatchingFields(kind: string, fieldSelector: string | undefined, matchingFields: unknown): string | undefined {
  if (matchingFields === undefined) return fieldSelector;
  const requirements = checkMatchingFields(kind, matchingFields).map(([field, value]) => `${field}=${escapeFieldValue(value)}`);
  if (fieldSelector) requirements.unshift(fieldSelector);
  return requirements.length > 0 ? requirements.join(',') : undefined;
}

function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}
