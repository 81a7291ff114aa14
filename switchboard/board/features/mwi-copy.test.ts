// The copy for old desks must fit one payload: a person with more open messages than 64 KiB holds
// gets the newest ones (the lamp and the count's order of magnitude are what an old desk shows).
import { describe, expect, it } from 'vitest';
import { encode, type PhoneMessage } from '../../../protocol/index.js';
import { copyOf } from './mwi-copy.js';

const message = (i: number): PhoneMessage => ({
  id: `m${i}`,
  at: new Date(Date.UTC(2026, 11, 7, 8, 0, i)).toISOString(),
  from: 'Lena Holm',
  text: 'x'.repeat(1000),
  callbackBy: null,
});

describe('copyOf', () => {
  it('copies every message marked copy, or clears the value when there is none', () => {
    const two = [message(1), message(2)];
    expect(copyOf('acme', '4711', two)).toEqual({ v: 1, copy: true, messages: two });
    expect(copyOf('acme', '4711', [])).toBeNull();
  });

  it('keeps the newest messages that fit 64 KiB when all do not', () => {
    const many = Array.from({ length: 120 }, (_, i) => message(i));
    const body = copyOf('acme', '4711', many);
    expect(body?.messages.length).toBeGreaterThan(50);
    expect(body?.messages.length).toBeLessThan(120);
    expect(body?.messages.at(-1)).toEqual(many.at(-1));
    expect(encode({ kind: 'mwi', org: 'acme', ext: '4711', body }).payload.length).toBeLessThanOrEqual(
      65_536,
    );
  });
});
