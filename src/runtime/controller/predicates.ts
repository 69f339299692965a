import type { KubernetesObject } from '@kubernetes/client-node';
import type { Predicate } from './types.js';

/** Updates pass only when metadata.generation changed (spec changes; status-only writes are ignored). */
export const generationChangedPredicate: Predicate = {
  update: (oldObj, newObj) => oldObj.metadata?.generation !== newObj.metadata?.generation,
};

/** Updates pass only when labels changed. */
export const labelChangedPredicate: Predicate = {
  update: (oldObj, newObj) => !shallowEqual(oldObj.metadata?.labels, newObj.metadata?.labels),
};

/** Updates pass only when annotations changed. */
export const annotationChangedPredicate: Predicate = {
  update: (oldObj, newObj) => !shallowEqual(oldObj.metadata?.annotations, newObj.metadata?.annotations),
};

/** Updates pass only when the resourceVersion changed (drops no-op relist updates). */
export const resourceVersionChangedPredicate: Predicate = {
  update: (oldObj, newObj) => oldObj.metadata?.resourceVersion !== newObj.metadata?.resourceVersion,
};

/** Every event kind passes when `test(obj)` is true (for updates, the new object). */
export function objectPredicate<T extends KubernetesObject>(test: (obj: T) => boolean): Predicate<T> {
  return { create: test, update: (_o, n) => test(n), delete: test };
}

/** Passes when any predicate passes. */
export function anyPredicate<T extends KubernetesObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => predicates.some((p) => p.create?.(o) ?? true),
    update: (o, n) => predicates.some((p) => p.update?.(o, n) ?? true),
    delete: (o) => predicates.some((p) => p.delete?.(o) ?? true),
  };
}

function shallowEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  const bk = Object.keys(b ?? {});
  return ak.length === bk.length && ak.every((k) => a![k] === b?.[k]);
}
