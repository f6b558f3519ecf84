import { describe, expect, it } from 'vitest';
import { createReadBatcher } from './read-batcher.js';

/** A read function whose queries the test answers one by one, recording the keys of each. */
function controlledReads() {
  const queries: {
    keys: readonly string[];
    answer: (found: Record<string, number>) => void;
    fail: (error: Error) => void;
  }[] = [];
  const read = (keys: readonly string[]) =>
    new Promise<ReadonlyMap<string, number>>((resolve, reject) => {
      queries.push({
        keys,
        answer: (found) => resolve(new Map(Object.entries(found))),
        fail: reject,
      });
    });
  return { queries, read };
}

describe('batched reads', () => {
  it('sends a lone read at once, in a query of its own', async () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 1, maxBatch: 10, read });

    const value = load('a');

    expect(queries.map((query) => query.keys)).toEqual([['a']]);
    queries[0]?.answer({ a: 1 });
    expect(await value).toBe(1);
  });

  it('sends the reads asked for while a query is under way together, once it is answered', async () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 1, maxBatch: 10, read });
    const first = load('a');
    const later = [load('b'), load('c')];
    expect(queries).toHaveLength(1);

    queries[0]?.answer({ a: 1 });
    await first;

    expect(queries.map((query) => query.keys)).toEqual([['a'], ['b', 'c']]);
    queries[1]?.answer({ b: 2, c: 3 });
    expect(await Promise.all(later)).toEqual([2, 3]);
  });

  it('reads a key asked for twice once, and answers both', async () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 1, maxBatch: 10, read });
    const first = load('a');
    const twice = [load('b'), load('b')];
    queries[0]?.answer({ a: 1 });
    await first;

    expect(queries[1]?.keys).toEqual(['b']);
    queries[1]?.answer({ b: 2 });
    expect(await Promise.all(twice)).toEqual([2, 2]);
  });

  it('puts no more than maxBatch keys in a query, and the rest in the next', async () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 1, maxBatch: 2, read });
    const reads = ['a', 'b', 'c', 'd'].map((key) => load(key));
    queries[0]?.answer({ a: 1 });
    await reads[0];
    queries[1]?.answer({ b: 2, c: 3 });
    await reads[2];

    expect(queries.map((query) => query.keys)).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('keeps up to maxInFlight queries under way at once', () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 2, maxBatch: 10, read });

    for (const key of ['a', 'b', 'c']) {
      void load(key);
    }

    expect(queries.map((query) => query.keys)).toEqual([['a'], ['b']]);
  });

  it('answers undefined for a key the query did not find', async () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 1, maxBatch: 10, read });
    const missing = load('nowhere');
    queries[0]?.answer({});
    expect(await missing).toBeUndefined();
  });

  it('fails every read of a failed query, and sends the reads after it', async () => {
    const { queries, read } = controlledReads();
    const load = createReadBatcher({ maxInFlight: 1, maxBatch: 10, read });
    const failing = load('a');
    const next = load('b');

    queries[0]?.fail(new Error('connection refused'));

    await expect(failing).rejects.toThrow('connection refused');
    expect(queries[1]?.keys).toEqual(['b']);
    queries[1]?.answer({ b: 2 });
    expect(await next).toBe(2);
  });
});
