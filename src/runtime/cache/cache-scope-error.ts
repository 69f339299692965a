import { OperatorTsError } from '../../errors.js';

/**
 * A cached read asked for a namespace the cache does not hold. controller-runtime answers the same read with
 * "unable to get: ns/name because of unknown namespace for the cache"; an empty answer would be a silent lie.
 */
export class NamespaceNotCachedError extends OperatorTsError {
  readonly kind: string;
  readonly namespace: string;
  readonly cachedNamespaces: readonly string[];

  constructor(operation: 'get' | 'list', kind: string, namespace: string, cachedNamespaces: readonly string[], name?: string) {
    const what = name === undefined ? `${kind} in namespace '${namespace}'` : `${kind} ${namespace}/${name}`;
    super('ENAMESPACENOTCACHED', `cannot ${operation} ${what} from the cache: it caches ${kind} only in ${cachedNamespaces.map((n) => `'${n}'`).join(', ')}`, {
      hint: `read objects outside the cache with client.read() (uncached, if the service account may), or add '${namespace}' to the manager's cache namespaces (--watch-namespace in a generated project)`,
    });
    this.kind = kind;
    this.namespace = namespace;
    this.cachedNamespaces = cachedNamespaces;
  }
}
