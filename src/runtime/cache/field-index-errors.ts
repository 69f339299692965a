import { OperatorTsError } from '../../errors.js';

/**
 * `indexField` was called with something it cannot index: not a resource type, an empty, malformed or
 * repeated field name, an extractor that is not a function, or a kind whose informer runs already.
 * Raised by the call itself, before any event.
 */
export class IndexFieldError extends OperatorTsError {
  /** The resource's kind, or a description of the value given as the resource. */
  readonly resource: string;
  readonly field: unknown;
  constructor(resource: string, field: unknown, message: string, hint: string) {
    super('EINDEXFIELD', message, { hint });
    this.resource = resource;
    this.field = field;
  }
}

/**
 * An index function threw on an object or returned something other than an array of strings. The cache logs it
 * and leaves the object out of that index (it is indexed again on its next change), so one odd object never
 * stops the process or the cache; a list by that field does not return it meanwhile.
 */
export class IndexFunctionError extends OperatorTsError {
  readonly resource: string;
  readonly field: string;
  /** 'namespace/name' (or 'name' for a cluster-scoped object). */
  readonly object: string;
  constructor(resource: string, field: string, object: string, problem: string, cause?: unknown) {
    super('EINDEXFUNCTION', `the index function of field '${field}' on ${resource} ${problem} for ${resource} ${object}; the object is left out of that index until it changes`, {
      hint: 'make the index function return an array of strings for every object, e.g. (obj) => (obj.spec?.secretRef ? [obj.spec.secretRef] : [])',
      cause,
    });
    this.resource = resource;
    this.field = field;
    this.object = object;
  }
}

/** A cached list asked for `matchingFields` on a field no index was registered for (controller-runtime: "Index with name field:... does not exist"). */
export class UnindexedFieldError extends OperatorTsError {
  readonly resource: string;
  readonly field: string;
  constructor(resource: string, field: string, indexed: readonly string[]) {
    const known = indexed.length > 0 ? `; its indexed fields are ${indexed.map((f) => `'${f}'`).join(', ')}` : '; it has no indexed fields';
    super('EUNINDEXEDFIELD', `cannot list ${resource} from the cache by field '${field}': no index exists for that field${known}`, {
      hint: `register it before the manager starts: manager.fieldIndexer.indexField(${resource}, '${field}', (obj) => [...values]); or list with manager.apiReader, which sends matchingFields to the server as a fieldSelector`,
    });
    this.resource = resource;
    this.field = field;
  }
}
