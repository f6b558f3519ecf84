/** A client of a server's live event stream (/admin/v1/events), as the dashboard reads it. */
export interface StreamedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * Opens a server's event stream and reads it in the background; `next(match)` resolves with the first event
 * seen so far or later that matches, or rejects once `timeoutMs` have passed or the stream has ended.
 */
export async function openEventStream(baseUrl: string) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/admin/v1/events`, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: StreamedEvent[] = [];
  const waiting: (() => void)[] = [];
  let ended = false;
  const wakeAll = () => {
    for (const wake of waiting.splice(0)) {
      wake();
    }
  };
  void (async () => {
    let buffered = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        buffered += decoder.decode(value, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop() ?? '';
        for (const block of blocks) {
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type !== undefined && data !== undefined) {
            seen.push({ type, data: JSON.parse(data) as Record<string, unknown> });
          }
        }
        wakeAll();
      }
    } catch {
      // Aborted by close(), or the connection died: either way the stream has ended.
    } finally {
      ended = true;
      wakeAll();
    }
  })();

  async function next(match: (event: StreamedEvent) => boolean, timeoutMs = 5000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = seen.find(match);
      if (found !== undefined) {
        return found;
      }
      if (ended) {
        throw new Error('the stream ended');
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        throw new Error('no matching event in time');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next,
    close: () => controller.abort(),
  };
}

export const requestToPayEvent = (status: string) => (event: StreamedEvent) =>
  event.type === 'transaction' && event.data.kind === 'REQUEST_TO_PAY' && event.data.status === status;
