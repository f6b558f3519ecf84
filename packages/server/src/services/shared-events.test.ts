import { describe, expect, it } from 'vitest';
import type { ChangeFeed } from '../storage/store.js';
import { createPlatformEvents, type PlatformEvent } from './context.js';
import { shareEventsAcrossServers } from './shared-events.js';

/** What LISTEN/NOTIFY does for servers on one database, in memory: every message reaches every listener. */
function inMemoryFeed() {
  const listeners = new Set<(payload: string) => void>();
  const sent: string[] = [];
  const feed: ChangeFeed = {
    async notify(payload) {
      sent.push(payload);
      for (const listener of listeners) {
        listener(payload);
      }
    },
    async listen(onPayload) {
      listeners.add(onPayload);
      return async () => {
        listeners.delete(onPayload);
      };
    },
  };
  return { feed, sent };
}

const transaction = (n: number): PlatformEvent => ({
  type: 'transaction',
  transactionId: `t${n}`,
  status: 'PENDING',
  kind: 'REQUEST_TO_PAY',
});

const flushed = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('shared events', () => {
  it("reaches the other server's subscribers once, and never comes back to its own", async () => {
    const { feed } = inMemoryFeed();
    const [here, there] = [createPlatformEvents(), createPlatformEvents()];
    const seenHere: PlatformEvent[] = [];
    const seenThere: PlatformEvent[] = [];
    here.subscribe((event) => seenHere.push(event));
    there.subscribe((event) => seenThere.push(event));
    const stops = [
      await shareEventsAcrossServers(here, feed, { onError: () => undefined, flushIntervalMs: 1 }),
      await shareEventsAcrossServers(there, feed, { onError: () => undefined, flushIntervalMs: 1 }),
    ];

    here.publish(transaction(1));
    await flushed();

    expect(seenHere).toEqual([transaction(1)]);
    expect(seenThere).toEqual([transaction(1)]);
    await Promise.all(stops.map((stop) => stop()));
  });

  it('sends a busy interval in several messages that each fit NOTIFY, losing none', async () => {
    const { feed, sent } = inMemoryFeed();
    const [here, there] = [createPlatformEvents(), createPlatformEvents()];
    const seenThere: PlatformEvent[] = [];
    there.subscribe((event) => seenThere.push(event));
    const stops = [
      await shareEventsAcrossServers(here, feed, { onError: () => undefined, flushIntervalMs: 5 }),
      await shareEventsAcrossServers(there, feed, { onError: () => undefined, flushIntervalMs: 5 }),
    ];

    for (let n = 0; n < 100; n++) {
      here.publish(transaction(n));
    }
    await flushed();

    expect(seenThere).toHaveLength(100);
    expect(sent.length).toBeGreaterThan(1);
    expect(Math.max(...sent.map((payload) => Buffer.byteLength(payload)))).toBeLessThan(8000);
    await Promise.all(stops.map((stop) => stop()));
  });
});
