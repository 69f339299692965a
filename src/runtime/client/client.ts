import type { KubernetesObject } from '@kubernetes/client-node';
import { ValidationError } from '../../errors.js';
import { objectPath, collectionPath, type ResourceType } from '../resource.js';
import type { LeaseGuard } from '../types.js';
import { NotFoundError } from './errors.js';
import type { RestTransport } from './rest-transport.js';

/** Reads served from memory (the shared cache). */
export interface CachedReader {
  get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined>;
  list<T extends KubernetesObject>(rt: ResourceType<T>, opts?: ListOptions): Promise<T[]>;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions {
  /** 'merge' (RFC 7386, default), 'json' (RFC 6902) or 'strategic' (built-in kinds only). */
  type?: PatchType;
  /** Patch the status subresource. */
  status?: boolean;
}

export interface ApplyOptions {
  /** Defaults to the client's field manager ('operator-ts' unless the manager says otherwise). */
  fieldManager?: string;
  /** Take ownership of fields another manager owns. Default true, as controllers usually want. */
  force?: boolean;
  status?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export interface ClientOptions {
  transport: RestTransport;
  cache: CachedReader;
  fieldManager: string;
  guard?: LeaseGuard;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/**
 * Reads from the shared cache (`get`, `list`) or straight from the server (`read`); writes go to
 * the server. A guarded view (`withGuard`) refuses writes once this replica may no longer lead.
 */
export class Client {
  constructor(private readonly options: ClientOptions) {}

  get fieldManager(): string {
    return this.options.fieldManager;
  }

  /** A view whose writes first check that the lease is held (fencing). */
  withGuard(guard: LeaseGuard): Client {
    return new Client({ ...this.options, guard });
  }

  get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined> {
    return this.options.cache.get(rt, namespace, name);
  }

  list<T extends KubernetesObject>(rt: ResourceType<T>, opts: ListOptions = {}): Promise<T[]> {
    return this.options.cache.list(rt, opts);
  }

  /** Reads one object from the API server, bypassing the cache. */
  async read<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined> {
    try {
      return await this.options.transport.json<T>({ method: 'GET', path: objectPath(rt, scopeOf(rt, namespace), requireName(rt, name)) });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  async create<T extends KubernetesObject>(rt: ResourceType<T>, obj: T): Promise<T> {
    this.assertHeld();
    const body = withTypeMeta(rt, obj);
    return this.options.transport.json<T>({ method: 'POST', path: collectionPath(rt, namespaceOf(rt, obj)), body });
  }

  async update<T extends KubernetesObject>(rt: ResourceType<T>, obj: T): Promise<T> {
    this.assertHeld();
    return this.options.transport.json<T>({ method: 'PUT', path: objectPath(rt, namespaceOf(rt, obj), nameOf(rt, obj)), body: withTypeMeta(rt, obj) });
  }

  /** Writes `.status` through the status subresource; the server ignores every other change. */
  async updateStatus<T extends KubernetesObject>(rt: ResourceType<T>, obj: T): Promise<T> {
    this.assertHeld();
    const path = `${objectPath(rt, namespaceOf(rt, obj), nameOf(rt, obj))}/status`;
    return this.options.transport.json<T>({ method: 'PUT', path, body: withTypeMeta(rt, obj) });
  }

  async patch<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    this.assertHeld();
    const type = opts.type ?? 'merge';
    const contentType = patchContentTypes[type];
    if (!contentType) throw new ValidationError(`patch type "${String(type)}" is not supported`, { hint: "use 'merge', 'json' or 'strategic'" });
    if (type === 'json' && !Array.isArray(patch)) {
      throw new ValidationError('a JSON patch must be an array of operations', { hint: "pass e.g. [{ op: 'replace', path: '/spec/replicas', value: 3 }]" });
    }
    const path = objectPath(rt, scopeOf(rt, namespace), requireName(rt, name)) + (opts.status ? '/status' : '');
    return this.options.transport.json<T>({ method: 'PATCH', path, body: patch, contentType });
  }

  /** Server-side apply: sends the fields this controller wants to own. */
  async apply<T extends KubernetesObject>(rt: ResourceType<T>, obj: T, opts: ApplyOptions = {}): Promise<T> {
    this.assertHeld();
    const path = objectPath(rt, namespaceOf(rt, obj), nameOf(rt, obj)) + (opts.status ? '/status' : '');
    const body = withTypeMeta(rt, obj);
    // managedFields must not be sent in an apply configuration.
    if (body.metadata?.managedFields) body.metadata = { ...body.metadata, managedFields: undefined };
    return this.options.transport.json<T>({
      method: 'PATCH',
      path,
      body, // JSON is valid YAML
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: opts.fieldManager ?? this.options.fieldManager, force: opts.force ?? true },
    });
  }

  /** Deletes an object; an object that is already gone is not an error. */
  async delete(rt: ResourceType<KubernetesObject>, namespace: string, name: string, opts: DeleteOptions = {}): Promise<void> {
    this.assertHeld();
    const body = opts.propagationPolicy ? { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: opts.propagationPolicy } : undefined;
    try {
      await this.options.transport.json({ method: 'DELETE', path: objectPath(rt, scopeOf(rt, namespace), requireName(rt, name)), body });
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
  }

  private assertHeld(): void {
    this.options.guard?.assertHeld();
  }
}

function withTypeMeta<T extends KubernetesObject>(rt: ResourceType<T>, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion ?? rt.apiVersion, kind: obj.kind ?? rt.kind };
}

function namespaceOf(rt: ResourceType<KubernetesObject>, obj: KubernetesObject): string | undefined {
  return scopeOf(rt, obj.metadata?.namespace ?? '');
}

/** Namespaced kinds need a namespace; cluster-scoped kinds ignore it. */
function scopeOf(rt: ResourceType<KubernetesObject>, namespace: string): string | undefined {
  if (!rt.namespaced) return undefined;
  if (!namespace) {
    throw new ValidationError(`${rt.kind} is namespaced but no namespace was given`, { hint: 'set metadata.namespace on the object, or pass the namespace argument' });
  }
  return namespace;
}

function nameOf(rt: ResourceType<KubernetesObject>, obj: KubernetesObject): string {
  return requireName(rt, obj.metadata?.name ?? '');
}

function requireName(rt: ResourceType<KubernetesObject>, name: string): string {
  if (!name) throw new ValidationError(`a ${rt.kind} name is required here but was empty`, { hint: 'set metadata.name (generateName works only for create)' });
  return name;
}
