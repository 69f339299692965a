import type { KubernetesObject } from '@kubernetes/client-node';
import { ValidationError } from '../../errors.js';
import type { ResourceType } from '../resource.js';
import { metadataOnly, type PartialObjectMetadata } from '../metadata-only.js';
import type { Request } from '../types.js';
import { requestForOwner } from '../helpers/owner-references.js';
import { Controller, type WatchSource } from './controller.js';
import type { ControllerManager, Predicate, Reconciler } from './types.js';
import { checkPredicate, ControllerOptionsError, resolveControllerBuildOptions, type ControllerBuildOptions } from './build-options.js';

export type { ControllerBuildOptions };

export interface WatchOptions<T extends KubernetesObject> {
  predicates?: Predicate<T>[];
  /** See MetadataOnlyWatchOptions. */
  metadataOnly?: false;
}

/**
 * Watch only the objects' metadata (PartialObjectMetadata): the cache keeps no spec, data or status of this
 * kind, which for Secrets or Pods is most of the memory. Events, predicates and maps see PartialObjectMetadata;
 * ownerReferences are metadata, so owns() still finds the owner. Cached reads of these objects go through
 * metadataOnly(rt): `client.get(metadataOnly(Secret), key)`. Same as passing metadataOnly(rt) as the resource.
 */
export interface MetadataOnlyWatchOptions {
  predicates?: Predicate<PartialObjectMetadata>[];
  metadataOnly: true;
}

type AnyWatchOptions = { predicates?: Predicate[]; metadataOnly?: boolean };

/** The resource type a watch uses: the metadata-only view when asked for; `metadataOnly` must be a boolean. */
function watchedType(method: string, rt: ResourceType<KubernetesObject>, opts: AnyWatchOptions): ResourceType<KubernetesObject> {
  const flag = opts.metadataOnly;
  if (flag !== undefined && typeof flag !== 'boolean') {
    throw new ValidationError(`${method}(${rt?.kind}): metadataOnly ${JSON.stringify(flag)} is not a boolean`, { hint: 'pass metadataOnly: true to cache only metadata, or leave it out' });
  }
  return flag ? metadataOnly(rt) : rt;
}

const usedNames = new WeakMap<ControllerManager, Set<string>>();
const NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

/**
 * Builds a controller: `.for(primary)` once, then any `.owns(child)` and `.watches(other, map)`.
 * `complete` adds it to the manager, as a leader-only runnable unless `needLeaderElection: false`.
 */
export class ControllerBuilder {
  private name?: string;
  private primary?: ResourceType<KubernetesObject>;
  private readonly sources: WatchSource[] = [];
  private options: ControllerBuildOptions = {};
  private readonly eventFilters: Predicate[] = [];

  constructor(private readonly manager: ControllerManager) {}

  named(name: string): this {
    this.name = name;
    return this;
  }

  for<T extends KubernetesObject>(rt: ResourceType<T>, opts: MetadataOnlyWatchOptions): this;
  for<T extends KubernetesObject>(rt: ResourceType<T>, opts?: WatchOptions<T>): this;
  for(rt: ResourceType<KubernetesObject>, opts: AnyWatchOptions = {}): this {
    if (this.primary) {
      throw new ValidationError(`for() was called twice (${this.primary.kind}, then ${rt.kind})`, { hint: 'a controller reconciles one primary kind; use owns() or watches() for the others' });
    }
    this.primary = watchedType('for', rt, opts);
    this.sources.unshift({
      rt: this.primary,
      toRequests: (obj) => [{ namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' }],
      predicates: predicatesOf(`for(${rt.kind})`, opts.predicates),
    });
    return this;
  }

  /** Events of `rt` objects whose controller owner is of the primary kind reconcile that owner. */
  owns<T extends KubernetesObject>(rt: ResourceType<T>, opts: MetadataOnlyWatchOptions): this;
  owns<T extends KubernetesObject>(rt: ResourceType<T>, opts?: WatchOptions<T>): this;
  owns(rt: ResourceType<KubernetesObject>, opts: AnyWatchOptions = {}): this {
    const owner = () => this.primary!;
    this.sources.push({
      rt: watchedType('owns', rt, opts),
      toRequests: (obj) => requestForOwner(obj, owner()),
      predicates: predicatesOf(`owns(${rt.kind})`, opts.predicates),
    });
    return this;
  }

  /**
   * Events of `rt` objects reconcile whatever `map` returns. `map` may be async, e.g. to list the primaries that
   * reference the object through a field index (`client.list(Primary, { matchingFields })`).
   */
  watches<T extends KubernetesObject>(rt: ResourceType<T>, map: (obj: PartialObjectMetadata) => Request[] | Promise<Request[]>, opts: MetadataOnlyWatchOptions): this;
  watches<T extends KubernetesObject>(rt: ResourceType<T>, map: (obj: T) => Request[] | Promise<Request[]>, opts?: WatchOptions<T>): this;
  watches(rt: ResourceType<KubernetesObject>, map: (obj: never) => Request[] | Promise<Request[]>, opts: AnyWatchOptions = {}): this {
    if (typeof map !== 'function') throw new ValidationError(`watches(${rt.kind}) needs a map function`, { hint: 'pass (obj) => [{ namespace, name }]' });
    this.sources.push({
      rt: watchedType('watches', rt, opts),
      toRequests: (obj) => (map as (obj: KubernetesObject) => Request[] | Promise<Request[]>)(obj) ?? [],
      predicates: predicatesOf(`watches(${rt.kind})`, opts.predicates),
    });
    return this;
  }

  /**
   * Filters the events of every source (for, owns and watches) through `predicate`, before each source's own
   * predicates (controller-runtime's WithEventFilter). May be called more than once; all must pass.
   */
  withEventFilter<T extends KubernetesObject = KubernetesObject>(predicate: Predicate<T>): this {
    this.eventFilters.push(checkPredicate('withEventFilter()', predicate) as Predicate);
    return this;
  }

  withOptions(options: ControllerBuildOptions): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  complete(reconciler: Reconciler): Controller {
    if (!this.primary) throw new ValidationError('the controller has no primary kind', { hint: 'call .for(MyKind) before .complete()' });
    if (!reconciler || typeof reconciler.reconcile !== 'function') {
      throw new ValidationError('complete() needs a reconciler with a reconcile(request, context) method', { hint: 'pass an object or class instance implementing Reconciler' });
    }
    const name = this.name ?? this.primary.kind.toLowerCase();
    if (!NAME.test(name)) {
      throw new ValidationError(`controller name "${name}" is invalid: use lowercase letters, digits, '-', '_' and '.', starting and ending alphanumeric`, { hint: "e.g. .named('memcached')" });
    }
    const names = usedNames.get(this.manager) ?? new Set<string>();
    usedNames.set(this.manager, names);
    if (names.has(name)) {
      throw new ValidationError(`a controller named "${name}" is already registered with this manager`, { hint: 'names label metrics and logs, so they must be unique: pass .named(...)' });
    }
    const max = this.options.maxConcurrentReconciles ?? this.manager.defaultMaxConcurrentReconciles ?? 1;
    if (!Number.isInteger(max) || max < 1) {
      throw new ValidationError(`maxConcurrentReconciles must be a whole number of at least 1, got ${max}`, { hint: 'e.g. withOptions({ maxConcurrentReconciles: 2 })' });
    }
    const resolved = resolveControllerBuildOptions(name, this.options);
    names.add(name);
    const controller = new Controller({
      name,
      manager: this.manager,
      reconciler,
      sources: [...this.sources],
      maxConcurrentReconciles: max,
      ...resolved,
      eventFilters: [...this.eventFilters],
    });
    this.manager.add(controller);
    return controller;
  }
}

export function controllerManagedBy(manager: ControllerManager): ControllerBuilder {
  return new ControllerBuilder(manager);
}

/** A source's predicates, each checked at setup so a bad one fails here rather than at the first event. */
function predicatesOf(where: string, predicates: unknown): Predicate[] {
  if (predicates === undefined) return [];
  if (!Array.isArray(predicates)) throw new ControllerOptionsError(where, `${where}: predicates must be an array, got ${typeof predicates}`, 'pass { predicates: [generationChangedPredicate] }');
  return predicates.map((p) => checkPredicate(where, p));
}
