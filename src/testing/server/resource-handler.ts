import type { IncomingMessage, ServerResponse } from 'node:http';
import { patchTypeFromContentType, SUPPORTED_PATCH_MEDIA_TYPES, type PatchType } from '../patch/index.js';
import { readDeleteOptions } from './delete-options.js';
import type { Deleter, DeleteOptions } from './deletes.js';
import { validateListOptions } from './list-options.js';
import { decodeObjectBody, mediaTypeOf, parseJson, Query, readBody, sendJson } from './http-io.js';
import { matchesFilter, buildFilter, type Reader } from './reads.js';
import { apiVersionOf, groupResourceOf, type Obj, type ServedResource } from './registry.js';
import type { Route } from './router.js';
import type { ApiState, Scope, WriteOptions } from './state.js';
import { errors } from './status.js';
import { toTable } from './table.js';
import { checkTarget, negotiate, toPartialObjectMetadata, toPartialObjectMetadataList, type Representation } from './representation.js';
import type { WatchHub, WatchObjects } from './watch-stream.js';
import type { Writer } from './writes.js';
import { handleScale } from './scale-handler.js';
import type { RequestTarget } from './request-target.js';
import { admitDelete, runAdmitted, reviewOptions } from './admission/admission-driver.js';
import type { WebhookAdmission } from './admission/webhook-admission.js';
import type { ConversionWebhooks, VersionBridge } from './admission/conversion-webhook.js';
import { ConvertedWrites } from './admission/converted-writes.js';

export interface ResourceHandlerDeps {
  state: ApiState;
  reader: Reader;
  writer: Writer;
  deleter: Deleter;
  watches: WatchHub;
  maxBodyBytes: number;
  /** Admission webhooks of the stored Mutating/ValidatingWebhookConfigurations. */
  admission: WebhookAdmission;
  /** CRD conversion webhooks (strategy Webhook). */
  conversion: ConversionWebhooks;
}

type ResourceRoute = Extract<Route, { type: 'resource' }>;

/** The manager name the real server derives from the User-Agent when no fieldManager is given. */
export function defaultManager(req: IncomingMessage): string {
  const agent = req.headers['user-agent'] ?? '';
  const first = agent.split('/')[0]!.trim();
  return first === '' ? 'unknown' : first.slice(0, 128);
}

function writeOptions(req: IncomingMessage, query: Query, subresource: string | undefined): WriteOptions {
  const given = query.string('fieldManager');
  if (given !== undefined && given.length > 128) throw errors.badRequest(`fieldManager must be at most 128 characters, got ${given.length}`);
  const fieldValidation = query.string('fieldValidation');
  if (fieldValidation !== undefined && fieldValidation !== '' && !['Strict', 'Warn', 'Ignore'].includes(fieldValidation)) {
    throw errors.badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fieldValidation)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  return {
    fieldValidation: fieldValidation === '' ? undefined : (fieldValidation as WriteOptions['fieldValidation']),
    dryRun: query.dryRun(),
    fieldManager: given && given !== '' ? given : defaultManager(req),
    fieldManagerGiven: given !== undefined && given !== '',
    force: query.bool('force'),
    subresource: subresource === 'status' || subresource === 'finalize' ? subresource : undefined,
  };
}

/** A PATCH request's type, options and body, with the checks the real server makes before any patch logic runs. */
async function readPatch(req: IncomingMessage, query: Query, route: ResourceRoute, maxBodyBytes: number): Promise<{ type: PatchType; opts: WriteOptions; raw: string }> {
  const type = patchTypeFromContentType(req.headers['content-type'] ?? '');
  if (!type) {
    throw errors.unsupportedMediaType(`the body of the request was in an unknown format (${mediaTypeOf(req) || 'no Content-Type'}) - accepted media types include: ${SUPPORTED_PATCH_MEDIA_TYPES.join(', ')}`);
  }
  const opts = writeOptions(req, query, route.subresource);
  if (type !== 'apply' && query.params.has('force')) {
    throw errors.invalid({ group: 'meta.k8s.io', plural: 'patchoptions', kind: 'PatchOptions', name: '' }, [
      { reason: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' },
    ]);
  }
  const raw = (await readBody(req, maxBodyBytes)).toString('utf8');
  if (type !== 'apply') parseJson(raw); // malformed JSON is a 400 before any patch logic runs
  return { type, opts, raw };
}

/** DeleteOptions as the AdmissionReview carries them: what the client sent. */
function deleteReviewOptions(opts: DeleteOptions): Obj {
  return reviewOptions('DELETE', { dryRun: opts.dryRun }, {
    ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
    ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
  });
}

/** An answer in the negotiated representation; a Status answer is sent as it is (as on the real server). */
function shape(representation: Representation, resource: ServedResource, version: string, body: Obj, list: boolean): Obj {
  if (representation.as === 'object' || body.kind === 'Status') return body;
  if (representation.as === 'Table') {
    const table = list ? toTable(resource, version, body.items, body.metadata) : toTable(resource, version, [body], { resourceVersion: body.metadata?.resourceVersion });
    return { ...table, apiVersion: representation.apiVersion };
  }
  checkTarget(representation, resource, list);
  return list ? toPartialObjectMetadataList(body, representation.apiVersion) : toPartialObjectMetadata(body, representation.apiVersion);
}

/** What a watch's events carry: the real server streams nothing for a watch asking for PartialObjectMetadataList. */
function watchObjects(representation: Representation): WatchObjects {
  if (representation.as === 'PartialObjectMetadata') return { as: 'PartialObjectMetadata', apiVersion: representation.apiVersion };
  if (representation.as === 'PartialObjectMetadataList') return { as: 'nothing' };
  return { as: 'object' };
}

/** Serves every verb on /api/v1/... and /apis/G/V/... resource paths. */
export async function handleResource(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, url: RequestTarget, deps: ResourceHandlerDeps): Promise<void> {
  const { state } = deps;
  const resource = state.registry.lookup(route.group, route.version, route.plural);
  if (!resource) throw errors.pathNotFound(url.pathname);
  if (route.namespace !== undefined && !resource.namespaced) throw errors.pathNotFound(url.pathname);
  if (route.name !== undefined && resource.namespaced && route.namespace === undefined) throw errors.pathNotFound(url.pathname);
  const scope: Scope = { resource, version: route.version, namespace: route.namespace };
  if (route.subresource === 'scale' && resource.scale?.has(route.version) && route.name !== undefined && !route.watchPath) {
    return handleScale(scope, route.name, req, res, url, deps);
  }
  if (route.subresource === 'finalize' && resource.finalizeSubresource && route.name !== undefined && !route.watchPath) {
    // Like the real server, finalize takes PUT only.
    if (req.method !== 'PUT') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  } else if (route.subresource !== undefined && !(route.subresource === 'status' && resource.statusSubresource)) {
    throw errors.pathNotFound(url.pathname);
  }
  const query = new Query(url.searchParams);
  const method = req.method ?? 'GET';
  const name = route.name;
  const bridge = deps.conversion.bridge(scope);
  if (bridge && !(method === 'GET' && (route.watchPath || query.bool('watch')))) {
    return handleConverted(bridge, route, req, res, query, deps);
  }
  const convert = resource.custom && method !== 'GET' ? deps.conversion.converter(resource) : undefined;
  // Negotiated before anything is read or written, as on the real server; whether the answer is a list or one
  // object is checked when it is sent, so (as there) a write is done even when its answer is then refused with 406.
  const representation = negotiate(req.headers.accept);
  const shaped = (body: Obj, list: boolean): Obj => shape(representation, resource, route.version, body, list);

  const watch = method === 'GET' && (route.watchPath || query.bool('watch'));
  if (method === 'GET' && (watch || name === undefined)) {
    const sendInitialEvents = query.string('sendInitialEvents') === undefined ? undefined : query.bool('sendInitialEvents');
    validateListOptions({
      watch, resourceVersion: query.string('resourceVersion'),
      resourceVersionMatch: query.string('resourceVersionMatch'), continue: query.string('continue'), sendInitialEvents,
    });
  }
  if (watch) {
    if (route.subresource !== undefined) throw errors.methodNotAllowed('watch is not supported on subresources');
    let fieldSelector = query.string('fieldSelector');
    if (name !== undefined) fieldSelector = [fieldSelector, `metadata.name=${name}`].filter((s) => s).join(',');
    const objects = watchObjects(representation);
    deps.watches.serve(scope, {
      resourceVersion: query.string('resourceVersion'),
      timeoutSeconds: query.int('timeoutSeconds'),
      allowWatchBookmarks: query.bool('allowWatchBookmarks'),
      sendInitialEvents: query.string('sendInitialEvents') === undefined ? undefined : query.bool('sendInitialEvents'),
      labelSelector: query.string('labelSelector'),
      fieldSelector,
      objects,
      // Metadata-only events need no conversion: only labels and annotations may change, and they are kept.
      ...(bridge && objects.as === 'object' ? { convert: (o: Obj) => bridge.toRequested(deps.state.present(resource, bridge.storageScope.version, o)) } : {}),
    }, res);
    return;
  }

  if (name === undefined) {
    switch (method) {
      case 'GET': {
        const list = deps.reader.list(scope, {
          labelSelector: query.string('labelSelector'), fieldSelector: query.string('fieldSelector'), limit: query.int('limit'),
          continue: query.string('continue'), resourceVersion: query.string('resourceVersion'), resourceVersionMatch: query.string('resourceVersionMatch'),
        });
        return sendJson(res, 200, shaped(list, true));
      }
      case 'POST': {
        const opts = writeOptions(req, query, undefined);
        const body = decodeObjectBody(req, await readBody(req, deps.maxBodyBytes));
        const created = await runAdmitted(deps.admission, deps.writer.createSteps(scope, body, opts, { owned: true }), { scope, convert, dryRun: opts.dryRun }, opts, res);
        return sendJson(res, 201, shaped(state.present(resource, route.version, created), false));
      }
      case 'DELETE': {
        // Like the real server, namespaces have no deletecollection (discovery does not list it either).
        if (resource.plural === 'namespaces' && resource.group === '') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
        const opts = await readDeleteOptions(req, query, deps.maxBodyBytes);
        const filter = buildFilter(scope, query.string('labelSelector'), query.string('fieldSelector'));
        const deleted: Obj[] = [];
        for (const object of state.store.list(groupResourceOf(resource), scope.namespace)) {
          if (!matchesFilter(filter, object)) continue;
          await admitDelete(deps.admission, { scope, convert, name: object.metadata.name, dryRun: opts.dryRun }, object, deleteReviewOptions(opts), res);
          const fresh = deps.deleter.refetch(resource, object);
          if (fresh) deleted.push(state.present(resource, route.version, deps.deleter.deleteObject(resource, fresh, opts.propagationPolicy, opts.dryRun).object));
        }
        return sendJson(res, 200, shaped({ apiVersion: deleted[0]?.apiVersion ?? resource.versions[0], kind: resource.listKind, metadata: { resourceVersion: String(state.store.currentRevision()) }, items: deleted }, true));
      }
      default:
        throw errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${method} ${url.pathname} (collections accept GET, POST and DELETE)`);
    }
  }

  switch (method) {
    case 'GET': {
      const object = deps.reader.get(scope, name);
      return sendJson(res, 200, shaped(object, false));
    }
    case 'PUT': {
      const opts = writeOptions(req, query, route.subresource);
      const body = decodeObjectBody(req, await readBody(req, deps.maxBodyBytes));
      const updated = await runAdmitted(deps.admission, deps.writer.updateSteps(scope, name, body, opts), { scope, convert, name, subresource: route.subresource, dryRun: opts.dryRun }, opts, res);
      return sendJson(res, 200, shaped(state.present(resource, route.version, updated), false));
    }
    case 'PATCH': {
      const { type, opts, raw } = await readPatch(req, query, route, deps.maxBodyBytes);
      const existed = state.store.get(groupResourceOf(resource), scope.namespace, name) !== undefined;
      const result = await runAdmitted(deps.admission, deps.writer.patchSteps(scope, name, type, raw, opts), { scope, convert, name, subresource: route.subresource, dryRun: opts.dryRun }, opts, res);
      return sendJson(res, existed ? 200 : 201, shaped(state.present(resource, route.version, result), false));
    }
    case 'DELETE': {
      if (route.subresource !== undefined) throw errors.methodNotAllowed(`DELETE is not allowed on the ${route.subresource} subresource`);
      const opts = await readDeleteOptions(req, query, deps.maxBodyBytes);
      const current = state.store.get(groupResourceOf(resource), scope.namespace, name);
      if (current) await admitDelete(deps.admission, { scope, convert, name, dryRun: opts.dryRun }, current, deleteReviewOptions(opts), res);
      const { object, removed } = deps.deleter.delete(scope, name, opts);
      // Like the real server: 200 with the object while finalizers hold it (202 only when the client sent
      // orphanDependents=false); once gone, custom resources and the kinds whose storage returns it answer
      // with the object, the other built-in kinds with a Success Status.
      if (!removed) return sendJson(res, opts.orphanDependents === false ? 202 : 200, shaped(state.present(resource, route.version, object), false));
      if (resource.custom || resource.returnsDeletedObject) return sendJson(res, 200, shaped(state.present(resource, route.version, object), false));
      return sendJson(res, 200, {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
        details: { name, group: resource.group, kind: resource.plural, uid: object.metadata.uid },
      });
    }
    default:
      throw errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${method} ${url.pathname} (objects accept GET, PUT, PATCH and DELETE)`);
  }
}

/**
 * A request in a version other than the storage version of a CRD with a conversion webhook: reads happen in the
 * storage version, writes as ConvertedWrites does them, and the answer comes back through the webhook. Watches
 * are served by the watch hub, which converts each event.
 */
async function handleConverted(bridge: VersionBridge, route: ResourceRoute, req: IncomingMessage, res: ServerResponse, query: Query, deps: ResourceHandlerDeps): Promise<void> {
  const { state } = deps;
  const scope = bridge.storageScope;
  const { resource } = scope;
  const method = req.method ?? 'GET';
  const name = route.name;
  const answer = async (code: number, object: Obj) => sendJson(res, code, await bridge.toRequested(object));
  if (name === undefined && method === 'GET') {
    const list = deps.reader.list(scope, {
      labelSelector: query.string('labelSelector'), fieldSelector: query.string('fieldSelector'), limit: query.int('limit'),
      continue: query.string('continue'), resourceVersion: query.string('resourceVersion'), resourceVersionMatch: query.string('resourceVersionMatch'),
    });
    return sendJson(res, 200, { ...list, apiVersion: apiVersionOf(resource.group, route.version), items: await bridge.toRequestedList(list.items) });
  }
  const requested: Scope = { ...scope, version: route.version };
  const writes = new ConvertedWrites(state, deps.writer, bridge, requested);
  // Admission sees the object in the request's version; the write converts it to the storage version last.
  const convert = deps.conversion.converter(resource);
  const admitted = { scope: requested, convert, toStorage: bridge.toStorage };
  if (name === undefined && method === 'POST') {
    const opts = writeOptions(req, query, undefined);
    const steps = await writes.createSteps(decodeObjectBody(req, await readBody(req, deps.maxBodyBytes)), opts);
    return answer(201, await runAdmitted(deps.admission, steps, { ...admitted, dryRun: opts.dryRun }, opts, res));
  }
  if (name !== undefined && method === 'GET') return answer(200, deps.reader.get(scope, name));
  if (name !== undefined && method === 'PUT') {
    const opts = writeOptions(req, query, route.subresource);
    const steps = await writes.updateSteps(name, decodeObjectBody(req, await readBody(req, deps.maxBodyBytes)), opts);
    return answer(200, await runAdmitted(deps.admission, steps, { ...admitted, name, subresource: route.subresource, dryRun: opts.dryRun }, opts, res));
  }
  if (name !== undefined && method === 'PATCH') {
    const { type, opts, raw } = await readPatch(req, query, route, deps.maxBodyBytes);
    const { steps, created } = await writes.patchSteps(name, type, raw, opts);
    return answer(created ? 201 : 200, await runAdmitted(deps.admission, steps, { ...admitted, name, subresource: route.subresource, dryRun: opts.dryRun }, opts, res));
  }
  if (name !== undefined && method === 'DELETE' && route.subresource === undefined) {
    const opts = await readDeleteOptions(req, query, deps.maxBodyBytes);
    const current = state.store.get(groupResourceOf(resource), scope.namespace, name);
    if (current) await admitDelete(deps.admission, { scope, convert, name, dryRun: opts.dryRun }, current, deleteReviewOptions(opts), res);
    const { object } = deps.deleter.delete(scope, name, opts);
    return answer(opts.orphanDependents === false ? 202 : 200, object);
  }
  throw errors.methodNotAllowed(`the embedded server does not convert ${method} ${route.subresource ? `on ${route.subresource} ` : ''}through a conversion webhook`);
}
