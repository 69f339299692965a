import type { IncomingMessage } from 'node:http';
import type { DeleteOptions, PropagationPolicy } from './deletes.js';
import { decodeObjectBody, readBody, type Query } from './http-io.js';
import type { Obj } from './registry.js';
import { errors, type StatusCause } from './status.js';

const POLICIES: readonly string[] = ['Foreground', 'Background', 'Orphan'];

/** A Go-syntax rendering of a bad value, the way the real server quotes it in validation messages. */
function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  return JSON.stringify(value);
}

/** The raw options of a DELETE: the body when there is one (then the query is not read), else the query. */
async function rawOptions(req: IncomingMessage, query: Query, maxBodyBytes: number): Promise<Obj> {
  const raw = await readBody(req, maxBodyBytes);
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const parsed = decodeObjectBody(req, raw);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.badRequest('the DELETE body must be a DeleteOptions object');
    return parsed as Obj;
  }
  const orphan = query.string('orphanDependents');
  return {
    propagationPolicy: query.string('propagationPolicy'),
    orphanDependents: orphan === undefined ? undefined : query.bool('orphanDependents'),
    dryRun: query.params.getAll('dryRun'),
  };
}

/**
 * Reads and validates DeleteOptions like the real server: a bad propagationPolicy, both orphanDependents
 * and propagationPolicy, or a dryRun other than All is a 422 on `DeleteOptions.meta.k8s.io` with one
 * cause per problem.
 */
export async function readDeleteOptions(req: IncomingMessage, query: Query, maxBodyBytes: number): Promise<DeleteOptions> {
  const body = await rawOptions(req, query, maxBodyBytes);
  const policy: unknown = body.propagationPolicy === '' ? undefined : body.propagationPolicy ?? undefined;
  const orphan: unknown = body.orphanDependents ?? undefined;
  const dryRun: unknown[] = Array.isArray(body.dryRun) ? body.dryRun : body.dryRun === undefined || body.dryRun === null ? [] : [body.dryRun];
  const causes: StatusCause[] = [];
  if (orphan !== undefined && policy !== undefined) {
    causes.push({ reason: 'FieldValueInvalid', field: 'propagationPolicy', message: `Invalid value: ${goValue(policy)}: orphanDependents and deletionPropagation cannot be both set` });
  }
  if (policy !== undefined && !POLICIES.includes(policy as string)) {
    causes.push({ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: ${goValue(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"` });
  }
  if (dryRun.some((v) => v !== 'All')) {
    causes.push({ reason: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: ${goValue(dryRun)}: supported values: "All"` });
  }
  if (orphan !== undefined && typeof orphan !== 'boolean') throw errors.badRequest(`orphanDependents must be true or false, got ${JSON.stringify(orphan)}`);
  if (causes.length > 0) throw errors.invalid({ group: 'meta.k8s.io', plural: 'deleteoptions', kind: 'DeleteOptions', name: '' }, causes);
  let propagationPolicy = policy as PropagationPolicy | undefined;
  if (propagationPolicy === undefined && orphan !== undefined) propagationPolicy = orphan ? 'Orphan' : 'Background';
  return {
    dryRun: dryRun.length > 0,
    propagationPolicy,
    orphanDependents: orphan as boolean | undefined,
    preconditions: body.preconditions ?? undefined,
  };
}
