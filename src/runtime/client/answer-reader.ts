import type http from 'node:http';
import { TransportError } from './errors.js';
import type { RestRequest } from './rest-transport.js';

/** Where an answer's bytes go: each chunk as it arrives, then the end, which gives the result. Either may throw. */
export interface AnswerSink<T> {
  push(chunk: Buffer): void;
  end(): T;
}

/**
 * Reads an answer into `sink`. A sink that throws fails the read with `failure(error)`; when it throws on a chunk the
 * rest of the answer is not read. The listeners come off once the read settled: node:http keeps the answer object
 * referenced after the read (from its request, and from a socket that went on to the next request), and listeners
 * left on it would keep the sink — the chunks, or a decoder and every item it parsed — alive as long.
 */
export function readAnswer<T>(
  res: http.IncomingMessage,
  req: Pick<RestRequest, 'method' | 'path'>,
  sink: AnswerSink<T>,
  failure: (cause: unknown) => unknown = (cause) => cause,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let open: AnswerSink<T> | undefined = sink;
    const onData = (chunk: Buffer) => {
      try {
        open?.push(chunk);
      } catch (cause) {
        settle();
        res.destroy();
        reject(failure(cause));
      }
    };
    const onEnd = () => {
      const done = open;
      settle();
      if (!done) return;
      try {
        resolve(done.end());
      } catch (cause) {
        reject(failure(cause));
      }
    };
    const onError = (cause: Error) => {
      settle();
      reject(new TransportError(`${req.method} ${req.path}: the answer broke off: ${cause.message}`, cause));
    };
    const onAborted = () => {
      settle();
      reject(new TransportError(`${req.method} ${req.path}: the answer broke off`, undefined));
    };
    const settle = () => {
      open = undefined;
      res.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      // An 'error' without a listener would be thrown: one that comes after the read settled is of no interest.
      res.on('error', ignoreLateError);
    };
    res.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}

/** Gathers an answer's chunks into one buffer. */
export function bufferSink(): AnswerSink<Buffer> {
  const chunks: Buffer[] = [];
  return { push: (chunk) => chunks.push(chunk), end: () => Buffer.concat(chunks) };
}

function ignoreLateError(): void {}
