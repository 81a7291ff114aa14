import { describe, expect, it } from 'vitest';
import type { Mwi } from '../../protocol/index.js';
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
    voicemail: 0,
    messages: [
      msg('b', '2026-05-04T09:00:00.000Z'),
      msg('a', '2026-05-04T08:00:00.000Z', '2026-05-04T12:00:00.000Z'),
    ],
  };

  it('none, waiting, late', () => {
    expect(messageLamp(null, at('2026-05-04T10:00:00Z'), DEFAULT_POLICY)).toBe('none');
    expect(
      messageLamp({ v: 1, voicemail: 1, messages: [] }, at('2026-05-04T10:00:00Z'), DEFAULT_POLICY),
    ).toBe('waiting');
    expect(messageLamp(mwi, at('2026-05-04T10:00:00Z'), DEFAULT_POLICY)).toBe('waiting');
    expect(messageLamp(mwi, at('2026-05-04T12:00:00Z'), DEFAULT_POLICY)).toBe('late');
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
      voicemail: 0,
      messages: [msg('late', '2026-05-04T09:00:00.000Z'), msg('early', '2026-05-04T08:00:00.000Z')],
    };
    expect(messageToHandle(tie, DEFAULT_POLICY)?.id).toBe('early');
    expect(messageToHandle(null, DEFAULT_POLICY)).toBeUndefined();
  });
});
