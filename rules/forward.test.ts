import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ForwardTarget, forwardWarning } from './forward.js';

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
