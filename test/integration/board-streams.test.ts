// The SSE hub's slow-client guard against real sockets: a page that connects while deltas flow, and
// whose snapshot is larger than the backlog limit, must get its snapshot and the deltas after it; a
// client that stops reading for good is still dropped. The limit is 1 MiB here, so 20,000 people
// (a 3.9 MB snapshot) are to it what a much larger board would be to the real 8 MB.
import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import type { Delta } from '../../switchboard/board/model.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { type SseReader, sseReader } from '../support/sse.js';

const ORG = 'testkommun';
const PEOPLE = 20_000;
const BACKLOG = 1024 * 1024;
const NOW = '2026-11-23T10:00:00.000Z';

/** A client that does not read until told to: its socket stops, so the board's buffer fills. */
interface SlowReader {
  events: { event: string; data: string }[];
  closed: Promise<void>;
  isClosed(): boolean;
  resume(): void;
  destroy(): void;
}

function slowReader(url: string): Promise<SlowReader> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: string }[] = [];
    let closed = false;
    let request: ClientRequest | undefined;
    let closedResolve: () => void = () => {};
    const closedPromise = new Promise<void>((r) => {
      closedResolve = r;
    });
    request = get(url, (res: IncomingMessage) => {
      res.pause();
      res.setEncoding('utf8');
      // chunks are kept in a list until an event ends: a 4 MB snapshot arrives in dozens of pieces
      let parts: string[] = [];
      res.on('data', (text: string) => {
        let end = text.indexOf('\n\n');
        while (end >= 0) {
          const block = parts.join('') + text.slice(0, end);
          parts = [];
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
          end = text.indexOf('\n\n');
        }
        if (text) parts.push(text);
      });
      const done = () => {
        closed = true;
        closedResolve();
      };
      res.on('error', () => {});
      request?.on('close', done);
      resolve({
        events,
        closed: closedPromise,
        isClosed: () => closed,
        resume: () => res.resume(),
        destroy: () => request?.destroy(),
      });
    });
    request.on('error', (e) => (closed ? undefined : reject(e)));
  });
}

const presence = (round: number): Presence => ({
  v: 1,
  status: 'away',
  reason: 'meeting',
  since: NOW,
  until: '2026-11-23T11:15:00.000Z',
  alt: null,
  // a note makes each delta row a few hundred bytes, so a few rounds outgrow the limit
  note: `round ${round} ${'x'.repeat(60)}`,
  seq: round,
  by: { kind: 'desk', id: 'desk-1' },
  at: NOW,
});

const deltaRows = (events: { event: string; data: string }[]) =>
  events
    .filter((e) => e.event === 'delta')
    .flatMap((e) => JSON.parse(e.data) as Delta[])
    .flatMap((d) => (d.type === 'row' ? [d.row] : []));

// The snapshot of thousands of rows takes more than vi.waitFor's default second on a loaded machine.
const SLOW = { timeout: 15_000 };

describe('board streams: clients joining under load', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let fast: SseReader;
  let slow: SlowReader | undefined;
  let round = 0;

  const streamCount = async () =>
    ((await (await fetch(new URL('/api/health', board.url))).json()) as { streams: number }).streams;

  /** One round of changes for 300 people; done when the reading client has the last of them. */
  const changeRound = async () => {
    round++;
    for (let i = 0; i < 300; i++) {
      const ext = String(1000 + ((round * 300 + i) % PEOPLE));
      board.model.apply({ kind: 'presence', org: ORG, ext, body: presence(round) });
    }
    const note = `round ${round} `;
    await vi.waitFor(
      () => expect(deltaRows(fast.events).some((r) => r.note?.startsWith(note))).toBe(true),
      SLOW,
    );
  };

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0, streamBacklogBytes: BACKLOG });
    await board.session.ready;
    // The model is fed directly: these tests are about the stream, not the broker.
    for (let i = 0; i < PEOPLE; i++)
      board.model.apply({
        kind: 'directory-person',
        org: ORG,
        ext: String(1000 + i),
        body: { v: 1, name: `Person ${i} Svensson`, department: `dept-${i % 40}`, title: 'Handläggare' },
      });
    for (let i = 0; i < PEOPLE; i++)
      board.model.apply({ kind: 'presence', org: ORG, ext: String(1000 + i), body: presence(0) });
    // the reader that keeps up: its deltas tell when a round has gone out to every stream
    fast = sseReader((await fetch(new URL('/api/stream', board.url))).body as ReadableStream<Uint8Array>);
    await vi.waitFor(() => expect(fast.events[0]?.event).toBe('snapshot'), SLOW);
    expect(fast.events[0]?.data.length).toBeGreaterThan(3 * BACKLOG);
  });
  afterEach(async () => {
    slow?.destroy();
    slow = undefined;
    await vi.waitFor(async () => expect(await streamCount()).toBe(1), SLOW);
  });
  afterAll(async () => {
    await fast.cancel();
    await board.close();
    await broker.close();
  });

  it('keeps a client that reads its large snapshot slowly while deltas flow, and sends it the deltas', async () => {
    slow = await slowReader(new URL('/api/stream', board.url).href);
    await vi.waitFor(async () => expect(await streamCount()).toBe(2), SLOW);
    // Several batches go out while the new client has not read its snapshot yet.
    for (let i = 0; i < 3; i++) await changeRound();
    expect(slow.isClosed()).toBe(false);

    slow.resume();
    const reader = slow;
    const last = `round ${round} `;
    await vi.waitFor(
      () => {
        expect(reader.events[0]?.event).toBe('snapshot');
        expect(deltaRows(reader.events).some((r) => r.note?.startsWith(last))).toBe(true);
      },
      { timeout: 10_000 },
    );
    // and it keeps getting what follows
    await changeRound();
    const next = `round ${round} `;
    await vi.waitFor(
      () => expect(deltaRows(reader.events).some((r) => r.note?.startsWith(next))).toBe(true),
      SLOW,
    );
    expect(reader.isClosed()).toBe(false);
    expect(await streamCount()).toBe(2);
  });

  it('still drops a client that stops reading for good', async () => {
    slow = await slowReader(new URL('/api/stream', board.url).href);
    await vi.waitFor(async () => expect(await streamCount()).toBe(2), SLOW);
    // Rounds of about 100 KB each until the board gives up on it: beyond the snapshot and the limit.
    for (let i = 0; i < 200 && (await streamCount()) === 2; i++) await changeRound();
    expect(await streamCount()).toBe(1);
    // the client sees the end once it reads again (a paused socket does not notice the close)
    slow.resume();
    await slow.closed;
    expect(round).toBeGreaterThan(0);
  });
});
