// One extension's dialog notifications (RFC 4235 §4.1) in order and out of it: the line each leaves,
// the answered calls with the seconds they rang, once each.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DialogEntry, type DialogInfo, lineOf } from './dialog-info.js';
import {
  applyDialogInfo,
  forgetDialogs,
  type LineTracker,
  newLineTracker,
  restartSubscription,
} from './line-tracker.js';

const call = (
  state: DialogEntry['state'],
  direction: DialogEntry['direction'] = 'recipient',
): DialogEntry => ({
  id: 'd1',
  callId: 'c1@pbx',
  direction,
  state,
});
const full = (version: number, ...dialogs: DialogEntry[]): DialogInfo => ({
  version,
  state: 'full',
  entity: 'sip:4711@pbx',
  dialogs,
});
const partial = (version: number, ...dialogs: DialogEntry[]): DialogInfo => ({
  ...full(version, ...dialogs),
  state: 'partial',
});

/** the line the subscription's dialogs leave (dialogs.ts adds those the bridge sent elsewhere) */
const lineAfter = (t: LineTracker) => lineOf(t.dialogs.values());

describe('line tracker', () => {
  it('a call that rings 7 s and is answered: ringing, in a call with one answer of 7 s, idle', () => {
    const t = newLineTracker();
    expect(applyDialogInfo(t, full(0), 0)).toEqual({ answered: [], outdated: false, resync: false });
    expect(lineAfter(t)).toBe('idle');
    applyDialogInfo(t, full(1, call('early')), 1_000);
    expect(lineAfter(t)).toBe('ringing');
    const answered = applyDialogInfo(t, full(2, call('confirmed')), 8_000);
    expect(lineAfter(t)).toBe('in-call');
    expect(answered).toEqual({
      answered: [{ call: 'c1@pbx', ringSeconds: 7 }],
      outdated: false,
      resync: false,
    });
    // a repeat of the confirmed state in a later version is no second answer
    expect(applyDialogInfo(t, full(3, call('confirmed')), 9_000)).toEqual({
      answered: [],
      outdated: false,
      resync: false,
    });
    applyDialogInfo(t, full(4, call('terminated')), 20_000);
    expect(lineAfter(t)).toBe('idle');
  });

  it('an older version arriving late changes nothing', () => {
    const t = newLineTracker();
    applyDialogInfo(t, full(5, call('confirmed')), 0);
    expect(applyDialogInfo(t, full(4, call('early')), 1)).toEqual({
      answered: [],
      outdated: true,
      resync: false,
    });
    expect(lineAfter(t)).toBe('in-call');
  });

  it('a partial notification updates only its dialogs; a gap in the versions asks for the full state', () => {
    const t = newLineTracker();
    const other: DialogEntry = { id: 'd2', callId: 'c2', direction: 'initiator', state: 'confirmed' };
    applyDialogInfo(t, full(1, call('early'), other), 0);
    expect(applyDialogInfo(t, partial(2, { ...other, state: 'terminated' }), 1)).toMatchObject({
      resync: false,
    });
    expect(lineAfter(t)).toBe('ringing');
    expect(applyDialogInfo(t, partial(4, call('confirmed')), 3_000)).toMatchObject({
      answered: [{ call: 'c1@pbx', ringSeconds: 3 }],
      resync: true,
    });
    expect(lineAfter(t)).toBe('in-call');
  });

  it('a call first seen answered (it rang before we watched), or placed by the person, is no answer', () => {
    const t = newLineTracker();
    expect(applyDialogInfo(t, full(1, call('confirmed')), 0)).toMatchObject({ answered: [] });
    expect(lineAfter(t)).toBe('in-call');
    const u = newLineTracker();
    applyDialogInfo(u, full(1, call('early', 'initiator')), 0);
    expect(applyDialogInfo(u, full(2, call('confirmed', 'initiator')), 5_000)).toEqual({
      answered: [],
      outdated: false,
      resync: false,
    });
  });

  it('a new subscription counts its versions afresh; a NOTIFY without a body leaves the line idle', () => {
    const t = newLineTracker();
    applyDialogInfo(t, full(9, call('confirmed')), 0);
    restartSubscription(t);
    expect(applyDialogInfo(t, full(0), 1)).toMatchObject({ outdated: false });
    expect(lineAfter(t)).toBe('idle');
    applyDialogInfo(t, full(1, call('early')), 2);
    expect(forgetDialogs(t)).toEqual({ answered: [], outdated: false, resync: false });
    expect(lineAfter(t)).toBe('idle');
    expect(t.version).toBe(1);
  });

  it('any order of notifications: each call is answered at most once, never with negative seconds', () => {
    const step = fc.record({
      version: fc.nat(20),
      id: fc.constantFrom('a', 'b', 'c'),
      state: fc.constantFrom('trying', 'early', 'confirmed', 'terminated' as const),
      at: fc.nat(100_000),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const t = newLineTracker();
        const answers: string[] = [];
        let at = 0;
        for (const s of steps) {
          at += s.at;
          const dialog: DialogEntry = { id: s.id, callId: s.id, direction: 'recipient', state: s.state };
          const r = applyDialogInfo(t, partial(s.version, dialog), at);
          for (const a of r.answered) {
            expect(a.ringSeconds).toBeGreaterThanOrEqual(0);
            answers.push(a.call);
          }
        }
        // a call id answers again only after it ended and rang anew
        for (const id of new Set(answers)) {
          const count = answers.filter((a) => a === id).length;
          const rings = steps.filter((s) => s.id === id && s.state !== 'confirmed').length;
          expect(count).toBeLessThanOrEqual(Math.max(1, rings));
        }
      }),
    );
  });
});
