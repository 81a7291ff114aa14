import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkForward, type ForwardTarget, forwardWarning, isRefusedSwitchboardForward } from './forward.js';

const NOW = new Date('2026-11-23T10:30:00.000Z');

describe('forwarding to a colleague', () => {
  const away = (until: string | null): ForwardTarget => ({ status: 'away', reason: 'lunch', until });

  it('warns of a colleague who is away, overdue or away until further notice', () => {
    expect(forwardWarning('2101', '2102', away('2026-11-23T11:15:00.000Z'), NOW)).toEqual({
      kind: 'away',
      reason: 'lunch',
      until: '2026-11-23T11:15:00.000Z',
      overdue: false,
    });
    expect(forwardWarning('2101', '2102', away('2026-11-23T10:30:00.000Z'), NOW)).toMatchObject({
      overdue: true,
    });
    expect(forwardWarning('2101', '2102', away(null), NOW)).toMatchObject({ kind: 'away', overdue: false });
  });

  it('warns of a forward to the own extension, whatever its state', () => {
    expect(forwardWarning('2101', '2101', undefined, NOW)).toEqual({ kind: 'own-extension' });
    expect(forwardWarning('2101', '2101', away(null), NOW)).toEqual({ kind: 'own-extension' });
  });

  it('says nothing of a colleague who is in, of unknown state, or not on the board', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ForwardTarget | undefined>(
          undefined,
          { status: 'available', reason: null, until: null },
          { status: null, reason: null, until: null },
        ),
        fc.stringMatching(/^[0-9]{1,15}$/),
        (target, to) => {
          fc.pre(to !== '2101');
          expect(forwardWarning('2101', to, target, NOW)).toBeNull();
        },
      ),
    );
  });
});

describe('guard rails (issue 23)', () => {
  const grastorp = { numbers: ['0514-580 00', '9'], refuseForward: true };

  it('refuses a forward to the switchboard where the org says so, however the number is written', () => {
    expect(isRefusedSwitchboardForward('051458000', grastorp)).toBe(true);
    expect(isRefusedSwitchboardForward('9', grastorp)).toBe(true);
    expect(isRefusedSwitchboardForward('2102', grastorp)).toBe(false);
    expect(isRefusedSwitchboardForward('9', { ...grastorp, refuseForward: false })).toBe(false);
    expect(isRefusedSwitchboardForward('9', undefined)).toBe(false);
  });

  it('refuses the switchboard and the own extension from every writer, before any presence', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'warn' | 'refuse'>('warn', 'refuse'),
        fc.constantFrom<ForwardTarget | undefined>(undefined, {
          status: 'away',
          reason: 'sick',
          until: null,
        }),
        (away, target) => {
          const rules = { switchboard: grastorp, away };
          expect(checkForward('2101', '9', target, NOW, rules)).toMatchObject({
            ok: false,
            refusal: 'switchboard',
          });
          expect(checkForward('2101', '2101', target, NOW, rules)).toMatchObject({
            ok: false,
            refusal: 'own-extension',
          });
        },
      ),
    );
  });

  it('warns the operator of an away colleague and refuses it for a writer without the overview', () => {
    const target: ForwardTarget = { status: 'away', reason: 'lunch', until: '2026-11-23T11:15:00.000Z' };
    expect(checkForward('2101', '2102', target, NOW, { switchboard: grastorp, away: 'warn' })).toMatchObject({
      ok: true,
      warning: { kind: 'away' },
    });
    expect(
      checkForward('2101', '2102', target, NOW, { switchboard: grastorp, away: 'refuse' }),
    ).toMatchObject({
      ok: false,
      refusal: 'away',
    });
  });

  it('never refuses a colleague who is in, whatever the role, unless it is the switchboard', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,15}$/),
        fc.constantFrom<'warn' | 'refuse'>('warn', 'refuse'),
        (to, away) => {
          fc.pre(to !== '2101' && to !== '9' && to.replace(/\D/g, '') !== '051458000');
          const checked = checkForward('2101', to, { status: 'available', reason: null, until: null }, NOW, {
            switchboard: grastorp,
            away,
          });
          expect(checked).toEqual({ ok: true, warning: null });
        },
      ),
    );
  });
});
