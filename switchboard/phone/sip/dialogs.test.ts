// The SIP adapter's line watch against a scripted presence server on loopback UDP (Kamailio cannot be
// made to send broken XML or lose a NOTIFY on cue): bad XML is answered 400, counted and changes no
// line; a partial NOTIFY after a lost one makes the adapter ask for the full state; subscriptions are
// refreshed before they expire and made anew when the server comes back, at most MAX_IN_FLIGHT at once.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExtCallReport, PhoneListener, PhoneSystem } from '../port.js';
import { createSipPhone } from './adapter.js';
import { formatMessage, header, parseMessage, type SipMessage } from './message.js';
import { MAX_IN_FLIGHT } from './subscriptions.js';

interface Server {
  port: number;
  /** requests the adapter sent, in order */
  requests: Extract<SipMessage, { kind: 'request' }>[];
  /** responses the adapter gave to our NOTIFYs */
  answers: number[];
  notify(subscribe: Extract<SipMessage, { kind: 'request' }>, version: number | null, body: string): void;
  /** the Expires it grants a SUBSCRIBE */
  expires: number;
  /** false: it answers nothing (a server gone away) */
  answering: boolean;
  /** true: it takes SUBSCRIBEs but does not answer them (a server busy after a restart) */
  holdSubscribes: boolean;
  close(): void;
}

async function scriptedServer(): Promise<Server> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const server: Server = {
    port: socket.address().port,
    requests: [],
    answers: [],
    expires: 600,
    answering: true,
    holdSubscribes: false,
    notify(subscribe, version, body) {
      const contact = /<sip:[^@]+@([^:]+):(\d+)>/.exec(header(subscribe, 'contact') ?? '');
      const headers = new Map([
        ['via', [`SIP/2.0/UDP 127.0.0.1:${server.port};branch=z9hG4bKn${version}${Math.random()}`]],
        ['from', [`${header(subscribe, 'to')};tag=srv`]],
        ['to', [header(subscribe, 'from') ?? '']],
        ['call-id', [header(subscribe, 'call-id') ?? '']],
        ['cseq', [`${(version ?? 0) + 1} NOTIFY`]],
        ['event', ['dialog']],
        ['subscription-state', ['active;expires=600']],
        ['content-type', ['application/dialog-info+xml']],
      ]);
      const text = formatMessage({
        kind: 'request',
        method: 'NOTIFY',
        uri: 'sip:hanvisa@127.0.0.1',
        headers,
        body,
      });
      socket.send(text, Number(contact?.[2]), contact?.[1]);
    },
    close: () => socket.close(),
  };
  socket.on('message', (data, from) => {
    const m = parseMessage(data.toString('utf8'));
    if (m.kind === 'response') {
      server.answers.push(m.status);
      return;
    }
    if (!server.answering) return;
    server.requests.push(m);
    if (server.holdSubscribes && m.method === 'SUBSCRIBE') return;
    const headers = new Map([
      ['via', m.headers.get('via') ?? []],
      ['from', m.headers.get('from') ?? []],
      ['to', [`${header(m, 'to')};tag=srv`]],
      ['call-id', m.headers.get('call-id') ?? []],
      ['cseq', m.headers.get('cseq') ?? []],
      ['expires', [String(server.expires)]],
    ]);
    socket.send(
      formatMessage({ kind: 'response', status: 200, reason: 'OK', headers, body: '' }),
      from.port,
      from.address,
    );
  });
  return server;
}

const doc = (version: number, state: 'full' | 'partial', dialogState: string) =>
  `<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="sip:4711@127.0.0.1"><dialog id="d1" call-id="c1" direction="recipient"><state>${dialogState}</state></dialog></dialog-info>`;

describe('SIP line watch', () => {
  let server: Server;
  let phone: PhoneSystem;
  afterEach(async () => {
    onFault = undefined;
    await phone?.close();
    server?.close();
  });

  /** called on each fault as it is reported */
  let onFault: (() => void) | undefined;

  async function start(expires = 600) {
    server = await scriptedServer();
    server.expires = expires;
    const seen = {
      lines: [] as string[],
      calls: [] as ExtCallReport[],
      faults: [] as string[],
      links: [] as boolean[],
    };
    const listener: PhoneListener = {
      queue: () => {},
      call: () => {},
      voicemail: () => {},
      link: (up) => seen.links.push(up),
      line: (ext, state) => seen.lines.push(`${ext} ${state}`),
      extCall: (e) => seen.calls.push(e),
      fault: (e) => {
        seen.faults.push(e.message);
        onFault?.();
      },
    };
    phone = createSipPhone({
      server: { host: '127.0.0.1', port: server.port },
      domain: '127.0.0.1',
      extensions: [],
      localHost: '127.0.0.1',
      keepaliveMs: 200,
      timeoutMs: 1000,
    });
    await phone.open(listener);
    phone.watchLine?.('4711');
    const subscribes = () => server.requests.filter((r) => r.method === 'SUBSCRIBE');
    await vi.waitFor(() => expect(subscribes()).toHaveLength(1), 10_000);
    const subscribe = subscribes()[0] as Server['requests'][number];
    expect(header(subscribe, 'event')).toBe('dialog');
    expect(header(subscribe, 'accept')).toBe('application/dialog-info+xml');
    return { seen, subscribe, subscribes };
  }

  it('bad XML: answered 400, counted as a fault with the reason, the line unchanged', async () => {
    const { seen, subscribe } = await start();
    server.notify(subscribe, 1, doc(1, 'full', 'early'));
    await vi.waitFor(() => expect(seen.lines).toEqual(['4711 ringing']), 10_000);
    server.notify(subscribe, 2, '<dialog-info version="2" state="full"><dialog id="d1"><state>confirmed');
    await vi.waitFor(() => expect(server.answers).toEqual([200, 400]), 10_000);
    expect(seen.faults).toEqual([expect.stringMatching(/^dialog NOTIFY for 4711: not XML/)]);
    expect(seen.lines).toEqual(['4711 ringing']);
    expect(seen.calls).toEqual([]);
  });

  it('a late older version is ignored; a partial one after a lost one refreshes the subscription', async () => {
    const { seen, subscribe, subscribes } = await start();
    server.notify(subscribe, 2, doc(2, 'full', 'early'));
    await vi.waitFor(() => expect(seen.lines).toEqual(['4711 ringing']), 10_000);
    server.notify(subscribe, 1, doc(1, 'full', 'terminated'));
    await vi.waitFor(() => expect(server.answers).toEqual([200, 200]), 10_000);
    expect(seen.lines).toEqual(['4711 ringing']);
    server.notify(subscribe, 4, doc(4, 'partial', 'confirmed'));
    await vi.waitFor(() => expect(subscribes()).toHaveLength(2), 10_000);
    // the refresh stays in the subscription's dialog
    expect(header(subscribes()[1] as Server['requests'][number], 'call-id')).toBe(
      header(subscribe, 'call-id'),
    );
    expect(seen.lines).toEqual(['4711 ringing', '4711 in-call']);
    expect(seen.calls).toEqual([
      expect.objectContaining({ event: 'answered', call: 'c1', ext: '4711', target: '4711' }),
    ]);
  });

  it('refreshes before the granted expiry in its dialog, and subscribes anew when the server is back', async () => {
    const { seen, subscribe, subscribes } = await start(2);
    // at 80 % of the 2 s granted
    await vi.waitFor(() => expect(subscribes()).toHaveLength(2), 10_000);
    const refresh = subscribes()[1] as Server['requests'][number];
    expect(header(refresh, 'call-id')).toBe(header(subscribe, 'call-id'));
    expect(header(refresh, 'cseq')).toBe('2 SUBSCRIBE');
    server.expires = 600;
    // the server goes away (the keepalive unanswered: link down) and comes back, having lost everything
    server.answering = false;
    await vi.waitFor(() => expect(seen.links.at(-1)).toBe(false), 10_000);
    const before = subscribes().length;
    server.answering = true;
    await vi.waitFor(() => expect(seen.links.at(-1)).toBe(true), 10_000);
    await vi.waitFor(() => {
      const fresh = subscribes().slice(before);
      expect(fresh.map((r) => header(r, 'cseq'))).toContain('1 SUBSCRIBE');
      expect(fresh.map((r) => header(r, 'call-id'))).not.toContain(header(subscribe, 'call-id'));
    }, 10_000);
  });

  it('a whole directory is subscribed at most MAX_IN_FLIGHT at a time, paced by the answers', async () => {
    const { subscribes } = await start();
    server.holdSubscribes = true;
    const exts = Array.from({ length: MAX_IN_FLIGHT + 8 }, (_, i) => String(5000 + i));
    let distinctAtFirstTimeout: number | undefined;
    const callIds = () => new Set(subscribes().map((r) => header(r, 'call-id'))).size;
    // what the server has taken when the first request times out, before its slot goes to the next
    onFault = () => {
      distinctAtFirstTimeout ??= callIds();
    };
    for (const ext of exts) phone.watchLine?.(ext);
    // none answered: the first to time out frees the first slot; until then only MAX_IN_FLIGHT went out
    await vi.waitFor(() => expect(distinctAtFirstTimeout).toBeDefined(), 10_000);
    onFault = undefined;
    // 4711's subscription and the first MAX_IN_FLIGHT - 1 of the new ones
    expect(distinctAtFirstTimeout).toBe(1 + MAX_IN_FLIGHT);
    server.holdSubscribes = false;
    const subscribed = () => new Set(subscribes().map((r) => /sip:(\d+)@/.exec(r.uri)?.[1]));
    await vi.waitFor(() => expect([...subscribed()]).toEqual(expect.arrayContaining(exts)), 20_000);
  });
});
