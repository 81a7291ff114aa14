// Reads Server-Sent Events from a fetch response body, for tests of the board's stream.

export interface SseReader {
  events: { event: string; data: string }[];
  /** resolves when the server ends the stream (or it is cancelled) */
  ended: Promise<void>;
  cancel(): Promise<void>;
}

export function sseReader(body: ReadableStream<Uint8Array>): SseReader {
  const events: { event: string; data: string }[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data });
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  return { events, ended, cancel: () => reader.cancel().then(() => ended) };
}
