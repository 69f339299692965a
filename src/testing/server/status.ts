import { OperatorTsError } from '../../errors.js';

/** One reason of a failure, as in a Kubernetes StatusCause. */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The Kubernetes Status object every error answer carries. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/**
 * An error the server answers with on purpose. Handlers throw it; the request wrapper turns it into a
 * Status body with the same code, so no handler writes error responses itself.
 */
export class StatusError extends OperatorTsError {
  readonly httpCode: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(httpCode: number, reason: string, message: string, details?: StatusDetails, hint?: string) {
    super(`EAPI${httpCode}`, message, { hint });
    this.httpCode = httpCode;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): KubeStatus {
    const status: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.httpCode };
    if (this.details) status.details = this.details;
    // An error without a reason (a bare 500) has none in its Status, as the real server's JSON omits it.
    if (!this.reason) delete (status as Partial<KubeStatus>).reason;
    return status;
  }
}

/** What an error names: the resource ('configmaps', 'widgets.example.com') and the object. */
export interface Target {
  group: string;
  plural: string;
  name?: string;
  kind?: string;
}

/** `configmaps` or `widgets.example.com`, the way the real server names resources in messages. */
export function qualifiedResource(t: Pick<Target, 'group' | 'plural'>): string {
  return t.group === '' ? t.plural : `${t.plural}.${t.group}`;
}

/** Empty fields are left out, as the real server's JSON omits them. */
function targetDetails(t: Target): StatusDetails {
  const details: StatusDetails = { kind: t.plural };
  if (t.group !== '') details.group = t.group;
  if (t.name !== undefined && t.name !== '') details.name = t.name;
  return details;
}

export const errors = {
  notFound: (t: Target) =>
    new StatusError(404, 'NotFound', `${qualifiedResource(t)} "${t.name ?? ''}" not found`, targetDetails(t)),
  alreadyExists: (t: Target) =>
    new StatusError(409, 'AlreadyExists', `${qualifiedResource(t)} "${t.name ?? ''}" already exists`, targetDetails(t)),
  conflict: (t: Target, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(t)} "${t.name ?? ''}": ${why}`, targetDetails(t)),
  /** 422 with one cause per field, message `<Kind>.<group> "<name>" is invalid: <field>: <problem>, ...` like the real server. */
  invalid: (t: Target & { kind: string }, causes: StatusCause[]) => {
    const qualifiedKind = t.group === '' ? t.kind : `${t.kind}.${t.group}`;
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new StatusError(422, 'Invalid', `${qualifiedKind} "${t.name ?? ''}" is invalid: ${body}`, {
      ...(t.name ? { name: t.name } : {}), ...(t.group ? { group: t.group } : {}), kind: t.kind, causes,
    });
  },
  badRequest: (message: string, hint?: string) => new StatusError(400, 'BadRequest', message, undefined, hint),
  forbidden: (t: Target, why: string, causes?: StatusCause[]) =>
    new StatusError(403, 'Forbidden', `${qualifiedResource(t)} "${t.name ?? ''}" is forbidden: ${why}`, { ...targetDetails(t), ...(causes ? { causes } : {}) }),
  methodNotAllowed: (message: string) => new StatusError(405, 'MethodNotAllowed', message),
  notAcceptable: (message: string) => new StatusError(406, 'NotAcceptable', message),
  unsupportedMediaType: (message: string) => new StatusError(415, 'UnsupportedMediaType', message),
  expired: (message: string) => new StatusError(410, 'Expired', message),
  tooLarge: (limit: number) => new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  unauthorized: () => new StatusError(401, 'Unauthorized', 'Unauthorized', undefined, 'Send the header `Authorization: Bearer <token>` with the token the test server was started with.'),
  pathNotFound: (path: string) => new StatusError(404, 'NotFound', `the server could not find the requested resource (path ${path})`),
  internal: (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`),
};
