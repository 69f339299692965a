import type { StatusCause } from '../status.js';
import type { Obj } from '../registry.js';
import { forbidden, invalid, isObject, required } from './field-errors.js';
import { qualifiedNameProblems } from './metadata-validation.js';

/** Lease and Event rules of the real server (coordination.k8s.io/v1, v1 Event, events.k8s.io/v1 Event). */

export function leaseProblems(obj: Obj): StatusCause[] {
  const spec = (isObject(obj.spec) ? obj.spec : {}) as Obj;
  const causes: StatusCause[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && !(spec.leaseDurationSeconds > 0)) {
    causes.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions !== null && !(spec.leaseTransitions >= 0)) {
    causes.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (typeof spec.preferredHolder === 'string' && spec.preferredHolder !== '' && (spec.strategy === undefined || spec.strategy === '')) {
    causes.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return causes;
}

/** The fields of an Event in the server's own terms, whichever API version it came through. */
interface EventView {
  namespace: string;
  involvedNamespace: string;
  eventTime: unknown;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
}

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 } as const;

/** Rules both Event APIs share; field paths are the core API's names even for events.k8s.io, as on a real server. */
function commonEventProblems(e: EventView, reportingField: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const hasEventTime = e.eventTime !== undefined && e.eventTime !== null && e.eventTime !== '';
  if (!hasEventTime) {
    const wrongNs = e.involvedNamespace === '' ? e.namespace !== '' && e.namespace !== 'default' : e.namespace !== e.involvedNamespace;
    if (wrongNs) causes.push(invalid('involvedObject.namespace', e.involvedNamespace, 'does not match event.namespace'));
    return causes;
  }
  if (e.involvedNamespace === '' && e.namespace !== 'default' && e.namespace !== 'kube-system') {
    causes.push(invalid('involvedObject.namespace', e.involvedNamespace, 'does not match event.namespace'));
  }
  if (e.reportingController === '') causes.push(required(reportingField));
  for (const p of qualifiedNameProblems(e.reportingController)) causes.push(invalid(reportingField, e.reportingController, p));
  if (e.reportingInstance === '') causes.push(required('reportingInstance'));
  if (e.reportingInstance.length > LIMITS.reportingInstance) causes.push(invalid('reportingInstance', '', `can have at most ${LIMITS.reportingInstance} characters`));
  if (e.action === '') causes.push(required('action'));
  if (e.action.length > LIMITS.action) causes.push(invalid('action', '', `can have at most ${LIMITS.action} characters`));
  if (e.reason === '') causes.push(required('reason'));
  if (e.reason.length > LIMITS.reason) causes.push(invalid('reason', '', `can have at most ${LIMITS.reason} characters`));
  if (e.message.length > LIMITS.message) causes.push(invalid('message', '', `can have at most ${LIMITS.message} characters`));
  return causes;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** v1 Event (core group). */
export function coreEventProblems(obj: Obj): StatusCause[] {
  return commonEventProblems({
    namespace: str(obj.metadata?.namespace), involvedNamespace: str(obj.involvedObject?.namespace), eventTime: obj.eventTime,
    reportingController: str(obj.reportingComponent), reportingInstance: str(obj.reportingInstance), action: str(obj.action),
    reason: str(obj.reason), message: str(obj.message),
  }, 'reportingComponent');
}

/** events.k8s.io/v1 Event: the legacy rules plus eventTime required, type Normal/Warning and no deprecated fields. */
export function eventsV1Problems(obj: Obj): StatusCause[] {
  const causes = commonEventProblems({
    namespace: str(obj.metadata?.namespace), involvedNamespace: str(obj.regarding?.namespace), eventTime: obj.eventTime,
    reportingController: str(obj.reportingController), reportingInstance: str(obj.reportingInstance), action: str(obj.action),
    reason: str(obj.reason), message: str(obj.note),
  }, 'reportingController');
  if (obj.eventTime === undefined || obj.eventTime === null || obj.eventTime === '') causes.push(required('eventTime'));
  if (obj.type !== 'Normal' && obj.type !== 'Warning') causes.push(invalid('type', '', `has invalid value: ${str(obj.type)}`));
  if (obj.deprecatedFirstTimestamp) causes.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (obj.deprecatedLastTimestamp) causes.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (obj.deprecatedCount) causes.push(invalid('count', '', 'needs to be unset'));
  if (isObject(obj.deprecatedSource) && (obj.deprecatedSource.component || obj.deprecatedSource.host)) causes.push(invalid('source', '', 'needs to be unset'));
  return causes;
}
