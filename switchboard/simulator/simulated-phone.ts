// The simulated switchboard as a phone system behind the port: the seeded demo traffic of
// scenario.ts becomes queue snapshots, call events and voicemail counts, and the calls to people of
// person-calls.ts their line states and extcall steps, so `npm start` and `hanvisa simulate` run the
// same bridge path a real PBX does. It remembers the referrals handed to it and routes those calls by
// them, as a PBX would. While the switchboard is closed or at lunch (switchboard-service) it is in
// night service: callers hear the after-hours message, so no queue fills.

import type { LineState, SwitchboardService } from '../../protocol/index.js';
import type { Clock } from '../../rules/clock.js';
import type { CallEvent, PhoneListener, PhoneSystem, Referral } from '../phone/port.js';
import { createPersonCalls, type PhoneReport } from './person-calls.js';
import { createTraffic, DEMO_DEPARTMENTS } from './scenario.js';

export interface SimulatedPhone extends PhoneSystem {
  /** the last referral per extension, as this "PBX" would route calls */
  referrals(): ReadonlyMap<string, Referral>;
  /** the simulated PBX goes away or comes back (tests of the stale path) */
  setReachable(up: boolean): void;
  /** the last switchboard-service handed to it; null before any */
  service(): SwitchboardService | null;
}

export function createSimulatedPhone(options: { org: string; seed: number; clock: Clock }): SimulatedPhone {
  const { clock } = options;
  const traffic = createTraffic(options.org, options.seed);
  const personCalls = createPersonCalls(options.seed);
  const referrals = new Map<string, Referral>();
  const inQueue = new Map<string, Map<string, { since: number; position: number }>>();
  let listener: PhoneListener | undefined;
  let timer: unknown;
  let callTimer: unknown;
  /** the timers of the calls' later steps, each batch of one moment on one timer */
  const callSteps = new Set<unknown>();
  let reachable = true;
  let events = 0;
  let service: SwitchboardService | null = null;
  const nightService = () => service !== null && service.state !== 'open';

  /** entered / answered events from the difference between two snapshots of one queue */
  const callEvents = (
    queueId: string,
    calls: { id: string; position: number; since: string }[],
    now: number,
  ) => {
    const before = inQueue.get(queueId) ?? new Map();
    const after = new Map(calls.map((c) => [c.id, { since: Date.parse(c.since), position: c.position }]));
    const out: CallEvent[] = [];
    const id = () => `sim-${options.seed}-ev${++events}`;
    for (const [call, c] of after)
      if (!before.has(call))
        out.push({ id: id(), queueId, call, event: 'entered', at: now, position: c.position });
    for (const [call, c] of before)
      if (!after.has(call))
        out.push({
          id: id(),
          queueId,
          call,
          event: 'answered',
          at: now,
          enteredAt: c.since,
          position: c.position,
        });
    inQueue.set(queueId, after);
    return out;
  };

  const tick = () => {
    const now = clock.now();
    const { messages, delayMs } = traffic.step(now);
    for (const m of messages) {
      if (!reachable || !listener) continue;
      if (m.kind === 'queue' && m.body) {
        if (nightService()) continue;
        for (const e of callEvents(m.queueId, m.body.calls ?? [], now)) listener.call(e);
        listener.queue({
          queueId: m.queueId,
          ...(m.body.name !== undefined ? { name: m.body.name } : {}),
          waiting: m.body.waiting,
          oldestSince: m.body.oldestSince === null ? null : Date.parse(m.body.oldestSince),
          calls: m.body.calls ?? [],
        });
      } else if (m.kind === 'voicemail' && m.body) listener.voicemail(m.ext, m.body.count);
    }
    timer = clock.setTimeout(tick, delayMs);
  };

  /** each line as the "PBX" has it, told or not: told afresh when it is reachable again */
  const lines = new Map<string, { state: LineState['state']; at: number }>();
  const report = (r: PhoneReport) => {
    if (r.type === 'line') lines.set(r.ext, { state: r.state, at: r.at });
    if (!reachable || !listener) return;
    if (r.type === 'line') listener.line(r.ext, r.state, r.at);
    else listener.extCall(r.step);
  };

  /** A call to someone: its first reports now, the rest when their time comes. */
  const callTick = () => {
    const now = clock.now();
    const { reports, delayMs } = personCalls.next(now, (ext) => referrals.get(ext));
    const moments = new Map<number, PhoneReport[]>();
    for (const r of reports) moments.set(r.at, [...(moments.get(r.at) ?? []), r]);
    for (const [at, batch] of moments) {
      if (at <= now) {
        for (const r of batch) report(r);
        continue;
      }
      const handle = clock.setTimeout(() => {
        callSteps.delete(handle);
        for (const r of batch) report(r);
      }, at - now);
      callSteps.add(handle);
    }
    callTimer = clock.setTimeout(callTick, delayMs);
  };

  const emptyQueues = () => {
    for (const d of DEMO_DEPARTMENTS)
      listener?.queue({ queueId: d.queue, name: d.name, waiting: 0, oldestSince: null, calls: [] });
    inQueue.clear();
  };

  return {
    system: 'simulator',
    async open(l) {
      listener = l;
      l.link(true);
      emptyQueues();
      timer = clock.setTimeout(tick, 1000);
      callTimer = clock.setTimeout(callTick, 3000);
    },
    referralChanged(referral) {
      referrals.set(referral.ext, referral);
    },
    referrals: () => referrals,
    serviceChanged(next) {
      service = next;
      if (nightService() && reachable) emptyQueues();
    },
    service: () => service,
    setReachable(up) {
      reachable = up;
      listener?.link(up, up ? undefined : 'simulated outage');
      if (!up) return;
      emptyQueues();
      // as a SIP server's first NOTIFY of each new subscription: the full state of every line
      for (const [ext, line] of lines) listener?.line(ext, line.state, line.at);
    },
    async close() {
      for (const handle of [timer, callTimer, ...callSteps])
        if (handle !== undefined) clock.clearTimeout(handle);
      callSteps.clear();
      listener = undefined;
    },
  };
}
