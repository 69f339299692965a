import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../../resource.js';
import { isMetadataOnly } from '../../metadata-only.js';
import { TransportError } from '../errors.js';
import type { RestRequest, RestTransport } from '../rest-transport.js';
import { decodeProtobufList, PROTOBUF_MEDIA_TYPE } from './decode-list.js';
import { listMessageFor, loadDescriptor } from './descriptor.js';

/** What client-go's typed clients send for built-in kinds: protobuf preferred, JSON accepted. */
export const PROTOBUF_LIST_ACCEPT = `${PROTOBUF_MEDIA_TYPE},application/json`;

/** True when lists of `rt` can be asked for in protobuf: a built-in kind the descriptor covers, full objects. */
export async function protobufListsFor(rt: ResourceType<KubernetesObject>): Promise<boolean> {
  if (isMetadataOnly(rt)) return false;
  await loadDescriptor();
  return listMessageFor(rt.apiVersion, rt.kind) !== undefined;
}

/**
 * Sends one list request asking for protobuf and returns its body as the JSON answer's object: decoded from
 * protobuf when the server answered in protobuf, parsed when it answered JSON (a server or aggregated API
 * without protobuf for the kind, the embedded test server).
 */
export async function readListPage<B>(transport: RestTransport, req: RestRequest, rt: ResourceType<KubernetesObject>): Promise<B> {
  const { contentType, body } = await transport.bytes({ ...req, accept: PROTOBUF_LIST_ACCEPT });
  if (contentType.startsWith(PROTOBUF_MEDIA_TYPE)) return decodeProtobufList(body, rt.apiVersion, rt.kind) as B;
  try {
    return JSON.parse(body.toString('utf8')) as B;
  } catch (cause) {
    throw new TransportError(`${req.method} ${req.path}: the API server sent a body that is neither protobuf nor JSON (Content-Type "${contentType}")`, cause);
  }
}
