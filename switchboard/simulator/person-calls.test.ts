import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, type Presence } from '../../protocol/index.js';
import type { Referral } from '../phone/port.js';
import { createPersonCalls, type PhoneReport, RING_LIMIT_S, SWITCHBOARD_EXT } from './person-calls.js';
import { DEMO_PEOPLE } from './scenario.js';

const START = Date.parse('2026-11-23T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function referral(ext: string, presence: Partial<Presence>, extra: Partial<Referral> = {}): Referral {
  return {
    ext,
    locale: 'sv',
    timeZone: 'Europe/Stockholm',
    presence: {
      v: 1,
      status: 'away',
      reason: 'lunch',
      since: iso(START),
      until: '2026-11-23T12:00:00.000Z',
      alt: null,
      seq: 1,
      by: { kind: 'desk', id: `desk-${ext}` },
      at: iso(START),
      ...presence,
    },
    ...extra,
  };
}

/** `count` calls from `seed`, each with the referrals `referralOf` gives. */
function run(
  seed: number,
  count: number,
  referralOf: (ext: string) => Referral | undefined = () => undefined,
) {
  const calls = createPersonCalls(seed);
  const out: PhoneReport[][] = [];
  let now = START;
  for (let i = 0; i < count; i++) {
    const { reports, delayMs } = calls.next(now, referralOf);
    out.push(reports);
    now += delayMs;
  }
  return out;
}

const steps = (reports: PhoneReport[]) => reports.flatMap((r) => (r.type === 'ext-call' ? [r.step] : []));

describe('simulated calls to people', () => {
  it('is deterministic for a seed; every report is a valid contract message, in time order from now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const calls = run(seed, 60);
        expect(calls).toEqual(run(seed, 60));
        for (const reports of calls) {
          const first = reports[0]?.at ?? 0;
          expect(reports.map((r) => r.at)).toEqual(reports.map((r) => r.at).sort((a, b) => a - b));
          for (const r of reports) {
            expect(r.at).toBeGreaterThanOrEqual(first);
            if (r.type === 'line')
              encode({
                kind: 'line',
                org: 'demo',
                ext: r.ext,
                body: { v: 1, state: r.state, since: iso(r.at) },
              });
            else {
              const { ext, at, ...step } = r.step;
              expect(at).toBe(r.at);
              encode({ kind: 'ext-call', org: 'demo', ext, body: { v: 1, ...step, at: iso(at) } });
            }
          }
          // one call per course, each step's id its own
          const ids = steps(reports).map((s) => s.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(steps(reports).map((s) => s.call)).size).toBe(1);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('at a free, unreferred desk: rings first, then answered within the ring limit (in a call), rang out, or a transfer bounced', () => {
    const all = run(3, 300).map(steps);
    const courses = all.filter((s) => s[0]?.to === 'desk');
    const answered = courses.filter((s) => s.some((x) => x.event === 'answered'));
    expect(answered.length).toBeGreaterThan(0);
    for (const s of answered) expect(s[1]?.ringSeconds).toBeLessThan(RING_LIMIT_S);
    // Falkenberg: unanswered at a desk that was not referred, then to the switchboard
    const rangOut = courses.filter((s) => s.some((x) => x.event === 'unanswered'));
    expect(rangOut.length).toBeGreaterThan(0);
    for (const s of rangOut)
      expect(s.map((x) => [x.event, x.to ?? null, x.cause ?? null])).toEqual([
        ['routed', 'desk', 'available'],
        ['unanswered', null, null],
        ['routed', 'switchboard', 'unanswered'],
      ]);
    // Guldborgsund: an operator's transfer answered, or back at the switchboard
    const transfers = courses.filter((s) => s[0]?.transfer);
    expect(transfers.some((s) => s.some((x) => x.event === 'answered' && x.transfer))).toBe(true);
    expect(transfers.some((s) => s.some((x) => x.event === 'bounced' && x.transfer))).toBe(true);
    // the lines: ringing first, in a call after the answer, idle after
    const lines = run(3, 300).flatMap((r) => r.filter((x) => x.type === 'line').map((x) => x.state));
    expect(new Set(lines)).toEqual(new Set(['ringing', 'in-call', 'idle']));
  });

  it('a referred person: to the switchboard with the reason and return, a private one only as away', () => {
    const lunch = referral('2001', {});
    const sick = referral('2002', { reason: 'sick', until: null }, { private: true });
    const referralOf = (ext: string) => (ext === '2001' ? lunch : ext === '2002' ? sick : undefined);
    const all = run(5, 200, referralOf).map(steps);
    const to = (ext: string) => all.filter((s) => s[0]?.ext === ext);
    expect(to('2001').length).toBeGreaterThan(0);
    for (const s of to('2001'))
      expect(s).toEqual([
        expect.objectContaining({
          event: 'routed',
          to: 'switchboard',
          cause: 'referred',
          target: SWITCHBOARD_EXT,
          reason: 'lunch',
          until: '2026-11-23T12:00:00.000Z',
        }),
      ]);
    for (const s of to('2002'))
      expect(s[0]).toMatchObject({ cause: 'referred', reason: 'away', until: null });
  });

  it('a forward to a colleague rings the colleague; unanswered there, the switchboard', () => {
    const alt = { kind: 'forward' as const, to: '2003' };
    const meeting = referral('2001', { reason: 'meeting', alt });
    const all = run(9, 300, (ext) => (ext === '2001' ? meeting : undefined)).map(steps);
    const forwarded = all.filter((s) => s[0]?.ext === '2001' && s[0]?.to === 'forward');
    expect(forwarded.length).toBeGreaterThan(0);
    for (const s of forwarded) {
      expect(s[0]).toMatchObject({ cause: 'referred', target: '2003', reason: 'meeting' });
      expect(s[1]?.target).toBe('2003');
      if (s[1]?.event === 'unanswered')
        expect(s[2]).toMatchObject({ to: 'switchboard', cause: 'unanswered' });
    }
  });

  it('a call to someone already on the phone goes to the switchboard as busy', () => {
    const all = run(11, 400).map(steps);
    expect(all.some((s) => s[0]?.cause === 'busy' && s[0]?.to === 'switchboard')).toBe(true);
  });

  it('calls everyone in the directory now and then', () => {
    const called = new Set(run(13, 300).map((r) => steps(r)[0]?.ext));
    expect(called).toEqual(new Set(DEMO_PEOPLE.map((p) => p.ext)));
  });
});
