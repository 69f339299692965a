import type { Obj } from './registry.js';

/**
 * A resource served as another version of a different resource's storage, with a field mapping:
 * the real server stores events.k8s.io/v1 Events and core/v1 Events as one resource.
 */
export interface StoredView {
  /** The storage key of the resource this one shows (`events`). */
  storage: string;
  /** The stored form of an object written through this view (in place is not allowed: return a new object). */
  toStored(object: Obj): Obj;
  /** How a stored object looks through this view, apiVersion and kind included. */
  fromStored(object: Obj, apiVersion: string, kind: string): Obj;
  /** The stored object's path for a field-selector label of this view (`regarding.name` → `involvedObject.name`). */
  storedField(label: string): string;
}
