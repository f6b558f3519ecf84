/** A client of a server's live event stream (/admin/v1/events), as the dashboard reads it. */
export interface StreamedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Opens a server's event stream; `next(match)` resolves with the first event that matches, or rejects. */
export async function openEventStream(baseUrl: string) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/admin/v1/events`, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const seen: StreamedEvent[] = [];
  async function next(match: (event: StreamedEvent) => boolean, timeoutMs = 5000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = seen.find(match);
      if (found !== undefined) {
        return found;
      }
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no matching event in time')), Math.max(0, deadline - Date.now())),
      );
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) {
        throw new Error('the stream ended');
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
