/**
 * Reads by key that arrive while earlier reads are under way share one query (decision 0031). Each query to
 * PostgreSQL costs a round trip, a parse of its answer and a turn of its backend however few rows it returns;
 * status polls of many requests at once then cost one query per batch instead of one each. A read goes out at
 * once while fewer than `maxInFlight` queries are under way, so a lone read waits for nothing; under load the
 * reads that arrive meanwhile wait for the next free slot and go together. Every read is sent after it was
 * asked for, so it sees every commit made before it was asked for, as a read of its own would.
 */

export interface ReadBatcherOptions<V> {
  /** Queries under way at once at most. */
  readonly maxInFlight: number;
  /** Keys in one query at most. */
  readonly maxBatch: number;
  /** Reads the keys; a key missing from the answer has no value. */
  readonly read: (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>;
}

interface Waiter<V> {
  readonly resolve: (value: V | undefined) => void;
  readonly reject: (error: unknown) => void;
}

export function createReadBatcher<V>(
  options: ReadBatcherOptions<V>,
): (key: string) => Promise<V | undefined> {
  // Insertion order: the keys asked for first go first. One key asked for twice is read once.
  const waiting = new Map<string, Waiter<V>[]>();
  let inFlight = 0;

  function send(): void {
    while (inFlight < options.maxInFlight && waiting.size > 0) {
      const batch = new Map<string, Waiter<V>[]>();
      for (const [key, waiters] of waiting) {
        if (batch.size === options.maxBatch) {
          break;
        }
        batch.set(key, waiters);
        waiting.delete(key);
      }
      inFlight++;
      // The next batch goes out before this one's readers resume: they may ask again at once.
      const settle = (answer: (waiter: Waiter<V>, key: string) => void) => {
        inFlight--;
        send();
        for (const [key, waiters] of batch) {
          for (const waiter of waiters) {
            answer(waiter, key);
          }
        }
      };
      // A read that throws before it returns its promise fails its batch like one that rejects.
      new Promise<ReadonlyMap<string, V>>((resolve) => resolve(options.read([...batch.keys()]))).then(
        (found) => settle((waiter, key) => waiter.resolve(found.get(key))),
        (error: unknown) => settle((waiter) => waiter.reject(error)),
      );
    }
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters === undefined) {
        waiting.set(key, [{ resolve, reject }]);
      } else {
        waiters.push({ resolve, reject });
      }
      send();
    });
}
