import type { ServerResponse } from 'node:http';
import type { StoredEvent } from './event-log.js';
import { buildFilter, matchesFilter, parseResourceVersion, type Filter } from './reads.js';
import { apiVersionOf, groupResourceOf, type Obj } from './registry.js';
import type { ApiState, Scope } from './state.js';
import { errors, type StatusError } from './status.js';
import { toPartialObjectMetadata } from './representation.js';

export interface WatchQuery {
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** What events carry (default: the objects themselves). */
  objects?: WatchObjects;
  /**
   * Converts a stored object to the watched version (a CRD's conversion webhook). Events then go out in order
   * as their conversions finish; a failed conversion ends the watch, as the real server ends it when it cannot
   * encode an event.
   */
  convert?: (object: Obj) => Promise<Obj>;
}

/**
 * The objects of a watch's events: the objects, their PartialObjectMetadata (bookmarks too), or nothing at all,
 * which is what the real server streams to a watch that asked for PartialObjectMetadataList.
 */
export type WatchObjects = { as: 'object' } | { as: 'PartialObjectMetadata'; apiVersion: string } | { as: 'nothing' };

export interface WatchSettings {
  /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** Used when the client gives no timeoutSeconds. */
  defaultTimeoutSeconds: number;
}

type OutType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What a watcher with selectors sees of a change: objects moving out of the selection are DELETED for it. */
function visibleAs(event: StoredEvent, filter: Filter): OutType | undefined {
  const now = event.type !== 'DELETED' && matchesFilter(filter, event.object);
  if (event.type === 'ADDED') return now ? 'ADDED' : undefined;
  if (event.type === 'DELETED') return matchesFilter(filter, event.object) ? 'DELETED' : undefined;
  const before = event.previous !== undefined && matchesFilter(filter, event.previous);
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}

/** One open watch stream. */
class WatchConnection {
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: () => void = () => {};

  constructor(readonly groupResource: string, private readonly res: ServerResponse, private readonly onClose: (c: WatchConnection) => void) {
    res.on('close', () => this.cleanup());
  }

  write(line: string): void {
    if (!this.closed) this.res.write(line);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  follow(unsubscribe: () => void): void {
    this.unsubscribe = unsubscribe;
  }

  every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  after(ms: number, fn: () => void): void {
    const t = setTimeout(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Ends the stream cleanly (the client sees the response finish). */
  end(): void {
    if (this.closed) return;
    this.res.end();
    this.cleanup();
  }

  /** Cuts the connection without finishing the chunked body, like a network failure. */
  drop(): void {
    if (this.closed) return;
    this.res.destroy();
    this.cleanup();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.onClose(this);
  }
}

/** Serves `?watch=1` requests and keeps track of the open streams. */
export class WatchHub {
  private readonly open = new Set<WatchConnection>();
  /** Serialised lines per stored event and version, shared by every watcher that sends the same line. */
  private readonly lineCache = new WeakMap<StoredEvent, Map<string, string>>();
  /** Conversions of stored events to a watched version, shared by the watchers of that version. */
  private readonly conversions = new WeakMap<StoredEvent, Map<string, Promise<Obj>>>();

  constructor(private readonly state: ApiState, private readonly settings: WatchSettings) {}

  get openCount(): number {
    return this.open.size;
  }

  /** Validates the query (errors are thrown before any byte is sent), then streams. */
  serve(scope: Scope, query: WatchQuery, res: ServerResponse): void {
    const filter = buildFilter(scope, query.labelSelector, query.fieldSelector);
    const rv = parseResourceVersion(query.resourceVersion);
    if (query.timeoutSeconds !== undefined && (!Number.isFinite(query.timeoutSeconds) || query.timeoutSeconds < 0)) {
      throw errors.badRequest(`timeoutSeconds must be a non-negative integer, got ${query.timeoutSeconds}`);
    }
    const groupResource = groupResourceOf(scope.resource);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const conn = new WatchConnection(groupResource, res, (c) => this.open.delete(c));
    this.open.add(conn);
    const objects = query.objects ?? { as: 'object' };
    if (objects.as === 'nothing') {
      conn.after((query.timeoutSeconds ?? this.settings.defaultTimeoutSeconds) * 1000, () => conn.end());
      return;
    }
    const render = (object: Obj): Obj => (objects.as === 'PartialObjectMetadata' ? toPartialObjectMetadata(object, objects.apiVersion) : object);
    const { convert } = query;
    // Without conversion every line is written at once; with it, lines wait in order for their conversions.
    let pending = Promise.resolve();
    const emit = (line: string | (() => Promise<string>)): void => {
      if (!convert) return conn.write(line as string);
      pending = pending.then(async () => {
        if (conn.isClosed) return;
        try {
          conn.write(typeof line === 'string' ? line : await line());
        } catch {
          conn.end();
        }
      });
    };
    const eventLine = (type: string, object: Obj) => JSON.stringify({ type, object: render(object) }) + '\n';

    const send = (event: StoredEvent) => {
      const type = visibleAs(event, filter);
      if (!type) return;
      if (convert) emit(async () => eventLine(type, await this.converted(event, scope, convert)));
      else emit(this.line(event, type, scope, objects));
    };
    const initial = rv === undefined || rv === 0 || query.sendInitialEvents === true;
    if (initial) {
      for (const object of this.state.store.list(groupResource, scope.namespace)) {
        if (!matchesFilter(filter, object)) continue;
        if (convert) emit(async () => eventLine('ADDED', await convert(object)));
        else emit(eventLine('ADDED', this.state.present(scope.resource, scope.version, object)));
      }
      if (query.sendInitialEvents && query.allowWatchBookmarks) emit(this.bookmark(scope, true, render));
    } else {
      const history = this.state.store.log.since(groupResource, rv);
      if (!history) {
        const oldest = this.state.store.log.oldestAvailable();
        conn.write(errorLine(errors.expired(`too old resource version: ${rv} (${oldest + 1})`)));
        conn.end();
        return;
      }
      for (const event of history) send(event);
    }
    conn.follow(this.state.store.log.subscribe(groupResource, send));
    if (query.allowWatchBookmarks) conn.every(this.settings.bookmarkIntervalMs, () => emit(this.bookmark(scope, false, render)));
    const timeout = query.timeoutSeconds ?? this.settings.defaultTimeoutSeconds;
    // Like the real watch cache, a bookmark shortly before the deadline lets the client resume from it.
    if (query.allowWatchBookmarks && timeout > 0) {
      const bookmarkAtMs = timeout > 2 ? (timeout - 2) * 1000 : timeout * 500;
      conn.after(bookmarkAtMs, () => emit(this.bookmark(scope, false, render)));
    }
    conn.after(timeout * 1000, () => conn.end());
  }

  /** Ends every watch on one resource (its CRD went away). */
  endResource(groupResource: string): void {
    for (const conn of [...this.open]) if (conn.groupResource === groupResource) conn.end();
  }

  /** Cuts every open watch abruptly, so clients have to notice and reconnect. */
  dropAll(): void {
    for (const conn of [...this.open]) conn.drop();
  }

  /** Ends every open watch cleanly (server shutdown). */
  endAll(): void {
    for (const conn of [...this.open]) conn.end();
  }

  /**
   * An event's object in the watched version. Watchers of the same version share one conversion per event (the
   * real server converts for each watcher; the webhook sees fewer reviews here).
   */
  private converted(event: StoredEvent, scope: Scope, convert: (object: Obj) => Promise<Obj>): Promise<Obj> {
    let perEvent = this.conversions.get(event);
    if (!perEvent) {
      perEvent = new Map();
      this.conversions.set(event, perEvent);
    }
    let result = perEvent.get(scope.version);
    if (!result) {
      result = convert(event.object);
      perEvent.set(scope.version, result);
      // A failure is not kept: the next watcher tries again.
      result.catch(() => perEvent!.delete(scope.version));
    }
    return result;
  }

  private line(event: StoredEvent, type: OutType, scope: Scope, objects: WatchObjects): string {
    const partial = objects.as === 'PartialObjectMetadata' ? objects.apiVersion : undefined;
    const cacheKey = `${type} ${scope.version}${partial ? ` ${partial}` : ''}`;
    let perEvent = this.lineCache.get(event);
    const cached = perEvent?.get(cacheKey);
    if (cached) return cached;
    const object = this.state.present(scope.resource, scope.version, event.object);
    const text = JSON.stringify({ type, object: partial ? toPartialObjectMetadata(object, partial) : object }) + '\n';
    if (!perEvent) {
      perEvent = new Map();
      this.lineCache.set(event, perEvent);
    }
    perEvent.set(cacheKey, text);
    return text;
  }

  private bookmark(scope: Scope, initialEventsEnd: boolean, render: (object: Obj) => Obj): string {
    const metadata: Obj = { resourceVersion: String(this.state.store.currentRevision()) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return JSON.stringify({ type: 'BOOKMARK', object: render({ kind: scope.resource.kind, apiVersion: apiVersionOf(scope.resource.group, scope.version), metadata }) }) + '\n';
  }
}

function errorLine(error: StatusError): string {
  return JSON.stringify({ type: 'ERROR', object: error.toStatus() }) + '\n';
}
