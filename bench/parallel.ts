/** Runs `task(0..total-1)` with at most `concurrency` in flight; resolves with the elapsed milliseconds. */
export async function parallel(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await task(next++);
  }));
  return performance.now() - started;
}
