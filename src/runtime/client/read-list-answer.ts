import type http from 'node:http';
import { TransportError } from './errors.js';
import { ListDecoder, type ListDecoderOptions } from './list-decoder.js';
import type { RestRequest } from './rest-transport.js';

/**
 * Reads a successful JSON list answer with a ListDecoder as its chunks arrive (for `RestTransport.read`): the
 * items are parsed one by one during the transfer and the answer's text is never held whole. Resolves with what
 * JSON.parse of the whole body gives. A body that is not JSON (or is empty, or was cut short) fails with a
 * TransportError as `RestTransport.json` does, and the rest of the answer is not read.
 */
export function readListAnswer(res: http.IncomingMessage, req: Pick<RestRequest, 'method' | 'path'>, options: ListDecoderOptions = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let decoder: ListDecoder | undefined = new ListDecoder(options);
    const notJson = (cause: unknown) => new TransportError(`${req.method} ${req.path}: the API server sent a body that is not JSON`, cause);
    const onData = (chunk: Buffer) => {
      try {
        decoder?.push(chunk);
      } catch (cause) {
        settle();
        res.destroy();
        reject(cause instanceof SyntaxError ? notJson(cause) : cause);
      }
    };
    const onEnd = () => {
      const d = decoder;
      settle();
      let body: unknown;
      try {
        body = d?.end();
      } catch (cause) {
        return reject(cause instanceof SyntaxError ? notJson(cause) : cause);
      }
      resolve(body);
    };
    const onError = (cause: Error) => {
      settle();
      reject(new TransportError(`${req.method} ${req.path}: the answer broke off: ${cause.message}`, cause));
    };
    const onAborted = () => {
      settle();
      reject(new TransportError(`${req.method} ${req.path}: the answer broke off`, undefined));
    };
    // As for every answer: node:http keeps the answer object referenced after the read, so listeners left on it
    // would keep the decoder (and every item it parsed) alive with it.
    const settle = () => {
      decoder = undefined;
      res.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      res.on('error', ignoreLateError);
    };
    res.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}

function ignoreLateError(): void {}
