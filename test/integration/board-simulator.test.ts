// The simulated switchboard through the embedded broker into the board: the directory lands, the
// traffic (stepped by a hand-driven clock) moves queues and voicemail counts, calls to people ring,
// are answered (on the phone) or come to the switchboard (the live notice), the messages the board
// took survive that traffic (voicemail has a topic of its own), and one marked handled on a desk
// disappears (the board is the authority). As a calendar it sets the people without a desk, above what is
// retained, and tells the board the next absence of some of them.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExtCallEvent, Presence } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { SWITCHBOARD_EXT } from '../../switchboard/simulator/person-calls.js';
import { DEMO_PEOPLE } from '../../switchboard/simulator/scenario.js';
import { type Simulator, startSimulator } from '../../switchboard/simulator/simulator.js';
import { manualClock } from '../support/manual-clock.js';

const ORG = 'sjovik';

describe('simulated switchboard on the board', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let simulator: Simulator;
  const time = manualClock(Date.parse('2026-11-23T09:00:00.000Z'));

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0, orgs: [ORG] });
    await board.session.ready;
    simulator = startSimulator({ brokerUrl: broker.url, org: ORG, seed: 42, clock: time });
    await simulator.ready;
  });
  afterAll(async () => {
    await simulator?.stop();
    await board?.close();
    await broker?.close();
  });

  it('publishes the directory the board shows', async () => {
    await vi.waitFor(() => {
      expect(board.model.size).toBe(DEMO_PEOPLE.length);
      expect(board.model.orgs.get(ORG)?.name).toBe('Sjöviks kommun');
      expect(board.model.departments.size).toBe(3);
      expect(board.model.queues.size).toBe(3);
    });
    expect(board.model.row(ORG, '2001')?.name).toBe('Anna Lindqvist');
    expect(time.pending()).toBe(2); // the queue and voicemail traffic, and the calls to people
  });

  it('moves queues and voicemail counts', async () => {
    const voicemail = () => DEMO_PEOPLE.some((p) => (board.model.row(ORG, p.ext)?.voicemail ?? 0) > 0);
    const queued = () => [...board.model.queues.values()].some((q) => q.queue.waiting > 0);
    for (let i = 0; i < 200 && !(voicemail() && queued()); i++) {
      const applied = board.model.stats.applied;
      time.fire();
      // each step publishes one message: let it reach the board before the next
      await vi.waitFor(() => expect(board.model.stats.applied).toBeGreaterThan(applied));
    }
    expect(queued()).toBe(true);
    expect(voicemail()).toBe(true);
  });

  it('calls people: the board shows who is on the phone and the calls that came to the switchboard', async () => {
    const notices: ExtCallEvent[] = [];
    const stop = board.model.listen((d) => {
      if (d.type === 'call') notices.push(d.call);
    });
    const inCall = () => DEMO_PEOPLE.some((p) => board.model.row(ORG, p.ext)?.line?.state === 'in-call');
    const ringing = () => DEMO_PEOPLE.some((p) => board.model.row(ORG, p.ext)?.line?.state === 'ringing');
    const seen = { inCall: false, ringing: false };
    for (let i = 0; i < 300 && !(seen.inCall && seen.ringing && notices.length > 0); i++) {
      const applied = board.model.stats.applied;
      time.fire();
      // each step of the traffic or of a call changes something the board shows
      await vi.waitFor(() => expect(board.model.stats.applied).toBeGreaterThan(applied));
      seen.inCall ||= inCall();
      seen.ringing ||= ringing();
    }
    stop();
    expect(seen).toEqual({ inCall: true, ringing: true });
    // nobody is referred here: a busy line or a desk that rang out
    expect(notices.length).toBeGreaterThan(0);
    for (const call of notices) {
      expect(call).toMatchObject({ event: 'routed', to: 'switchboard', target: SWITCHBOARD_EXT });
      expect(['busy', 'unanswered']).toContain(call.cause);
    }
  });

  it('keeps the messages the board took while its voicemail traffic runs; a desk handles one', async () => {
    const session = (await (await fetch(new URL('/api/session', board.url))).json()) as { csrfToken: string };
    const taken = new Map<string, string>();
    for (const p of DEMO_PEOPLE) {
      const res = await fetch(new URL(`/api/messages/${ORG}/${p.ext}`, board.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ from: 'Lena Holm', text: `Till ${p.name}` }),
      });
      expect(res.status).toBe(201);
      taken.set(p.ext, ((await res.json()) as { message: { id: string } }).message.id);
    }
    const voicemails = () => DEMO_PEOPLE.map((p) => board.model.row(ORG, p.ext)?.voicemail ?? 0).join();
    const before = voicemails();
    for (let i = 0; i < 40; i++) {
      const applied = board.model.stats.applied;
      time.fire();
      await vi.waitFor(() => expect(board.model.stats.applied).toBeGreaterThan(applied));
    }
    expect(voicemails()).not.toBe(before);
    for (const [ext, id] of taken) {
      expect(
        board.model.row(ORG, ext)?.phoneMessages?.some((m) => m.id === id),
        ext,
      ).toBe(true);
    }

    // The desk's "handled" key: the board (the authority for phone messages) drops it from mwi.
    const [ext, id] = [...taken][0] as [string, string];
    const desk = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await publishMessage(desk, {
      kind: 'mwi-handled',
      org: ORG,
      ext,
      body: { v: 1, id, by: { kind: 'desk', id: 'desk-x' }, at: new Date().toISOString() },
    });
    await vi.waitFor(() => expect(board.model.row(ORG, ext)?.messages).toBe(0));
    await desk.endAsync(true);
  });
});

describe('simulated calendar on the board', () => {
  const CAL_ORG = 'kalender';
  const withDesk = DEMO_PEOPLE.slice(0, 4).map((p) => p.ext);
  const calendarFor = DEMO_PEOPLE.slice(4).map((p) => p.ext);
  let broker: EmbeddedBroker;
  let board: Board;
  let simulator: Simulator | undefined;
  const presence = (ext: string) => board.model.currentPresence(CAL_ORG, ext);

  /** A simulator on its own hand-driven clock whose first calendar step has run. */
  async function startCalendar(start: number): Promise<ReturnType<typeof manualClock>> {
    const time = manualClock(start);
    simulator = startSimulator({
      brokerUrl: broker.url,
      org: CAL_ORG,
      seed: 42,
      clock: time,
      calendarFor,
    });
    await simulator.ready;
    // the traffic, the calendar and the calls to people, each on its own rhythm
    expect(time.pending()).toBe(3);
    time.fire(); // traffic
    time.fire(); // calendar: everyone's first presence
    return time;
  }

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0, orgs: [CAL_ORG] });
    await board.session.ready;
  });
  afterAll(async () => {
    await simulator?.stop();
    await board?.close();
    await broker?.close();
  });

  it('gives everyone without a desk a known state, changes it, and never touches a desk', async () => {
    const time = await startCalendar(Date.parse('2026-11-23T09:00:00.000Z'));
    await vi.waitFor(() => {
      for (const ext of calendarFor)
        expect(presence(ext)?.by, ext).toEqual({ kind: 'calendar', id: 'calendar' });
    });
    const states = new Set(calendarFor.map((ext) => presence(ext)?.reason ?? 'available'));
    expect(states.size).toBeGreaterThan(3); // a mix, not everyone at lunch
    // as a calendar bridge, it says what comes next for some of them: the board's "Sammanträde från …"
    await vi.waitFor(() =>
      expect(calendarFor.some((ext) => board.model.row(CAL_ORG, ext)?.nextAbsence)).toBe(true),
    );
    for (const ext of withDesk) expect(board.model.row(CAL_ORG, ext)?.nextAbsence ?? null).toBeNull();

    const seqs = () => calendarFor.reduce((n, ext) => n + (presence(ext)?.seq ?? 0), 0);
    const first = seqs();
    for (let i = 0; i < 20; i++) time.fire();
    await vi.waitFor(() => expect(seqs()).toBeGreaterThan(first));
    for (const ext of withDesk) expect(presence(ext), ext).toBeNull();
    expect(board.model.stats.stale).toBe(0);
  });

  it('after a restart continues above what is retained (here: the operator)', async () => {
    await simulator?.stop();
    simulator = undefined;
    const operator = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    const at = new Date().toISOString();
    for (const ext of calendarFor) {
      const body: Presence = {
        v: 1,
        status: 'away',
        reason: 'out',
        since: at,
        until: null,
        alt: null,
        seq: 1000,
        by: { kind: 'operator', id: 'olle' },
        at,
      };
      await publishMessage(operator, { kind: 'presence', org: CAL_ORG, ext, body });
    }
    await operator.endAsync();
    await vi.waitFor(() => {
      for (const ext of calendarFor) expect(presence(ext)?.seq, ext).toBe(1000);
    });

    await startCalendar(Date.parse('2026-11-23T13:00:00.000Z'));
    // every first presence differs from "out", so each is one above the operator's and the board takes it
    await vi.waitFor(() => {
      for (const ext of calendarFor) {
        expect(presence(ext)?.by.kind, ext).toBe('calendar');
        expect(presence(ext)?.seq, ext).toBe(1001);
      }
    });
    expect(board.model.stats.stale).toBe(0);
  });
});
