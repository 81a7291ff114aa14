// The board's HTTP side against the embedded broker: the snapshot, the SSE stream (snapshot first,
// then batched deltas), security headers on every response, and bad requests answered with a 4xx.
import { request } from 'node:http';
import { connect } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import type { Delta } from '../../switchboard/board/model.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { unpackRows, type WireSnapshot } from '../../switchboard/board/wire.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { sseReader } from '../support/sse.js';

const ORG = 'testkommun';
const NOW = '2026-11-23T10:00:00.000Z';

const presence = (seq: number): Presence => ({
  v: 1,
  status: seq % 2 ? 'away' : 'available',
  reason: seq % 2 ? 'meeting' : null,
  since: NOW,
  until: seq % 2 ? '2026-11-23T11:15:00.000Z' : null,
  alt: null,
  seq,
  by: { kind: 'desk', id: 'desk-1' },
  at: NOW,
});

/** A raw request, for what fetch() refuses to send. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (d) => {
      out += d;
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('board HTTP service', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let desk: MqttClient;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({
      brokerUrl: broker.url,
      port: 0,
      deskLinks: (ext) => (ext === '666' ? 'javascript:alert(1)' : `http://127.0.0.1:9999/desk/${ext}`),
    });
    await board.session.ready;
    desk = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await publishMessage(desk, {
      kind: 'directory-person',
      org: ORG,
      ext: '100',
      body: { v: 1, name: 'Anna Berg', department: 'social' },
    });
    await publishMessage(desk, {
      kind: 'directory-person',
      org: ORG,
      ext: '666',
      body: { v: 1, name: 'Eve Ill', department: 'social' },
    });
    await vi.waitFor(() => expect(board.model.size).toBe(2));
  });
  afterAll(async () => {
    await desk.endAsync(true);
    await board.close();
    await broker.close();
  });

  it('serves the page and its assets with security headers', async () => {
    for (const path of [
      '/',
      '/assets/app.js',
      '/assets/stream-open.js',
      '/assets/style.css',
      '/assets/controls.css',
      '/api/snapshot',
    ]) {
      const res = await fetch(new URL(path, board.url));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      await res.arrayBuffer();
    }
    const page = await (await fetch(board.url)).text();
    expect(page).toContain('data-testid="search"');
    // one bundle: the page's modules (and the shared rules they import) are not served one by one
    const bundle = await (await fetch(new URL('/assets/app.js', board.url))).text();
    expect(bundle).not.toMatch(/^import /m);
    // the head's first script is classic, before the bundle: no module syntax in it either
    expect(page.indexOf('/assets/stream-open.js')).toBeLessThan(page.indexOf('/assets/app.js'));
    const opener = await (await fetch(new URL('/assets/stream-open.js', board.url))).text();
    expect(opener).not.toMatch(/^(import|export) /m);
    expect((await fetch(new URL('/assets/format.js', board.url))).status).toBe(404);
  });

  it('gives a snapshot with desk links, only http(s) ones', async () => {
    const res = await fetch(new URL('/api/snapshot', board.url));
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as WireSnapshot;
    const rows = unpackRows(body);
    const anna = rows.find((r) => r.ext === '100');
    expect(anna).toMatchObject({ name: 'Anna Berg', desk: 'http://127.0.0.1:9999/desk/100' });
    expect(rows.find((r) => r.ext === '666')?.desk).toBeUndefined();
    expect(body.reasons.length).toBeGreaterThan(0);
  });

  it('filters the snapshot by org', async () => {
    const other = (await (await fetch(new URL('/api/snapshot?org=other', board.url))).json()) as WireSnapshot;
    expect(unpackRows(other)).toEqual([]);
  });

  it('streams a snapshot, then batched deltas, the newest state per person', async () => {
    const res = await fetch(new URL('/api/stream', board.url));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    const sse = sseReader(res.body as ReadableStream<Uint8Array>);
    await vi.waitFor(() => expect(sse.events[0]?.event).toBe('snapshot'));
    const snapshot = JSON.parse(sse.events[0]?.data ?? '{}') as WireSnapshot;
    expect(
      unpackRows(snapshot)
        .map((r) => r.ext)
        .sort(),
    ).toEqual(['100', '666']);

    const burst = 40;
    await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        publishMessage(desk, { kind: 'presence', org: ORG, ext: '100', body: presence(i + 1) }),
      ),
    );
    const rowsFor100 = () =>
      sse.events
        .filter((e) => e.event === 'delta')
        .flatMap((e) => JSON.parse(e.data) as Delta[])
        .filter((d): d is Extract<Delta, { type: 'row' }> => d.type === 'row' && d.row.ext === '100');
    await vi.waitFor(() => expect(rowsFor100().at(-1)?.row).toMatchObject({ status: 'available' }));
    // seq 40 (even) is available and newest; the batching sends far fewer rows than changes
    expect(board.model.row(ORG, '100')?.status).toBe('available');
    expect(rowsFor100().length).toBeLessThan(burst);
    expect(rowsFor100().at(-1)?.row).toMatchObject({ desk: 'http://127.0.0.1:9999/desk/100' });
    await sse.cancel();
    await vi.waitFor(async () => {
      const health = (await (await fetch(new URL('/api/health', board.url))).json()) as { streams: number };
      expect(health.streams).toBe(0);
    });
  });

  it('starts a stream with `ready` instead of the snapshot when the page fetches its own', async () => {
    const sse = sseReader(
      (await fetch(new URL('/api/stream?snapshot=fetch', board.url))).body as ReadableStream<Uint8Array>,
    );
    await vi.waitFor(() => expect(sse.events[0]?.event).toBe('ready'));
    // a change after `ready` comes as a delta, so a snapshot fetched now and the deltas after it meet
    await publishMessage(desk, { kind: 'presence', org: ORG, ext: '666', body: presence(1) });
    await vi.waitFor(() => expect(sse.events.some((e) => e.event === 'delta')).toBe(true));
    expect(sse.events.map((e) => e.event)).not.toContain('snapshot');
    await sse.cancel();
  });

  it('sends a change after a quiet spell at once; the batch window bounds only the rate', async () => {
    // a window far longer than the test: only the leading edge can deliver anything
    const slow = await startBoard({ brokerUrl: broker.url, port: 0, batchMs: 600_000 });
    await slow.session.ready;
    await vi.waitFor(() => expect(slow.model.row(ORG, '100')).toBeDefined());
    const sse = sseReader((await fetch(new URL('/api/stream', slow.url))).body as ReadableStream<Uint8Array>);
    await vi.waitFor(() => expect(sse.events[0]?.event).toBe('snapshot'));
    const deltas = () => sse.events.filter((e) => e.event === 'delta');
    await publishMessage(desk, { kind: 'presence', org: ORG, ext: '100', body: presence(101) });
    await vi.waitFor(() => expect(deltas()).toHaveLength(1));
    // the next change is in the model, and waits for the window
    await publishMessage(desk, { kind: 'presence', org: ORG, ext: '100', body: presence(102) });
    await vi.waitFor(() => expect(slow.model.row(ORG, '100')?.status).toBe('available'));
    expect(deltas()).toHaveLength(1);
    await sse.cancel();
    await slow.close();
  });

  it('lets an intercept (access control) answer first, and survives one that throws', async () => {
    const guarded = await startBoard({
      brokerUrl: broker.url,
      port: 0,
      intercept: (_req, res, url) => {
        if (url.pathname === '/api/boom') throw new Error('boom');
        if (url.pathname !== '/api/snapshot') return false;
        res.statusCode = 401;
        res.end('{"error":"log in"}');
        return true;
      },
    });
    try {
      const denied = await fetch(new URL('/api/snapshot', guarded.url));
      expect(denied.status).toBe(401);
      expect(denied.headers.get('content-security-policy')).toBeTruthy();
      expect(await denied.json()).toEqual({ error: 'log in' });
      expect((await fetch(new URL('/api/boom', guarded.url))).status).toBe(500);
      const page = await fetch(guarded.url);
      expect(page.status).toBe(200);
      await page.arrayBuffer();
    } finally {
      await guarded.close();
    }
  });

  it('answers bad requests with a 4xx and a reason, and keeps serving', async () => {
    const cases: [string, RequestInit | undefined, number][] = [
      ['/nope', undefined, 404],
      ['/assets/../package.json', undefined, 404],
      ['/assets/%2e%2e%2fpackage.json', undefined, 404],
      ['/api/snapshot?org=Bad%20Org', undefined, 400],
      ['/api/snapshot?evil=1', undefined, 400],
      ['/api/snapshot?snapshot=fetch', undefined, 400],
      ['/api/stream?snapshot=yes', undefined, 400],
      ['/api/snapshot', { method: 'POST', body: 'x' }, 405],
      ['/api/stream', { method: 'DELETE' }, 405],
      [`/api/snapshot?org=${'a'.repeat(3000)}`, undefined, 414],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(new URL(path, board.url), init);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = (await res.json()) as { error: string };
      expect(body.error.length, path).toBeGreaterThan(0);
    }
    expect(await raw(board.port, 'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(board.port, 'GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 400/,
    );
    expect(await raw(board.port, 'NONSENSE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    const health = (await (await fetch(new URL('/api/health', board.url))).json()) as {
      httpRejected: number;
    };
    expect(health.httpRejected).toBeGreaterThanOrEqual(cases.length + 3);
    const ok = await new Promise<number>((resolve) =>
      request(new URL('/api/snapshot', board.url), (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end(),
    );
    expect(ok).toBe(200);
  });
});
