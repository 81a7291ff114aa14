import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mwi } from '../protocol/index.js';
import { callbackDeadline, messageLamp, messageToHandle, nextMessageDeadline } from './messages.js';
import { DEFAULT_POLICY } from './policy.js';

const at = (s: string) => new Date(s);
const sameDay = { ...DEFAULT_POLICY, callback: 'same-day' as const };
const msg = (id: string, taken: string, callbackBy: string | null = null) => ({
  id,
  at: taken,
  text: 'x',
  callbackBy,
});

describe('callback deadlines', () => {
  it('Högsby: no later than the next working day', () => {
    // Monday 10:00 → Tuesday 17:00; Friday 10:00 → Monday 17:00; Friday 18:00 → Tuesday 17:00
    expect(callbackDeadline(at('2026-05-04T08:00:00Z'), DEFAULT_POLICY).toISOString()).toBe(
      '2026-05-05T15:00:00.000Z',
    );
    expect(callbackDeadline(at('2026-05-08T08:00:00Z'), DEFAULT_POLICY).toISOString()).toBe(
      '2026-05-11T15:00:00.000Z',
    );
    expect(callbackDeadline(at('2026-05-08T16:00:00Z'), DEFAULT_POLICY).toISOString()).toBe(
      '2026-05-12T15:00:00.000Z',
    );
  });

  it('Falkenberg: the same day (the next working day when taken after hours)', () => {
    expect(callbackDeadline(at('2026-05-04T08:00:00Z'), sameDay).toISOString()).toBe(
      '2026-05-04T15:00:00.000Z',
    );
    expect(callbackDeadline(at('2026-05-08T16:00:00Z'), sameDay).toISOString()).toBe(
      '2026-05-11T15:00:00.000Z',
    );
  });
});

describe('message lamp state', () => {
  const mwi: Mwi = {
    v: 1,
    messages: [
      msg('b', '2026-05-04T09:00:00.000Z'),
      msg('a', '2026-05-04T08:00:00.000Z', '2026-05-04T12:00:00.000Z'),
    ],
  };

  it('none, waiting, late', () => {
    const ten = at('2026-05-04T10:00:00Z');
    expect(messageLamp(null, 0, ten, DEFAULT_POLICY)).toBe('none');
    expect(messageLamp({ v: 1, messages: [] }, 0, ten, DEFAULT_POLICY)).toBe('none');
    expect(messageLamp(null, 1, ten, DEFAULT_POLICY)).toBe('waiting');
    expect(messageLamp(mwi, 0, ten, DEFAULT_POLICY)).toBe('waiting');
    expect(messageLamp(mwi, 0, at('2026-05-04T12:00:00Z'), DEFAULT_POLICY)).toBe('late');
  });

  it('voicemail (its own topic) lights a dark lamp and never outranks a late message', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.nat(5),
        fc.integer({ min: 8, max: 14 }),
        (withMessages, voicemail, hour) => {
          const now = at(`2026-05-04T${String(hour).padStart(2, '0')}:00:00Z`);
          const phone = withMessages ? mwi : null;
          const alone = messageLamp(phone, 0, now, DEFAULT_POLICY);
          const lamp = messageLamp(phone, voicemail, now, DEFAULT_POLICY);
          expect(lamp).toBe(voicemail > 0 && alone === 'none' ? 'waiting' : alone);
        },
      ),
    );
  });

  it('next deadline and the message the handled key marks (due first, then oldest)', () => {
    expect(nextMessageDeadline(mwi, at('2026-05-04T10:00:00Z'), DEFAULT_POLICY)?.toISOString()).toBe(
      '2026-05-04T12:00:00.000Z',
    );
    expect(nextMessageDeadline(mwi, at('2026-05-04T12:00:00Z'), DEFAULT_POLICY)?.toISOString()).toBe(
      '2026-05-05T15:00:00.000Z',
    );
    expect(messageToHandle(mwi, DEFAULT_POLICY)?.id).toBe('a');
    const tie: Mwi = {
      v: 1,
      messages: [msg('late', '2026-05-04T09:00:00.000Z'), msg('early', '2026-05-04T08:00:00.000Z')],
    };
    expect(messageToHandle(tie, DEFAULT_POLICY)?.id).toBe('early');
    expect(messageToHandle(null, DEFAULT_POLICY)).toBeUndefined();
  });
});
