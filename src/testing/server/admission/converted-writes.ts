import { applyPatch, PatchError, recordUpdateOwnership, type PatchType } from '../../patch/index.js';
import { groupResourceOf, type Obj } from '../registry.js';
import { scopeTarget, type ApiState, type Scope, type WriteOptions } from '../state.js';
import { errors } from '../status.js';
import { checkTypeMeta, patchFailure, refuseUnservedPatch, type Writer, type WriteSteps } from '../writes.js';
import type { VersionBridge } from './conversion-webhook.js';

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Writes in a version other than the storage version of a CRD with a conversion webhook, as a v1.32 server does
 * them: the body is decoded (pruned, defaulted) and its managedFields entry recorded in the request's version
 * (that apiVersion, that version's field names); a patch or server-side apply works on the stored object
 * converted to the request's version; admission webhooks, defaulting and schema validation see the object in
 * the request's version; then it goes to the storage version through the webhook and is written there. The
 * steps returned are run by the admission driver (its `toStorage` converts) like any other write.
 */
export class ConvertedWrites {
  private readonly storage: Scope;

  constructor(private readonly state: ApiState, private readonly writer: Writer, private readonly bridge: VersionBridge, private readonly request: Scope) {
    this.storage = bridge.storageScope;
  }

  async createSteps(body: unknown, opts: WriteOptions): Promise<WriteSteps<Obj>> {
    // A body that is not an object is refused by the writer, with its words.
    if (!isObject(body)) return this.writer.createSteps(this.storage, body, opts);
    const object = this.decoded(body, opts);
    this.own(undefined, object, opts);
    return this.writer.createSteps(this.request, object, opts, { owned: true, recordManager: false, converted: true });
  }

  async updateSteps(name: string, body: unknown, opts: WriteOptions): Promise<WriteSteps<Obj>> {
    const current = this.stored(name);
    if (!isObject(body) || !current) return this.writer.updateSteps(this.storage, name, body, opts);
    const object = this.decoded(body, opts);
    const before = await this.bridge.toRequested(current);
    this.own(before, object, opts);
    return this.writer.updateSteps(this.request, name, object, opts, { recordManager: false, current: before, converted: true });
  }

  /** Merge, JSON and apply patches; `created` when an apply made the object. */
  async patchSteps(name: string, type: PatchType, body: string, opts: WriteOptions): Promise<{ steps: WriteSteps<Obj>; created: boolean }> {
    refuseUnservedPatch(this.request, type, opts);
    const current = this.stored(name);
    if (!current && (type !== 'apply' || opts.subresource === 'status')) throw errors.notFound(scopeTarget(this.storage, name));
    const before = current ? await this.bridge.toRequested(current) : undefined;
    const listTypes = this.request.resource.hooks?.listTypes?.(this.request.version);
    let patched: Obj;
    try {
      patched = applyPatch({
        type, current: before, patch: body, ...(listTypes ? { listTypes } : {}),
        ...(type === 'apply' ? { fieldManager: opts.fieldManager, force: opts.force } : {}),
      }) as Obj;
    } catch (err) {
      if (err instanceof PatchError) throw patchFailure(this.request, name, err);
      throw err;
    }
    const object = this.decoded(patched, opts);
    // An apply has recorded its manager; other patches are updates, owned like a PUT.
    if (type !== 'apply') this.own(before, object, opts);
    const meta = object.metadata as Obj;
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    if (!current) return { steps: this.writer.createSteps(this.request, object, opts, { owned: true, recordManager: false, converted: true }), created: true };
    return { steps: this.writer.updateSteps(this.request, name, object, opts, { recordManager: false, current: before, converted: true }), created: false };
  }

  private stored(name: string): Obj | undefined {
    return this.state.store.get(groupResourceOf(this.storage.resource), this.storage.namespace, name);
  }

  /** A copy of `body` in the request's version, checked (fieldValidation), pruned and defaulted with that version's schema. */
  private decoded(body: Obj, opts: WriteOptions): Obj {
    const object = structuredClone(body);
    checkTypeMeta(this.request, object);
    this.writer.decode(this.request, object, opts);
    return object;
  }

  private own(previous: Obj | undefined, next: Obj, opts: WriteOptions): void {
    const listTypes = this.request.resource.hooks?.listTypes?.(this.request.version);
    recordUpdateOwnership({ previous, next, manager: opts.fieldManager, subresource: opts.subresource, inPlace: true, ...(listTypes ? { listTypes } : {}) });
  }
}
