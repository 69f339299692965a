/** A one-shot flag others can await, with abortable waits. */
export class SyncSignal {
  private resolved = false;
  private readonly waiters = new Set<() => void>();

  get done(): boolean {
    return this.resolved;
  }

  resolve(): void {
    if (this.resolved) return;
    this.resolved = true;
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  wait(signal?: AbortSignal): Promise<void> {
    if (this.resolved) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        this.waiters.delete(done);
        reject(abortReason(signal!));
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const err = new Error('waiting was aborted');
  err.name = 'AbortError';
  return err;
}
