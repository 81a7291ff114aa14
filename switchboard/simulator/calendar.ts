// A simulated calendar integration for the people without a desk: SAMSA staff have their referral set
// by their calendar ("SAM:" meeting, "TJÄ:" business trip; shared/seeds/002). Pure and seeded like the
// traffic: every presence comes from the agent's own domain (applyAction with the organisation's
// policy), never a hand-made return time, and continues above the newest presence seen for that person
// (an operator's, or what an earlier run left retained), so the board and desks adopt it.
// As a calendar bridge does, it also says what comes next (calendar/{ext} `next`): for some people a
// planned entry, which refers them when its time comes, so the board's "Sammanträde från 14:00" keeps
// its word.

import { type Actor, type CalendarStatus, type Message, nextSeq, Presence } from '../../protocol/index.js';
import type { OrgPolicy } from '../../rules/policy.js';
import { adopt, applyAction, type DeskAction, initialPresence } from '../../rules/referral.js';
import { rng } from './scenario.js';

const ACTOR: Actor = { kind: 'calendar', id: 'calendar' };

const OPEN: DeskAction = { type: 'open' };
const reason = (code: string): DeskAction => ({ type: 'reason', reason: code });

/** What the calendar says when it first sees someone: a mix, dealt from a seeded shuffle. */
const INITIAL: readonly DeskAction[] = [
  OPEN,
  reason('meeting'), // SAM: to the next quarter hour past one hour
  reason('lunch'),
  reason('sick'),
  reason('trip'), // TJÄ: to the end of the working day
  { type: 'until-further-notice', reason: 'vacation' },
];

/** Calendar entries starting while someone is available, with how often each happens. */
const STARTS: readonly [DeskAction, number][] = [
  [reason('meeting'), 0.35],
  [reason('lunch'), 0.25],
  [reason('out'), 0.2],
  [reason('trip'), 0.1],
  [reason('course'), 0.05],
  [reason('sick'), 0.05],
];

/** The planned entries of the calendar's `next`, and the share of its people who have one. */
const PLANNED: readonly string[] = ['meeting', 'course', 'out'];
const PLANNED_SHARE = 0.6;

type NextAbsence = NonNullable<CalendarStatus['next']>;

/** Leave and sickness have no entry that ends within a demo: back, or nothing happens this time. */
const LONG = new Set(['sick', 'vacation', 'gone']);

export interface CalendarOptions {
  org: string;
  /** the extensions the calendar sets; it never touches any other */
  exts: readonly string[];
  seed: number;
  policy: OrgPolicy;
}

export interface Calendar {
  /** At `now`: the presences to publish (first the initial one of everyone not yet set, with everyone's
   * calendar status; else the planned entries due and at most one other change) and how long until the
   * next step (never past the next planned entry). */
  step(now: number): { messages: Message[]; delayMs: number };
  /** A presence seen on the broker (retained from an earlier run, an operator's, our own echo): the
   * next change continues from the newest. `null` (cleared) makes the next step set it afresh. */
  seen(ext: string, presence: Presence | null): void;
}

export function createCalendar(options: CalendarOptions): Calendar {
  const { org, exts, policy } = options;
  // A stream of its own, so adding the calendar leaves the queue and voicemail traffic of a seed as it was.
  const random = rng(options.seed ^ 0x5ca1ab1e);
  const known = new Map<string, Presence>();
  // kept across a clear, so a person set afresh still continues above every seq anyone has used
  const highest = new Map<string, number>();
  const nextSeqAfter = (seq: number | undefined) => (seq === undefined ? 0 : nextSeq(seq));
  const pending = new Set(exts);
  const deck = [...INITIAL];
  for (let i = deck.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deck[i], deck[j]] = [deck[j] as DeskAction, deck[i] as DeskAction];
  }
  let dealt = 0;
  // the planned entries on a random stream of their own: planning draws nothing from the changes' stream
  const planning = rng(options.seed ^ 0x0ca1e4da);
  const plans = new Map<string, NextAbsence>();

  /** sick, on leave or away until further notice: no meeting planned */
  const onLeave = (ext: string) => {
    const p = known.get(ext);
    return p?.status === 'away' && (p.until === null || LONG.has(p.reason ?? ''));
  };

  /** calendar/{ext}: read just now, and the next entry if any */
  const status = (ext: string, now: number): Message => {
    const at = new Date(now).toISOString();
    const next = plans.get(ext);
    return {
      kind: 'calendar-status',
      org,
      ext,
      body: { v: 1, ok: true, at, lastGood: at, failures: 0, ...(next ? { next } : {}) },
    };
  };

  /**
   * Maybe an entry 20 minutes to 2 hours ahead, on a quarter hour, ending where the reason's own rule
   * ends it when it begins (so the referral it makes then returns at `to`). Not kept to the working
   * day: the demo shows it at any hour.
   */
  const plan = (ext: string, now: number) => {
    plans.delete(ext);
    if (onLeave(ext) || planning() >= PLANNED_SHARE) return;
    const code = PLANNED[Math.floor(planning() * PLANNED.length)] as string;
    const from = Math.ceil((now + (20 + Math.floor(planning() * 100)) * 60_000) / 900_000) * 900_000;
    const start = { ...initialPresence(new Date(from), ACTOR), seq: 0 };
    const until = applyAction(start, reason(code), { now: new Date(from), policy, actor: ACTOR }).until;
    if (until) plans.set(ext, { from: new Date(from).toISOString(), to: until, reason: code });
  };

  /** The planned entries due at `now`: each refers its person, and the next is planned. */
  const begin = (now: number): Message[] => {
    const out: Message[] = [];
    for (const [ext, next] of plans) {
      if (Date.parse(next.from) > now) continue;
      // the entry replaces whatever the person was doing, so it ends where it said (not chained); none
      // for someone fallen sick since
      const m = onLeave(ext) ? undefined : apply(ext, now, OPEN, reason(next.reason));
      if (m) out.push(m);
      plan(ext, now);
      out.push(status(ext, now));
    }
    return out;
  };

  /** The step's delay, cut short to land on the next planned entry. */
  const until = (delayMs: number, now: number) =>
    Math.max(0, Math.min(delayMs, ...[...plans.values()].map((p) => Date.parse(p.from) - now)));

  /** The presence after `actions` (one message), or undefined when nothing the board can see changes. */
  const apply = (ext: string, now: number, ...actions: DeskAction[]): Message | undefined => {
    const current = known.get(ext);
    const base = current ?? { ...initialPresence(new Date(now), ACTOR), seq: nextSeqAfter(highest.get(ext)) };
    const context = { now: new Date(now), policy, actor: ACTOR };
    const next = actions.reduce((p, action) => applyAction(p, action, context), base);
    // Unchanged: nothing to say, unless nobody has said anything yet (available from the start).
    if (next === current) return undefined;
    // A seq past the contract's range (never in practice) or a foreign presence we cannot build on.
    if (!Presence.safeParse(next).success) return undefined;
    known.set(ext, next);
    highest.set(ext, next.seq);
    return { kind: 'presence', org, ext, body: next };
  };

  const change = (p: Presence): DeskAction | undefined => {
    const r = random();
    if (p.status === 'available') {
      let acc = 0;
      for (const [action, weight] of STARTS) {
        acc += weight;
        if (r < acc) return action;
      }
      return STARTS[0]?.[0];
    }
    if (p.until === null || (p.reason !== null && LONG.has(p.reason))) return r < 0.5 ? OPEN : undefined;
    if (r < 0.55) return OPEN; // the entry ended: back
    // the next entry right after (SAMSA: state the total absence), or the meeting runs over
    if (r < 0.75) return reason(p.reason === 'meeting' ? 'lunch' : 'meeting');
    return { type: 'extend', minutes: policy.stepMinutes };
  };

  return {
    step(now) {
      const messages: Message[] = begin(now);
      if (pending.size > 0) {
        for (const ext of pending) {
          const action = deck[dealt++ % deck.length] as DeskAction;
          const m = apply(ext, now, action);
          if (m) messages.push(m);
          plan(ext, now);
          messages.push(status(ext, now));
        }
        pending.clear();
      } else if (messages.length === 0 && exts.length > 0) {
        const ext = exts[Math.floor(random() * exts.length)] as string;
        const current = known.get(ext);
        const action = current && change(current);
        const m = action && apply(ext, now, action);
        if (m) messages.push(m);
      }
      return { messages, delayMs: until(5000 + Math.floor(random() * 10_000), now) };
    },
    seen(ext, presence) {
      if (!exts.includes(ext)) return;
      if (presence === null) {
        known.delete(ext);
        pending.add(ext);
        return;
      }
      // older than one already out there (also after a clear): nothing to build on
      if (presence.seq < (highest.get(ext) ?? -1)) return;
      highest.set(ext, presence.seq);
      const current = known.get(ext);
      known.set(ext, current ? adopt(current, presence) : presence);
    },
  };
}
