/**
 * Shares the platform's events between the servers on one database (decision 0026): what one server publishes
 * reaches the live views (the dashboard's event stream) of every other, through the store's change feed. Events
 * are sent in batches, at most one message per `flushIntervalMs` per server, so a busy server costs the
 * database a few messages a second, not one per request.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeFeed } from '../storage/store.js';
import type { PlatformEvent, PlatformEvents } from './context.js';

/** NOTIFY carries at most 8,000 bytes and an event is about 150: a busy interval's events go in several. */
const EVENTS_PER_MESSAGE_MAX = 40;
const FLUSH_INTERVAL_MS_DEFAULT = 100;

interface Message {
  readonly origin: string;
  readonly events: PlatformEvent[];
}

/** Resolves, with the stop, once this server listens to the others. */
export async function shareEventsAcrossServers(
  events: PlatformEvents,
  feed: ChangeFeed,
  options: { onError: (error: unknown) => void; flushIntervalMs?: number },
): Promise<() => Promise<void>> {
  const origin = randomUUID();
  const received = new WeakSet<PlatformEvent>();
  let batch: PlatformEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    flushTimer = undefined;
    const events = batch;
    batch = [];
    for (let start = 0; start < events.length; start += EVENTS_PER_MESSAGE_MAX) {
      const message: Message = { origin, events: events.slice(start, start + EVENTS_PER_MESSAGE_MAX) };
      feed.notify(JSON.stringify(message)).catch(options.onError);
    }
  };
  const unsubscribe = events.subscribe((event) => {
    if (received.has(event)) {
      return;
    }
    batch.push(event);
    flushTimer ??= setTimeout(flush, options.flushIntervalMs ?? FLUSH_INTERVAL_MS_DEFAULT);
  });
  const stopListening = await feed.listen((payload) => {
    try {
      const message = JSON.parse(payload) as Message;
      if (message.origin === origin) {
        return;
      }
      for (const event of message.events) {
        received.add(event);
        events.publish(event);
      }
    } catch (error) {
      options.onError(error);
    }
  });
  return async () => {
    unsubscribe();
    clearTimeout(flushTimer);
    await stopListening();
  };
}
