import type http from 'node:http';
import { TransportError } from './errors.js';
import { readAnswer } from './answer-reader.js';
import { ListDecoder, type ListDecoderOptions } from './list-decoder.js';
import type { RestRequest } from './rest-transport.js';

/**
 * Reads a successful JSON list answer with a ListDecoder as its chunks arrive (for `RestTransport.read`): the
 * items are parsed one by one during the transfer and the answer's text is never held whole. Resolves with what
 * JSON.parse of the whole body gives. A body that is not JSON (or is empty, or was cut short) fails with a
 * TransportError as `RestTransport.json` does, and the rest of the answer is not read.
 */
export function readListAnswer(res: http.IncomingMessage, req: Pick<RestRequest, 'method' | 'path'>, options: ListDecoderOptions = {}): Promise<unknown> {
  const notJson = (cause: unknown) => new TransportError(`${req.method} ${req.path}: the API server sent a body that is not JSON`, cause);
  return readAnswer(res, req, new ListDecoder(options), (cause) => (cause instanceof SyntaxError ? notJson(cause) : cause));
}
