import { errors, type StatusCause } from './status.js';

/** The list and watch query parameters the real server checks together before serving. */
export interface ListOptionsQuery {
  watch: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  sendInitialEvents?: boolean;
}

function forbidden(field: string, message: string): StatusCause {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${message}` };
}

function notSupported(field: string, value: string, supported: string[]): StatusCause {
  return { reason: 'FieldValueNotSupported', field, message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` };
}

function watchProblems(q: ListOptionsQuery): StatusCause[] {
  const causes: StatusCause[] = [];
  const match = q.resourceVersionMatch ?? '';
  if (q.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    causes.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match !== '') {
    if (q.sendInitialEvents === undefined) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') causes.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (q.continue) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return causes;
}

function listProblems(q: ListOptionsQuery): StatusCause[] {
  const causes: StatusCause[] = [];
  const match = q.resourceVersionMatch ?? '';
  if (match !== '') {
    if (!q.resourceVersion) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (q.continue) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') causes.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && q.resourceVersion === '0') causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (q.sendInitialEvents !== undefined) causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return causes;
}

/**
 * Validates list and watch options the way the real server does (with its WatchList feature on, as in
 * v1.32): combinations it refuses are a 422 on `ListOptions.meta.k8s.io` with one cause per problem.
 * A watch takes only resourceVersionMatch=NotOlderThan, and only together with sendInitialEvents.
 */
export function validateListOptions(q: ListOptionsQuery): void {
  const causes = q.watch ? watchProblems(q) : listProblems(q);
  if (causes.length > 0) throw errors.invalid({ group: 'meta.k8s.io', plural: 'listoptions', kind: 'ListOptions', name: '' }, causes);
}
