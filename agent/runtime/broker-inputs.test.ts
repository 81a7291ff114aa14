// What the desk keeps of what it hears: its own extension's phone messages and voicemail count (two
// topics, two writers), and nothing of another extension's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message, Mwi } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { BrokerInputs } from './broker-inputs.js';
import { type DeskSettings, deskSubscriptions } from './device-settings.js';

const settings: DeskSettings = { version: 0, ext: '4711', layout: DEFAULT_LAYOUT, queues: [] };
const mwi: Mwi = {
  v: 1,
  messages: [{ id: 'm1', at: '2026-11-23T09:12:00.000Z', text: 'Ring tillbaka', callbackBy: null }],
};
const voicemail = (ext: string, count: number | null): Message<'voicemail'> => ({
  kind: 'voicemail',
  org: 'acme',
  ext,
  body: count === null ? null : { v: 1, count },
});

describe('BrokerInputs', () => {
  it('keeps the last voicemail count of its own extension apart from the phone messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ own: fc.boolean(), count: fc.option(fc.nat(9), { nil: null }) })),
        (updates) => {
          const heard = new BrokerInputs(undefined);
          heard.take({ kind: 'mwi', org: 'acme', ext: '4711', body: mwi }, settings);
          for (const u of updates) heard.take(voicemail(u.own ? '4711' : '4712', u.count), settings);
          const last = updates.filter((u) => u.own).at(-1);
          // an empty payload (cleared) is none, like count 0
          expect(heard.voicemail).toBe(last?.count ?? 0);
          expect(heard.mwi).toEqual(mwi);
        },
      ),
    );
  });

  it('a voicemail update leaves the phone messages alone, and an mwi update the count', () => {
    const heard = new BrokerInputs(undefined);
    heard.take(voicemail('4711', 3), settings);
    heard.take({ kind: 'mwi', org: 'acme', ext: '4711', body: mwi }, settings);
    expect(heard.voicemail).toBe(3);
    heard.take({ kind: 'mwi', org: 'acme', ext: '4711', body: null }, settings);
    expect(heard.voicemail).toBe(3);
    heard.take(voicemail('4711', 0), settings);
    expect([heard.voicemail, heard.mwi]).toEqual([0, null]);
  });

  it("forgets the old extension's count when IT moves the desk", () => {
    const heard = new BrokerInputs(undefined);
    heard.take(voicemail('4711', 2), settings);
    heard.follow({ ...settings, ext: '4712' }, false);
    expect(heard.voicemail).toBe(2);
    heard.follow({ ...settings, ext: '4712' }, true);
    expect(heard.voicemail).toBe(0);
  });

  it('the desk subscribes to its own voicemail topic next to its phone messages, one topic each', () => {
    expect(deskSubscriptions('acme', 'desk-1', settings)).toEqual(
      expect.arrayContaining(['hanvisa/v1/acme/mwi/4711/msg/+', 'hanvisa/v1/acme/voicemail/4711']),
    );
  });

  it("gathers its own extension's message topics into one set, and starts afresh on another extension", () => {
    const [m1] = mwi.messages;
    if (!m1) throw new Error('fixture has a message');
    const topic = (
      ext: string,
      id: string,
      body: Mwi['messages'][number] | null,
    ): Message<'mwi-message'> => ({
      kind: 'mwi-message',
      org: 'acme',
      ext,
      messageId: id,
      body: body && { v: 1, message: { ...body, id } },
    });
    const heard = new BrokerInputs(undefined);
    heard.take(topic('4711', 'm1', m1), settings);
    heard.take(topic('4711', 'm2', m1), settings);
    heard.take(topic('4712', 'm3', m1), settings);
    expect(heard.mwi?.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    heard.take(topic('4711', 'm1', null), settings);
    expect(heard.mwi?.messages.map((m) => m.id)).toEqual(['m2']);
    heard.follow({ ...settings, ext: '4712' }, true);
    expect(heard.mwi).toBeNull();
    heard.take(topic('4712', 'm3', m1), { ...settings, ext: '4712' });
    expect(heard.mwi?.messages.map((m) => m.id)).toEqual(['m3']);
  });
});
