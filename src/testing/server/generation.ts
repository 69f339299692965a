import { specPart } from './object-meta.js';
import type { Obj, ServedResource } from './registry.js';

/**
 * The part of an object whose changes bump metadata.generation. Custom resources: everything but metadata
 * (and status when it is a subresource). Built-in kinds: the fields their strategy compares (`spec`, `webhooks`,
 * `metadata.annotations` for Deployments).
 */
export function generationInput(resource: Pick<ServedResource, 'generation' | 'statusSubresource'>, object: Obj): unknown {
  if (!resource.generation) return specPart(object, resource.statusSubresource);
  return resource.generation.fields.map((path) => path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Obj)[key] : undefined), object));
}
