import type { KindHooks, Obj } from './registry.js';
import type { StoredView } from './stored-view.js';

/**
 * events.k8s.io/v1 field → core/v1 field (the rest share names: reason, type, eventTime, series, action,
 * related, reportingInstance). Mirrors Kubernetes' Convert_v1_Event_To_core_Event.
 */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(object: Obj, pairs: ReadonlyArray<readonly [string, string]>): Obj {
  const out: Obj = { ...object };
  for (const [from] of pairs) delete out[from];
  for (const [from, to] of pairs) {
    if (object[from] !== undefined) out[to] = object[from];
    else delete out[to];
  }
  return out;
}

const REVERSED = RENAMED.map(([a, b]) => [b, a] as const);

/**
 * Fields a real server always prints for a core/v1 Event (they have no omitempty): an empty source, null
 * timestamps, empty reporting strings.
 */
function withCoreFields(event: Obj): Obj {
  event.source ??= {};
  if (event.firstTimestamp === undefined) event.firstTimestamp = null;
  if (event.lastTimestamp === undefined) event.lastTimestamp = null;
  if (event.eventTime === undefined) event.eventTime = null;
  event.reportingComponent ??= '';
  event.reportingInstance ??= '';
  return event;
}

/** core/v1 Events store the fields the real server always prints. */
export const coreEventHooks: KindHooks = {
  prepare(obj) {
    withCoreFields(obj);
  },
};

/** events.k8s.io/v1 Events: a view of the core/v1 Event storage. */
export const eventsV1View: StoredView = {
  storage: 'events',
  toStored(object) {
    return withCoreFields({ ...rename(object, RENAMED), apiVersion: 'v1', kind: 'Event' });
  },
  fromStored(object, apiVersion, kind) {
    const view: Obj = { ...rename(object, REVERSED), apiVersion, kind };
    // events.k8s.io/v1 omits empty reporting strings, where core/v1 prints them.
    if (view.reportingController === '') delete view.reportingController;
    if (view.reportingInstance === '') delete view.reportingInstance;
    return view;
  },
  storedField(label) {
    for (const [from, to] of RENAMED) {
      if (label === from) return to;
      if (label.startsWith(`${from}.`)) return to + label.slice(from.length);
    }
    return label;
  },
};
