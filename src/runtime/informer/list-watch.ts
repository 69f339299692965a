import type { KubernetesObject } from '@kubernetes/client-node';
import { collectionPath, type ResourceType } from '../resource.js';
import { acceptFor, typeMetaOf } from '../metadata-only.js';
import { TransportError } from '../client/errors.js';
import type { RestTransport } from '../client/rest-transport.js';
import { readListAnswer } from '../client/read-list-answer.js';
import { protobufListsFor, readListPage } from '../client/protobuf/list-page.js';

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export interface StatusObject {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: StatusObject };

export interface WatchRequest {
  resourceVersion: string;
  timeoutSeconds: number;
  signal: AbortSignal;
}

export interface ListRequest {
  /**
   * '0': any recent state, which a real API server answers from its watch cache in one response (limit is
   * ignored there); '' (the default): the latest state, read from etcd page by page.
   */
  resourceVersion?: string;
}

/** Source of an informer: a full list, then a stream of changes. */
export interface ListerWatcher<T> {
  list(signal: AbortSignal, request?: ListRequest): Promise<ListResult<T>>;
  /** Delivers events until the stream ends (resolves) or breaks (rejects); aborting `signal` ends it. */
  watch(request: WatchRequest, onEvent: (event: WatchEvent<T>) => void): Promise<void>;
}

interface ListBody<T> {
  items?: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** What a list/watch source covers: one namespace (or all) and the server-side selectors. */
export interface ListWatchScope {
  /** Absent: every namespace (and always for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of lists; 500 as client-go's pager. */
  pageSize?: number;
}

/** How lists are asked for. */
export interface ListEncoding {
  /**
   * Ask for protobuf (JSON accepted) when listing a built-in kind the protobuf descriptor covers, as client-go's
   * typed clients do; the answer is decoded into the same objects as the JSON answer. Default false here; the
   * manager's `protobuf` option decides for its caches. Watches are JSON either way.
   */
  protobuf?: boolean;
}

/**
 * Lists (paginated, as client-go's pager) and watches one resource type over the REST transport. A metadata-only
 * resource type (metadataOnly(rt)) lists PartialObjectMetadataList and watches PartialObjectMetadata, as
 * client-go's metadata informer does: the server then sends no spec, data or status.
 */
export class RestListerWatcher<T extends KubernetesObject> implements ListerWatcher<T> {
  constructor(
    private readonly transport: RestTransport,
    private readonly rt: ResourceType<T>,
    private readonly options: ListWatchScope = {},
    private readonly encoding: ListEncoding = {},
  ) {}

  async list(signal: AbortSignal, request: ListRequest = {}): Promise<ListResult<T>> {
    const path = collectionPath(this.rt, this.options.namespace);
    const { labelSelector, fieldSelector } = this.options;
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    const typeMeta = typeMetaOf(this.rt);
    const complete = (item: unknown) => {
      const obj = item as T;
      if (obj === null || typeof obj !== 'object') return obj; // not an object: left for the store to reject, as before
      obj.apiVersion = typeMeta.apiVersion;
      obj.kind = typeMeta.kind;
      return obj;
    };
    const protobuf = this.encoding.protobuf === true && (await protobufListsFor(this.rt));
    do {
      // A continue token carries its snapshot's resourceVersion; the server rejects both together.
      const rv = cont ? undefined : request.resourceVersion || undefined;
      const query = { limit: this.options.pageSize ?? 500, continue: cont, resourceVersion: rv, labelSelector, fieldSelector };
      const req = { method: 'GET', path, query, signal, accept: acceptFor(this.rt, 'list') } as const;
      // JSON is decoded item by item as the answer arrives, so its whole text is never held beside the parsed items.
      // The items were parsed for this call alone, so they are completed in place: a copy of each would double the
      // garbage of a large first list (and its time) for nothing.
      const body = protobuf
        ? await readListPage<ListBody<T>>(this.transport, req, this.rt)
        : ((await this.transport.read(req, (res) => readListAnswer(res, req, { onItem: complete }))) as ListBody<T>);
      for (const item of body.items ?? []) items.push(protobuf ? complete(item) : item);
      resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
      cont = body.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  async watch(request: WatchRequest, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    const path = collectionPath(this.rt, this.options.namespace);
    const { labelSelector, fieldSelector } = this.options;
    const query = { watch: true, resourceVersion: request.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: request.timeoutSeconds, labelSelector, fieldSelector };
    const res = await this.transport.stream({ method: 'GET', path, query, signal: request.signal, accept: acceptFor(this.rt, 'object') });
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      let settled = false;
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        request.signal.removeEventListener('abort', onAbort);
        res.destroy();
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => finish();
      request.signal.addEventListener('abort', onAbort, { once: true });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line) continue;
          let event: WatchEvent<T>;
          try {
            event = JSON.parse(line) as WatchEvent<T>;
          } catch (cause) {
            return finish(new TransportError(`watch ${path}: a line of the stream is not JSON`, cause));
          }
          try {
            onEvent(event);
          } catch (err) {
            return finish(err);
          }
        }
      });
      res.on('end', () => finish());
      res.on('aborted', () => finish(new TransportError(`watch ${path}: the connection broke off`, undefined)));
      res.on('error', (err) => finish(request.signal.aborted ? undefined : new TransportError(`watch ${path}: ${err.message}`, err)));
      res.on('close', () => finish());
    });
  }
}
