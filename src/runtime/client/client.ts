import type { KubernetesObject } from '@kubernetes/client-node';
import { ValidationError } from '../../errors.js';
import { objectPath, collectionPath, type ResourceType } from '../resource.js';
import type { LeaseGuard } from '../types.js';
import { LeaseNotHeldError } from '../leaderelection/errors.js';
import { acceptFor, isMetadataOnly } from '../metadata-only.js';
import { NotFoundError } from './errors.js';
import type { RestRequest, RestTransport } from './rest-transport.js';
import { ApiReader } from './api-reader.js';
import { keyArgs, requireName, scopeOf, type ObjectKey } from './object-key.js';

/** Reads served from memory (the shared cache). */
export interface CachedReader {
  get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined>;
  list<T extends KubernetesObject>(rt: ResourceType<T>, opts?: ListOptions): Promise<T[]>;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  /**
   * Exact field values, all of which must match (controller-runtime's MatchingFields). A cached list serves them
   * from indexes registered with `manager.fieldIndexer.indexField`; an unindexed field fails with UnindexedFieldError.
   */
  matchingFields?: Record<string, string>;
}

export type PatchType = 'merge' | 'json' | 'strategic';

/** Options every write takes. */
export interface WriteOptions {
  /**
   * Ask the server to run the write through admission and validation and answer with the result, without
   * persisting it (`dryRun=All`). Dry-run writes are not fenced: they change nothing (docs/fencing.md).
   */
  dryRun?: boolean;
}

export interface PatchOptions extends WriteOptions {
  /** 'merge' (RFC 7386, default), 'json' (RFC 6902) or 'strategic' (built-in kinds only). */
  type?: PatchType;
  /** Patch the status subresource. */
  status?: boolean;
  /**
   * Precondition: the server applies the patch only to this resourceVersion and answers 409 Conflict
   * otherwise (set as metadata.resourceVersion in a merge/strategic patch, as a replace operation in a
   * JSON patch). Makes a patch that arrives late safe by construction.
   */
  resourceVersion?: string;
}

export interface ApplyOptions extends WriteOptions {
  /** Defaults to the client's field manager ('operator-ts' unless the manager says otherwise). */
  fieldManager?: string;
  /** Take ownership of fields another manager owns. Default true, as controllers usually want. */
  force?: boolean;
  status?: boolean;
  /**
   * Precondition: applied only to an existing object at this resourceVersion, else 409 Conflict. The
   * server ignores it when the object does not exist (apply then creates it). Overrides
   * metadata.resourceVersion of the object.
   */
  resourceVersion?: string;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Deletes only the object with this uid and/or resourceVersion; otherwise 409 Conflict. */
  preconditions?: { uid?: string; resourceVersion?: string };
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
 * the server. In a guarded (fenced) view (`withGuard`) every write must be sent before the guard's
 * deadline and is aborted when leadership ends; it fails with LeaseNotHeldError instead. Reads and
 * dry-run writes are never fenced.
 */
export class Client {
  constructor(private readonly options: ClientOptions) {}

  get fieldManager(): string {
    return this.options.fieldManager;
  }

  /** A view whose writes are fenced by `guard` (docs/fencing.md). */
  withGuard(guard: LeaseGuard): Client {
    return new Client({ ...this.options, guard });
  }

  /**
   * A view whose writes are not fenced: for work that is right on every replica whether it leads or
   * not (an admission webhook, a replica's own bookkeeping). Never for a controller's writes.
   */
  unfenced(): Client {
    return new Client({ ...this.options, guard: undefined });
  }

  /** True when this view's writes are fenced. */
  get fenced(): boolean {
    return this.options.guard !== undefined;
  }

  /** Uncached reads straight from the API server (controller-runtime's APIReader). */
  get apiReader(): ApiReader {
    return new ApiReader(this.options.transport);
  }

  /** Reads one object from the shared cache; undefined when it does not exist. */
  get<T extends KubernetesObject>(rt: ResourceType<T>, key: ObjectKey): Promise<T | undefined>;
  get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined>;
  async get<T extends KubernetesObject>(rt: ResourceType<T>, keyOrNamespace: ObjectKey | string, name?: string): Promise<T | undefined> {
    const [namespace, objName] = keyArgs(rt, keyOrNamespace, name);
    return this.options.cache.get(rt, namespace, objName);
  }

  list<T extends KubernetesObject>(rt: ResourceType<T>, opts: ListOptions = {}): Promise<T[]> {
    return this.options.cache.list(rt, opts);
  }

  /** Reads one object from the API server, bypassing the cache; undefined when it does not exist. */
  read<T extends KubernetesObject>(rt: ResourceType<T>, key: ObjectKey): Promise<T | undefined>;
  read<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined>;
  async read<T extends KubernetesObject>(rt: ResourceType<T>, keyOrNamespace: ObjectKey | string, name?: string): Promise<T | undefined> {
    const [namespace, objName] = keyArgs(rt, keyOrNamespace, name);
    return this.apiReader.get(rt, namespace, objName);
  }

  async create<T extends KubernetesObject>(rt: ResourceType<T>, obj: T, opts: WriteOptions = {}): Promise<T> {
    refuseMetadataOnly(rt, 'create');
    const body = withTypeMeta(rt, obj);
    return this.write<T>({ method: 'POST', path: collectionPath(rt, namespaceOf(rt, obj)), body }, opts);
  }

  async update<T extends KubernetesObject>(rt: ResourceType<T>, obj: T, opts: WriteOptions = {}): Promise<T> {
    refuseMetadataOnly(rt, 'update');
    return this.write<T>({ method: 'PUT', path: objectPath(rt, namespaceOf(rt, obj), nameOf(rt, obj)), body: withTypeMeta(rt, obj) }, opts);
  }

  /** Writes `.status` through the status subresource; the server ignores every other change. */
  async updateStatus<T extends KubernetesObject>(rt: ResourceType<T>, obj: T, opts: WriteOptions = {}): Promise<T> {
    refuseMetadataOnly(rt, 'updateStatus');
    const path = `${objectPath(rt, namespaceOf(rt, obj), nameOf(rt, obj))}/status`;
    return this.write<T>({ method: 'PUT', path, body: withTypeMeta(rt, obj) }, opts);
  }

  async patch<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const type = opts.type ?? 'merge';
    const contentType = patchContentTypes[type];
    if (!contentType) throw new ValidationError(`patch type "${String(type)}" is not supported`, { hint: "use 'merge', 'json' or 'strategic'" });
    if (type === 'json' && !Array.isArray(patch)) {
      throw new ValidationError('a JSON patch must be an array of operations', { hint: "pass e.g. [{ op: 'replace', path: '/spec/replicas', value: 3 }]" });
    }
    const path = objectPath(rt, scopeOf(rt, namespace), requireName(rt, name)) + (opts.status ? '/status' : '');
    const body = opts.resourceVersion === undefined ? patch : withResourceVersion(type, patch, requireResourceVersion(opts.resourceVersion));
    // A metadata-only patch (e.g. removing a finalizer) answers with PartialObjectMetadata, as the metadata client does.
    return this.write<T>({ method: 'PATCH', path, body, contentType, accept: acceptFor(rt, 'object') }, opts);
  }

  /** Server-side apply: sends the fields this controller wants to own. */
  async apply<T extends KubernetesObject>(rt: ResourceType<T>, obj: T, opts: ApplyOptions = {}): Promise<T> {
    refuseMetadataOnly(rt, 'apply');
    const path = objectPath(rt, namespaceOf(rt, obj), nameOf(rt, obj)) + (opts.status ? '/status' : '');
    const body = withTypeMeta(rt, obj);
    // managedFields must not be sent in an apply configuration.
    if (body.metadata?.managedFields) body.metadata = { ...body.metadata, managedFields: undefined };
    if (opts.resourceVersion !== undefined) body.metadata = { ...body.metadata, resourceVersion: requireResourceVersion(opts.resourceVersion) };
    return this.write<T>({
      method: 'PATCH',
      path,
      body, // JSON is valid YAML
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: opts.fieldManager ?? this.options.fieldManager, force: opts.force ?? true },
    }, opts);
  }

  /** Deletes an object; an object that is already gone is not an error. */
  async delete(rt: ResourceType<KubernetesObject>, namespace: string, name: string, opts: DeleteOptions = {}): Promise<void> {
    const preconditions = opts.preconditions ? validPreconditions(opts.preconditions) : undefined;
    const body =
      opts.propagationPolicy || preconditions
        ? { kind: 'DeleteOptions', apiVersion: 'v1', ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}), ...(preconditions ? { preconditions } : {}) }
        : undefined;
    try {
      await this.write({ method: 'DELETE', path: objectPath(rt, scopeOf(rt, namespace), requireName(rt, name)), body }, opts);
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
  }

  /**
   * Sends a write, fenced when this view has a guard: the request carries the fence's signal (aborted
   * at the deadline or when leadership ends) and the fence is checked again right before its bytes
   * are sent. A write stopped by the fence fails with LeaseNotHeldError. A dry run is sent unfenced:
   * the server persists nothing, so it cannot land in another leader's term.
   */
  private async write<T>(req: RestRequest, opts: WriteOptions): Promise<T> {
    const { guard, transport } = this.options;
    if (opts.dryRun !== undefined && typeof opts.dryRun !== 'boolean') {
      throw new ValidationError(`dryRun ${JSON.stringify(opts.dryRun)} is not a boolean`, { hint: 'pass dryRun: true to validate the write without persisting it, or leave it out' });
    }
    if (opts.dryRun) return transport.json<T>({ ...req, query: { ...req.query, dryRun: 'All' } });
    if (!guard) return transport.json<T>(req);
    const fence = guard.fence();
    let sent = false;
    try {
      return await transport.json<T>({
        ...req,
        signal: fence.signal,
        beforeSend: () => {
          fence.check();
          sent = true;
        },
      });
    } catch (err) {
      if (err instanceof LeaseNotHeldError || !fence.signal.aborted) throw err;
      const reason = fence.signal.reason as Error;
      const fate = sent ? 'it was aborted after it was sent, so the API server may still apply it' : 'it was not sent';
      throw new LeaseNotHeldError(`${req.method} ${req.path}: ${reason.message}; ${fate}`, { cause: err });
    } finally {
      fence.release();
    }
  }
}

/** Puts a resourceVersion precondition into a patch of the given type. */
function withResourceVersion(type: PatchType, patch: unknown, resourceVersion: string): unknown {
  if (type === 'json') return [{ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion }, ...(patch as unknown[])];
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new ValidationError(`a ${type} patch with a resourceVersion precondition must be an object, got ${Array.isArray(patch) ? 'an array' : String(patch)}`, {
      hint: "pass e.g. { spec: { replicas: 3 } }, or use type 'json' for a list of operations",
    });
  }
  const p = patch as { metadata?: Record<string, unknown> | null };
  return { ...p, metadata: { ...(p.metadata ?? {}), resourceVersion } };
}

function requireResourceVersion(rv: unknown): string {
  if (typeof rv !== 'string' || !/^\S+$/.test(rv)) {
    throw new ValidationError(`resourceVersion precondition ${JSON.stringify(rv)} is not a resourceVersion`, {
      hint: 'pass the metadata.resourceVersion of the object you read, e.g. obj.metadata.resourceVersion (leave the option out for no precondition)',
    });
  }
  return rv;
}

function validPreconditions(pre: { uid?: string; resourceVersion?: string }): { uid?: string; resourceVersion?: string } {
  const out: { uid?: string; resourceVersion?: string } = {};
  if (pre.uid !== undefined) {
    if (typeof pre.uid !== 'string' || pre.uid === '') throw new ValidationError(`delete precondition uid ${JSON.stringify(pre.uid)} is empty or not a string`, { hint: 'pass the metadata.uid of the object you read, or leave uid out' });
    out.uid = pre.uid;
  }
  if (pre.resourceVersion !== undefined) out.resourceVersion = requireResourceVersion(pre.resourceVersion);
  if (out.uid === undefined && out.resourceVersion === undefined) {
    throw new ValidationError('delete preconditions name neither a uid nor a resourceVersion', { hint: 'pass { uid } and/or { resourceVersion } from the object you read, or leave preconditions out' });
  }
  return out;
}

/** Writes that send a whole object cannot be made from metadata alone; patch and delete can. */
function refuseMetadataOnly(rt: ResourceType<KubernetesObject>, operation: string): void {
  if (!isMetadataOnly(rt)) return;
  throw new ValidationError(`${operation} cannot write ${rt.kind} through its metadata-only view: a PartialObjectMetadata has no spec, data or status to send`, {
    hint: `pass ${rt.kind} itself (not metadataOnly(${rt.kind})) to ${operation}, or change metadata with client.patch(metadataOnly(${rt.kind}), namespace, name, { metadata: { ... } })`,
  });
}

function withTypeMeta<T extends KubernetesObject>(rt: ResourceType<T>, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion ?? rt.apiVersion, kind: obj.kind ?? rt.kind };
}

function namespaceOf(rt: ResourceType<KubernetesObject>, obj: KubernetesObject): string | undefined {
  return scopeOf(rt, obj.metadata?.namespace ?? '');
}

function nameOf(rt: ResourceType<KubernetesObject>, obj: KubernetesObject): string {
  return requireName(rt, obj.metadata?.name ?? '');
}
