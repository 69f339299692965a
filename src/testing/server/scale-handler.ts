import type { IncomingMessage, ServerResponse } from 'node:http';
import { patchTypeFromContentType, SUPPORTED_PATCH_MEDIA_TYPES } from '../patch/index.js';
import { decodeObjectBody, mediaTypeOf, parseJson, Query, readBody, sendJson } from './http-io.js';
import { ScaleEndpoint } from './scale.js';
import type { Scope, WriteOptions } from './state.js';
import { errors } from './status.js';
import { defaultManager, type ResourceHandlerDeps } from './resource-handler.js';
import type { RequestTarget } from './request-target.js';

function scaleWriteOptions(req: IncomingMessage, query: Query): WriteOptions {
  const given = query.string('fieldManager');
  return {
    dryRun: query.dryRun(),
    fieldManager: given && given !== '' ? given : defaultManager(req),
    fieldManagerGiven: given !== undefined && given !== '',
    force: query.bool('force'),
  };
}

/** `GET|PUT|PATCH .../{name}/scale`: the HTTP side of the scale subresource. */
export async function handleScale(scope: Scope, name: string, req: IncomingMessage, res: ServerResponse, url: RequestTarget, deps: ResourceHandlerDeps): Promise<void> {
  const endpoint = new ScaleEndpoint(deps.state, deps.writer);
  const query = new Query(url.searchParams);
  switch (req.method ?? 'GET') {
    case 'GET':
      if (query.bool('watch')) throw errors.methodNotAllowed('watch is not supported on subresources');
      return sendJson(res, 200, endpoint.get(scope, name));
    case 'PUT': {
      const body = decodeObjectBody(req, await readBody(req, deps.maxBodyBytes));
      return sendJson(res, 200, endpoint.update(scope, name, body, scaleWriteOptions(req, query)));
    }
    case 'PATCH': {
      const type = patchTypeFromContentType(req.headers['content-type'] ?? '');
      if (!type) {
        throw errors.unsupportedMediaType(`the body of the request was in an unknown format (${mediaTypeOf(req) || 'no Content-Type'}) - accepted media types include: ${SUPPORTED_PATCH_MEDIA_TYPES.join(', ')}`);
      }
      const raw = (await readBody(req, deps.maxBodyBytes)).toString('utf8');
      if (type !== 'apply') parseJson(raw);
      return sendJson(res, 200, endpoint.patch(scope, name, type, raw, scaleWriteOptions(req, query)));
    }
    default:
      throw errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${req.method ?? ''} ${url.pathname} (the scale subresource accepts GET, PUT and PATCH)`);
  }
}
