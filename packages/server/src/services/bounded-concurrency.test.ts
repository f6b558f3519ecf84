import { describe, expect, it } from 'vitest';
import { forEachWithLimit } from './bounded-concurrency.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('forEachWithLimit', () => {
  it('keeps exactly the limit of calls in flight while items remain', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    await forEachWithLimit(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await tick();
        inFlight--;
      },
      () => undefined,
    );
    expect(mostInFlight).toBe(4);
  });

  it('does every item once', async () => {
    const done: number[] = [];
    await forEachWithLimit(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      async (item) => {
        await tick();
        done.push(item);
      },
      () => undefined,
    );
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reports a failing item and still does the rest', async () => {
    const done: number[] = [];
    const failed: number[] = [];
    await forEachWithLimit(
      [1, 2, 3, 4],
      2,
      async (item) => {
        if (item === 2) {
          throw new Error('boom');
        }
        done.push(item);
      },
      (_error, item) => failed.push(item),
    );
    expect(failed).toEqual([2]);
    expect(done.sort((a, b) => a - b)).toEqual([1, 3, 4]);
  });

  it('resolves at once for no items', async () => {
    await expect(
      forEachWithLimit(
        [],
        4,
        async () => undefined,
        () => undefined,
      ),
    ).resolves.toBeUndefined();
  });
});
