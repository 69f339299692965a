import { Observable, type ConfigurationOptions, type ObservableMiddleware, type Watch } from '@kubernetes/client-node';

/** client-node request options that make one call abortable. */
export function withSignal(signal: AbortSignal): ConfigurationOptions {
  const abortable: ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res) => new Observable(Promise.resolve(res)),
  };
  return { middleware: [abortable], middlewareMergeStrategy: 'append' };
}

/**
 * Streams changes of the one object `name` in the collection at `path` until `signal` aborts or the
 * stream ends (the caller reopens it). Watching without a resourceVersion first delivers the current
 * object, so nothing is missed between two streams; `onChange(undefined)` means it was deleted.
 */
export async function watchNamed<T extends { metadata?: { name?: string } }>(
  watcher: Watch,
  path: string,
  name: string,
  onChange: (obj: T | undefined) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err && !signal.aborted) reject(err);
      else resolve();
    };
    let controller: AbortController | undefined;
    const onAbort = () => {
      controller?.abort();
      finish();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    watcher
      .watch(
        path,
        { fieldSelector: `metadata.name=${name}`, timeoutSeconds: 300 },
        (phase: string, obj: T) => {
          if (obj?.metadata?.name !== name) return;
          if (phase === 'DELETED') onChange(undefined);
          else if (phase === 'ADDED' || phase === 'MODIFIED') onChange(obj);
        },
        (err: unknown) => finish(err),
      )
      .then(
        (c) => {
          controller = c;
          if (signal.aborted) c.abort();
        },
        (err: unknown) => finish(err),
      );
  });
}
