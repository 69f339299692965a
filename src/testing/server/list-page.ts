import { objectKey, type ObjectStore } from './object-store.js';
import type { Obj } from './registry.js';
import { errors } from './status.js';

/** What a continue token carries: the snapshot's resourceVersion and the last key already returned. */
export interface ContinueToken {
  rv: number;
  after: string;
}

export function encodeContinueToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinueToken(text: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof token.rv === 'number' && Number.isInteger(token.rv) && token.rv >= 0 && typeof token.after === 'string') return token;
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest(`the continue token ${JSON.stringify(text)} is not valid: pass the metadata.continue value of the previous page unchanged`);
}

export interface PageRequest {
  groupResource: string;
  /** undefined: every namespace. */
  namespace?: string;
  /** The snapshot to read: the store's current revision or an older one still in the event history. */
  rv: number;
  /** Start strictly after this key ('' : from the first). */
  after: string;
  /** Items per page; undefined: everything. */
  limit?: number;
  matches: (object: Obj) => boolean;
  /** Count what remains after the page (a real server only does so for lists without selectors). */
  countRemaining: boolean;
  /** Message of the 410 when `rv` is older than the history. */
  expiredMessage: string;
}

export interface Page {
  items: Obj[];
  /** Set when the page is full and more keys follow in the snapshot: where the next page starts. */
  continueAfter?: string;
  remainingItemCount?: number;
}

/**
 * One page of a list at revision `rv`, in namespace/name order. The store holds only the current
 * state, so the snapshot is the current keys with the changes made after `rv` undone: the cost is
 * O(log N + keys scanned + changes since rv), never a pass over every object.
 */
export function readPage(store: ObjectStore, request: PageRequest): Page {
  const { groupResource, namespace, after, limit } = request;
  const undone = changesSince(store, request);
  const sequence = mergeSnapshot(store.scan(groupResource, namespace, after)[Symbol.iterator](), undone, after);
  const items: Obj[] = [];
  let next = sequence.next();
  while (!next.done && (limit === undefined || items.length < limit)) {
    if (request.matches(next.value[1])) items.push(next.value[1]);
    if (limit !== undefined && items.length === limit) break;
    next = sequence.next();
  }
  if (limit === undefined || items.length < limit) return { items };
  // The page is full: the next page starts after its last item, if any key follows at all.
  const last = keyOf(items[items.length - 1]!);
  if (sequence.next().done) return { items };
  const page: Page = { items, continueAfter: last };
  if (request.countRemaining) page.remainingItemCount = remainingAfter(store, request, undone, last);
  return page;
}

/** Keys changed after rv (in the request's namespace), each with its state at rv (undefined: absent then). */
interface Undone {
  changed: Map<string, Obj | undefined>;
  /** The changed keys that existed at rv, sorted, with their state then. */
  past: Array<[string, Obj]>;
}

function changesSince(store: ObjectStore, request: PageRequest): Undone {
  const changed = new Map<string, Obj | undefined>();
  if (request.rv >= store.currentRevision()) return { changed, past: [] };
  const later = store.log.since(request.groupResource, request.rv);
  if (!later) throw errors.expired(request.expiredMessage);
  for (const event of later) {
    const key = keyOf(event.object);
    if (request.namespace !== undefined && event.object.metadata?.namespace !== request.namespace) continue;
    // The first change after rv tells the state at rv: absent before an ADDED, else the previous state.
    if (!changed.has(key)) changed.set(key, event.type === 'ADDED' ? undefined : event.previous);
  }
  const past: Array<[string, Obj]> = [];
  for (const [key, object] of changed) if (object !== undefined) past.push([key, object]);
  past.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { changed, past };
}

/** Merges the current keys after `after` (minus changed ones) with the changed keys' past states. */
function* mergeSnapshot(live: Iterator<[string, Obj]>, undone: Undone, after: string): Generator<[string, Obj]> {
  const { changed, past } = undone;
  let p = firstAfter(past, after);
  let l = live.next();
  for (;;) {
    while (!l.done && changed.has(l.value[0])) l = live.next();
    const old = past[p];
    if (l.done && old === undefined) return;
    if (old !== undefined && (l.done || old[0] < l.value[0])) {
      yield old;
      p++;
    } else if (!l.done) {
      yield l.value;
      l = live.next();
    }
  }
}

function remainingAfter(store: ObjectStore, request: PageRequest, undone: Undone, last: string): number {
  let remaining = store.countAfter(request.groupResource, request.namespace, last);
  for (const key of undone.changed.keys()) {
    if (key > last && keyExists(store, request.groupResource, key)) remaining--;
  }
  return remaining + undone.past.length - firstAfter(undone.past, last);
}

function keyExists(store: ObjectStore, groupResource: string, key: string): boolean {
  const slash = key.indexOf('/');
  return store.get(groupResource, key.slice(0, slash) || undefined, key.slice(slash + 1)) !== undefined;
}

/** Index of the first entry whose key is greater than `key` (binary search over sorted entries). */
function firstAfter(entries: Array<[string, Obj]>, key: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]![0] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function keyOf(object: Obj): string {
  return objectKey(object.metadata?.namespace, object.metadata?.name);
}
