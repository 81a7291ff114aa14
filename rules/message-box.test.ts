// The set of a person's open phone messages, gathered from one retained topic per message (and the
// old single value until converted): whatever order the topics arrive in, the set is the last word
// per topic, each id once, oldest first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PhoneMessage } from '../protocol/index.js';
import { MessageBox } from './message-box.js';

const message = (id: string, minute: number): PhoneMessage => ({
  id,
  at: new Date(Date.UTC(2026, 11, 3, 9, minute)).toISOString(),
  text: `message ${id}`,
  callbackBy: null,
});

const event = fc.record({
  person: fc.constantFrom('acme/1', 'acme/2'),
  id: fc.constantFrom('a', 'b', 'c', 'd'),
  minute: fc.option(fc.nat(59), { nil: null }),
});

describe('MessageBox', () => {
  it('holds the last word on each message topic, per person, oldest first', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const box = new MessageBox();
        const expected = new Map<string, Map<string, PhoneMessage>>();
        const last = new Map<string, ReturnType<MessageBox['message']>>();
        for (const { person, id, minute } of events) {
          const m = minute === null ? null : message(id, minute);
          last.set(person, box.message(person, id, m));
          const held = expected.get(person) ?? new Map();
          if (m) held.set(id, m);
          else held.delete(id);
          expected.set(person, held);
        }
        for (const [person, mwi] of last) {
          const want = [...(expected.get(person)?.values() ?? [])].sort((a, b) => a.at.localeCompare(b.at));
          if (want.length === 0) expect(mwi).toBeNull();
          else
            expect(mwi?.messages.map((m) => [m.id, m.at]).sort()).toEqual(
              want.map((m) => [m.id, m.at]).sort(),
            );
          for (let i = 1; i < (mwi?.messages.length ?? 0); i++)
            expect(Date.parse(mwi?.messages[i - 1]?.at ?? '') <= Date.parse(mwi?.messages[i]?.at ?? '')).toBe(
              true,
            );
        }
      }),
    );
  });

  it('merges an old single value with the topics, each id once, until the old value is cleared', () => {
    const box = new MessageBox();
    box.legacy('acme/1', { v: 1, messages: [message('a', 1), message('b', 2)] });
    // converted: a is on its own topic now, the old value not yet cleared
    expect(box.message('acme/1', 'a', message('a', 1))?.messages.map((m) => m.id)).toEqual(['a', 'b']);
    expect(box.legacy('acme/1', null)?.messages.map((m) => m.id)).toEqual(['a']);
    expect(box.message('acme/1', 'a', null)).toBeNull();
  });

  it("counts nothing from a board's copy for old desks: a handled message it still lists stays handled", () => {
    const box = new MessageBox();
    box.message('acme/1', 'a', message('a', 1));
    box.message('acme/1', 'a', null); // handled; the copy still lists it until the board rewrites it
    expect(box.legacy('acme/1', { v: 1, copy: true, messages: [message('a', 1)] })).toBeNull();
  });
});
