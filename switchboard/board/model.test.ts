import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  comparePresence,
  encode,
  type Message,
  type Presence,
  RejectionCounter,
} from '../../protocol/index.js';
import { feed } from '../../test/support/board-feed.js';
import { assign, state } from '../../test/support/device-fixture.js';
import { BoardModel, type Delta } from './model.js';

const ORG = 'demo';
const AT = '2026-11-23T10:00:00.000Z';

function presence(seq: number, by: Actor, away = true): Presence {
  return away
    ? {
        v: 1,
        status: 'away',
        reason: 'lunch',
        since: AT,
        until: '2026-11-23T10:45:00.000Z',
        alt: null,
        seq,
        by,
        at: AT,
      }
    : { v: 1, status: 'available', reason: null, since: AT, until: null, alt: null, seq, by, at: AT };
}

const person = (ext: string, name: string): Message => ({
  kind: 'directory-person',
  org: ORG,
  ext,
  body: { v: 1, name, department: 'social' },
});

const actorArb = fc.record({
  kind: fc.constantFrom<Actor['kind']>('desk', 'operator', 'calendar', 'switchboard'),
  id: fc.constantFrom('a', 'b', 'desk-1'),
});
// One (seq, actor) is one change: its content is a function of it, as with a real authority, and a
// redelivery is identical. (Two different contents under one seq and actor would be a broken authority.)
const presenceArb = fc
  .tuple(fc.nat({ max: 20 }), actorArb)
  .map(([seq, by]) => presence(seq, by, (seq * 7 + by.kind.length + by.id.length) % 3 !== 0));

describe('BoardModel presence ordering', () => {
  it('any arrival order of presences ends with the greatest (seq, actor)', () => {
    fc.assert(
      fc.property(fc.array(presenceArb, { minLength: 1, maxLength: 30 }), (presences) => {
        const model = new BoardModel();
        for (const body of presences) feed(model, { kind: 'presence', org: ORG, ext: '100', body });
        const winner = presences.reduce((a, b) => (comparePresence(b, a) > 0 ? b : a));
        const row = model.row(ORG, '100');
        expect(row?.status).toBe(winner.status);
        // every presence that ties the winner is identical in the fields the row shows
        const reordered = new BoardModel();
        for (const body of [...presences].reverse())
          feed(reordered, { kind: 'presence', org: ORG, ext: '100', body });
        expect(reordered.row(ORG, '100')).toEqual(row);
      }),
    );
  });

  it('a late older presence does not overwrite and emits no delta', () => {
    const model = new BoardModel();
    const deltas: Delta[] = [];
    model.listen((d) => deltas.push(d));
    expect(
      feed(model, { kind: 'presence', org: ORG, ext: '100', body: presence(5, { kind: 'desk', id: 'd' }) }),
    ).toBe(true);
    expect(
      feed(model, {
        kind: 'presence',
        org: ORG,
        ext: '100',
        body: presence(4, { kind: 'desk', id: 'd' }, false),
      }),
    ).toBe(false);
    expect(model.row(ORG, '100')?.status).toBe('away');
    expect(model.stats.stale).toBe(1);
    expect(deltas).toHaveLength(1);
  });
});

describe('BoardModel rows', () => {
  it('joins directory, presence, mwi, voicemail and device state into one row', () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    feed(model, { kind: 'presence', org: ORG, ext: '100', body: presence(1, { kind: 'desk', id: 'd1' }) });
    feed(model, {
      kind: 'mwi',
      org: ORG,
      ext: '100',
      body: { v: 1, messages: [{ id: 'm1', at: AT, text: 'Ring tillbaka', callbackBy: null }] },
    });
    feed(model, { kind: 'voicemail', org: ORG, ext: '100', body: { v: 1, count: 2 } });
    feed(model, assign(ORG, 'desk-1', '100'));
    feed(model, state(ORG, 'desk-1', true, '100'));
    expect(model.row(ORG, '100')).toMatchObject({
      name: 'Anna Berg',
      department: 'social',
      status: 'away',
      reason: 'lunch',
      until: '2026-11-23T10:45:00.000Z',
      voicemail: 2,
      messages: 1,
      online: true,
    });
  });

  it('voicemail and phone messages arrive on two topics and never overwrite each other', () => {
    const model = new BoardModel();
    const mwi = (ids: string[]): Message => ({
      kind: 'mwi',
      org: ORG,
      ext: '100',
      body: { v: 1, messages: ids.map((id) => ({ id, at: AT, text: 'Ring tillbaka', callbackBy: null })) },
    });
    const voicemail = (count: number | null): Message => ({
      kind: 'voicemail',
      org: ORG,
      ext: '100',
      body: count === null ? null : { v: 1, count },
    });
    feed(model, voicemail(3));
    feed(model, mwi(['m1', 'm2']));
    feed(model, voicemail(1));
    expect(model.row(ORG, '100')).toMatchObject({ voicemail: 1, messages: 2 });
    feed(model, mwi(['m2']));
    expect(model.row(ORG, '100')).toMatchObject({ voicemail: 1, messages: 1 });
    // an empty payload clears the count; with no messages either, nothing is left of the row
    feed(model, voicemail(null));
    expect(model.row(ORG, '100')).toMatchObject({ voicemail: 0, messages: 1 });
    feed(model, mwi([]));
    expect(model.row(ORG, '100')).toBeUndefined();
  });

  it('a will without ext marks the device it was born as offline', () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    feed(model, assign(ORG, 'desk-1', '100'));
    feed(model, state(ORG, 'desk-1', true, '100'));
    feed(model, state(ORG, 'desk-1', false));
    expect(model.row(ORG, '100')?.online).toBe(false);
  });

  it('an online desk with its key panel unplugged is not shown as a working desk (panelConnected)', () => {
    const model = new BoardModel();
    const deltas: Delta[] = [];
    feed(model, person('100', 'Anna Berg'));
    feed(model, assign(ORG, 'desk-1', '100'));
    feed(model, state(ORG, 'desk-1', true, '100'));
    expect(model.row(ORG, '100')).toMatchObject({ online: true, panelUnplugged: null });
    model.listen((d) => deltas.push(d));
    const unplugged = (connected: boolean): Message => ({
      kind: 'device-state',
      org: ORG,
      deviceId: 'desk-1',
      body: { v: 1, online: true, ext: '100', panelConnected: connected },
    });
    feed(model, unplugged(false));
    expect(model.row(ORG, '100')).toMatchObject({ online: true, panelUnplugged: true });
    expect(deltas).toHaveLength(1);
    // a second desk of the same person with its panel in: the person can press keys
    feed(model, assign(ORG, 'desk-2', '100'));
    feed(model, {
      kind: 'device-state',
      org: ORG,
      deviceId: 'desk-2',
      body: { v: 1, online: true, ext: '100', panelConnected: true },
    });
    expect(model.row(ORG, '100')?.panelUnplugged).toBeNull();
    feed(model, state(ORG, 'desk-2', false));
    expect(model.row(ORG, '100')?.panelUnplugged).toBe(true);
    feed(model, unplugged(true));
    expect(model.row(ORG, '100')).toMatchObject({ online: true, panelUnplugged: null });
  });

  it('clearing the retained directory entry removes a row with nothing else on it', () => {
    const model = new BoardModel();
    const deltas: Delta[] = [];
    model.listen((d) => deltas.push(d));
    feed(model, person('100', 'Anna Berg'));
    feed(model, { kind: 'directory-person', org: ORG, ext: '100', body: null });
    expect(model.row(ORG, '100')).toBeUndefined();
    expect(model.size).toBe(0);
    expect(deltas.map((d) => d.type)).toEqual(['row', 'row-removed']);
  });

  it('keeps organisations apart', () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    feed(model, { ...person('100', 'Morten Holm'), org: 'other' } as Message);
    expect(model.row(ORG, '100')?.name).toBe('Anna Berg');
    expect(model.row('other', '100')?.name).toBe('Morten Holm');
    // one organisation's rows, as the managers' view and the statistics' headcounts read them
    expect(model.rowsOf('other').map((r) => [r.org, r.name])).toEqual([['other', 'Morten Holm']]);
    expect(model.rowsOf('nobody')).toEqual([]);
  });

  it('an unchanged republish (agent reconnect) emits nothing', () => {
    const model = new BoardModel();
    const deltas: Delta[] = [];
    model.listen((d) => deltas.push(d));
    feed(model, person('100', 'Anna Berg'));
    feed(model, person('100', 'Anna Berg'));
    expect(deltas).toHaveLength(1);
  });
});

describe('BoardModel bad input', () => {
  it('never changes the model and is counted', () => {
    const base = new BoardModel();
    feed(base, person('100', 'Anna Berg'));
    feed(base, { kind: 'presence', org: ORG, ext: '100', body: presence(3, { kind: 'desk', id: 'd' }) });
    const before = JSON.stringify(base.snapshot());
    const topicArb = fc.oneof(
      fc.constantFrom(
        'hanvisa/v1/demo/presence/100',
        'hanvisa/v1/demo/directory/person/100',
        'hanvisa/v1/demo/device/desk-1/state',
        'hanvisa/v1/demo/mwi/100',
        'hanvisa/v1/demo/queue/q1',
        'hanvisa/v1/demo/directory/org',
        'hanvisa/v2/demo/presence/100',
        'hanvisa/v1/Demo/presence/100',
      ),
      fc.string(),
    );
    const payloadArb = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.jsonValue().map((j) => new TextEncoder().encode(JSON.stringify(j))),
      // a valid presence with one field replaced by junk
      fc
        .tuple(fc.constantFrom('status', 'seq', 'by', 'until', 'v', 'reason'), fc.jsonValue())
        .map(([field, junk]) => {
          const body: Record<string, unknown> = { ...presence(9, { kind: 'desk', id: 'd' }) };
          body[field] = junk;
          return new TextEncoder().encode(JSON.stringify(body));
        }),
    );
    fc.assert(
      fc.property(topicArb, payloadArb, (topic, payload) => {
        const counter = new RejectionCounter();
        const model = new BoardModel(counter);
        feed(model, person('100', 'Anna Berg'));
        feed(model, { kind: 'presence', org: ORG, ext: '100', body: presence(3, { kind: 'desk', id: 'd' }) });
        const changed = model.receive(topic, payload);
        // junk that happens to be a valid message (e.g. seq replaced by another number) is not bad input
        if (counter.total === 0) return;
        expect(changed).toBe(false);
        expect(JSON.stringify(model.snapshot())).toBe(before);
      }),
      { numRuns: 500 },
    );
  });

  it('counts a rejection with its reason', () => {
    const counter = new RejectionCounter();
    const model = new BoardModel(counter);
    expect(model.receive('hanvisa/v1/demo/presence/100', new TextEncoder().encode('{"v":1}'))).toBe(false);
    expect(counter.byReason.get('schema')).toBe(1);
    expect(model.size).toBe(0);
  });
});

describe('BoardModel change detection', () => {
  const extArb = fc.constantFrom('100', '101');
  // each field the row shows varies on its own, so a comparison that skips one is caught
  const viewedPresenceArb = fc
    .record({
      p: presenceArb,
      until: fc.constantFrom('2026-11-23T10:45:00.000Z', '2026-11-23T11:00:00.000Z'),
      note: fc.option(fc.constantFrom('rum 4', 'kurs'), { nil: undefined }),
      alt: fc.constantFrom(
        null,
        { kind: 'forward' as const, to: '200' },
        { kind: 'info' as const, text: 'växeln' },
      ),
    })
    .map(
      ({ p, until, note, alt }): Presence => ({
        ...p,
        until: p.status === 'away' ? until : null,
        alt,
        ...(note ? { note } : {}),
      }),
    );
  const messageArb: fc.Arbitrary<Message> = fc.oneof(
    fc.record({
      kind: fc.constant('presence' as const),
      org: fc.constant(ORG),
      ext: extArb,
      body: fc.option(viewedPresenceArb),
    }),
    fc.record({
      kind: fc.constant('directory-person' as const),
      org: fc.constant(ORG),
      ext: extArb,
      body: fc.option(
        fc.record({
          v: fc.constant(1 as const),
          name: fc.constantFrom('Anna Berg', 'Erik Lund'),
          department: fc.constantFrom('social', 'bygg'),
          email: fc.constantFrom('a@x.se', 'b@x.se'),
        }),
      ),
    }),
    fc.record({
      kind: fc.constant('mwi' as const),
      org: fc.constant(ORG),
      ext: extArb,
      body: fc.option(
        fc.record({
          v: fc.constant(1 as const),
          messages: fc.array(
            fc.record({
              id: fc.constantFrom('m1', 'm2'),
              from: fc.constant('Kundtjänst'),
              text: fc.constantFrom('Ring tillbaka', 'Möte'),
              at: fc.constant(AT),
              callbackBy: fc.constant(null),
            }),
            { maxLength: 2 },
          ),
        }),
      ),
    }),
    fc.record({
      kind: fc.constant('voicemail' as const),
      org: fc.constant(ORG),
      ext: extArb,
      body: fc.option(fc.record({ v: fc.constant(1 as const), count: fc.nat({ max: 2 }) })),
    }),
    fc
      .tuple(fc.constantFrom('desk-1', 'desk-2'), fc.option(extArb))
      .map(([deviceId, ext]) => assign(ORG, deviceId, ext)),
    fc.record({
      kind: fc.constant('device-state' as const),
      org: fc.constant(ORG),
      deviceId: fc.constantFrom('desk-1', 'desk-2'),
      body: fc.option(
        fc.record(
          { v: fc.constant(1 as const), online: fc.boolean(), ext: extArb },
          { requiredKeys: ['v', 'online'] },
        ),
      ),
    }),
  ) as fc.Arbitrary<Message>;

  it('reports a change exactly when a row appears, disappears or shows something else, listened to or not', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { maxLength: 40 }), (messages) => {
        // one clock for all: a voicemail's age counts from when the model heard its count rise
        const clock = () => Date.parse('2026-11-23T10:00:00.000Z');
        const listened = new BoardModel(undefined, undefined, clock);
        const silent = new BoardModel(undefined, undefined, clock);
        const deltas: Delta[] = [];
        listened.listen((d) => deltas.push(d));
        const rowsOf = (model: BoardModel) => JSON.stringify([model.row(ORG, '100'), model.row(ORG, '101')]);
        // the truth: the rows of a fresh model that has received the same messages, built once at the end
        const fresh = (upTo: Message[]) => {
          const model = new BoardModel(undefined, undefined, clock);
          for (const message of upTo) feed(model, message);
          return rowsOf(model);
        };
        for (const [i, message] of messages.entries()) {
          const { topic, payload } = encode(message);
          deltas.length = 0;
          const changed = listened.receive(topic, payload);
          expect(silent.receive(topic, payload)).toBe(changed);
          const after = fresh(messages.slice(0, i + 1));
          expect(changed).toBe(after !== fresh(messages.slice(0, i)));
          expect(deltas.length > 0).toBe(changed);
          expect(rowsOf(listened)).toBe(after);
          expect(rowsOf(silent)).toBe(after);
          expect(JSON.stringify(silent.snapshot())).toBe(JSON.stringify(listened.snapshot()));
        }
      }),
      { numRuns: 300 },
    );
  });
});
