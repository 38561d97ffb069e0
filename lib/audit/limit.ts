/**
 * A tiny concurrency limiter: at most `concurrency` tasks run at once, the rest wait in order.
 * The audit describes hundreds of resources; a bounded number in flight keeps it under the
 * services' request-rate limits (the SDK retries what still gets throttled).
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Creates a {@link Limiter} with `concurrency` slots (at least 1). */
export function createLimiter(concurrency: number): Limiter {
  const slots = Math.max(1, Math.floor(concurrency));
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    active -= 1;
    const next = waiting.shift();
    if (next) next();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        active += 1;
        task().then(resolve, reject).finally(release);
      };
      if (active < slots) start();
      else waiting.push(start);
    });
}

/** Maps items through an async function with a limiter, keeping the input order. */
export function mapLimited<T, R>(
  limit: Limiter,
  items: readonly T[],
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  return Promise.all(items.map((item) => limit(() => fn(item))));
}
