// Simulated calls to people's extensions, pure and seeded like the queue traffic: who is called, and
// each call's course as the phone bridge would report it (extcall/{ext} steps, line/{ext} states), so the
// demo board shows "i samtal" and the live call notices, and the recorder's figures get unreferred
// calls, answers within N rings and operator transfers (docs/board.md, "Simulator").
// The routing follows what the PBX was told (the referrals the bridge handed the simulated phone):
// - referred: to the switchboard with the reason and return (a private one only as `away`), or to the
//   colleague of a forward, whose phone rings and, unanswered, goes on to the switchboard;
// - not referred, line busy: to the switchboard (`busy`);
// - not referred, line free: the desk rings; answered after some rings, or it rings out and goes to the
//   switchboard (`unanswered`: Falkenberg's "telefonen inte är hänvisad"); an operator's transfer that
//   is not answered comes back (`bounced`: Guldborgsund's "kommer tilbage til hovedomstillingen").
import type { LineState } from '../../protocol/index.js';
import type { ExtCallReport, Referral } from '../phone/port.js';
import { DEMO_PEOPLE, rng } from './scenario.js';

/** The demo switchboard's extension: where referred, busy and unanswered calls go. */
export const SWITCHBOARD_EXT = '9000';
/** How long a desk rings before the call goes on (5 rings of 5 s), seconds. */
export const RING_LIMIT_S = 25;

/** One thing the phone system reports at `at`: a line's state or a step of a call. */
export type PhoneReport =
  | { type: 'line'; at: number; ext: string; state: LineState['state'] }
  | { type: 'ext-call'; at: number; step: ExtCallReport };

export interface PersonCalls {
  /**
   * A call starting at `now` to someone in the directory, with its whole course (reports in time order,
   * the first at `now`), given the referrals the PBX holds; and how long until the next call.
   */
  next(
    now: number,
    referralOf: (ext: string) => Referral | undefined,
  ): { reports: PhoneReport[]; delayMs: number };
}

export function createPersonCalls(seed: number): PersonCalls {
  // a stream of its own, so the queue and voicemail traffic of a seed stays as it was
  const random = rng(seed ^ 0x0ca11ed);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  /** when each line is free again, from the calls planned so far */
  const busyUntil = new Map<string, number>();
  let calls = 0;

  return {
    next(now, referralOf) {
      const person = DEMO_PEOPLE[Math.floor(random() * DEMO_PEOPLE.length)] as (typeof DEMO_PEOPLE)[number];
      const ext = person.ext;
      const call = `sim-${seed}-p${++calls}`;
      let steps = 0;
      const reports: PhoneReport[] = [];
      const step = (at: number, s: Omit<ExtCallReport, 'id' | 'call' | 'ext' | 'at'>) =>
        reports.push({ type: 'ext-call', at, step: { id: `${call}-${++steps}`, call, ext, at, ...s } });
      const line = (at: number, who: string, state: LineState['state']) =>
        reports.push({ type: 'line', at, ext: who, state });
      const free = (who: string) => (busyUntil.get(who) ?? 0) <= now;
      /** `who`'s phone rings from `now`: answered after some rings, or it rings out; returns the answer time */
      const ring = (who: string, answers: boolean): { end: number; ringSeconds: number } => {
        const ringSeconds = answers ? between(3, 24) : RING_LIMIT_S;
        const end = now + ringSeconds * 1000;
        line(now, who, 'ringing');
        if (answers) {
          line(end, who, 'in-call');
          const hangUp = end + between(20, 180) * 1000;
          line(hangUp, who, 'idle');
          busyUntil.set(who, hangUp);
        } else {
          line(end, who, 'idle');
          busyUntil.set(who, end);
        }
        return { end, ringSeconds };
      };
      const toSwitchboard = (at: number, cause: 'referred' | 'busy' | 'unanswered', r?: Referral) =>
        step(at, {
          event: 'routed',
          to: 'switchboard',
          cause,
          target: SWITCHBOARD_EXT,
          ...(r?.presence.reason
            ? { reason: r.private ? 'away' : r.presence.reason, until: r.presence.until }
            : {}),
        });

      const referral = referralOf(ext);
      const away = referral?.presence.status === 'away' ? referral : undefined;
      const alt = away?.presence.alt;
      if (away && alt?.kind === 'forward' && free(alt.to)) {
        const reason = away.private ? 'away' : (away.presence.reason ?? 'away');
        step(now, {
          event: 'routed',
          to: 'forward',
          cause: 'referred',
          target: alt.to,
          reason,
          until: away.presence.until,
        });
        const answers = random() < 0.6;
        const { end, ringSeconds } = ring(alt.to, answers);
        step(end, { event: answers ? 'answered' : 'unanswered', target: alt.to, ringSeconds });
        if (!answers) toSwitchboard(end, 'unanswered');
      } else if (away) toSwitchboard(now, 'referred', away);
      else if (!free(ext)) toSwitchboard(now, 'busy');
      else {
        // an operator's transfer now and then: only to someone the board shows in
        const transfer = random() < 0.25 ? { transfer: true } : {};
        step(now, { event: 'routed', to: 'desk', cause: 'available', target: ext, ...transfer });
        const answers = random() < 0.7;
        const { end, ringSeconds } = ring(ext, answers);
        if (answers) step(end, { event: 'answered', target: ext, ringSeconds, ...transfer });
        else if (transfer.transfer) step(end, { event: 'bounced', target: ext, transfer: true });
        else {
          step(end, { event: 'unanswered', target: ext, ringSeconds });
          toSwitchboard(end, 'unanswered');
        }
      }
      reports.sort((a, b) => a.at - b.at);
      return { reports, delayMs: between(6000, 20_000) };
    },
  };
}
