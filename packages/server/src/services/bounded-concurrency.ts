/**
 * Runs `work` on every item with at most `limit` calls in flight, each starting as soon as one ends. An item's
 * failure goes to `onError` and does not stop the others. Resolves once every item is done.
 */
export async function forEachWithLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  onError: (error: unknown, item: T) => void,
): Promise<void> {
  let next = 0;
  const takeTurns = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as T;
      try {
        await work(item);
      } catch (error) {
        onError(error, item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, takeTurns));
}
