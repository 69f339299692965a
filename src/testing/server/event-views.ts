import type { Obj } from './registry.js';
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

/** events.k8s.io/v1 Events: a view of the core/v1 Event storage. */
export const eventsV1View: StoredView = {
  storage: 'events',
  toStored(object) {
    return { ...rename(object, RENAMED), apiVersion: 'v1', kind: 'Event' };
  },
  fromStored(object, apiVersion, kind) {
    return { ...rename(object, REVERSED), apiVersion, kind };
  },
  storedField(label) {
    for (const [from, to] of RENAMED) {
      if (label === from) return to;
      if (label.startsWith(`${from}.`)) return to + label.slice(from.length);
    }
    return label;
  },
};
