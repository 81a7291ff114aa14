import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMessage, type SipMessage } from './message.js';
import { framer } from './stream-wire.js';

const message: fc.Arbitrary<SipMessage> = fc.record({
  kind: fc.constant('request' as const),
  method: fc.constantFrom('NOTIFY', 'OPTIONS'),
  uri: fc.constant('sip:hanvisa@127.0.0.1:5070'),
  headers: fc.constant(new Map([['call-id', ['abc@hanvisa']]])),
  // bodies with blank lines and non-ASCII: framing is by Content-Length in bytes, not by text
  body: fc.string({ maxLength: 200, unit: fc.constantFrom('a', 'å', '\r\n', '\r\n\r\n', ':') }),
});

describe('SIP stream framing', () => {
  it('gives back every message whole, however the stream cuts it, CRLF keepalives between skipped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, fc.boolean()), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const texts = messages.map(([m]) => formatMessage(m));
          const stream = Buffer.from(
            messages.map(([, ping], i) => `${ping ? '\r\n\r\n' : ''}${texts[i]}`).join(''),
          );
          const got: string[] = [];
          const feed = framer((t) => got.push(t));
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length] as number;
            feed(stream.subarray(at, at + size));
            at += size;
          }
          expect(got).toEqual(texts);
        },
      ),
    );
  });

  it('refuses a message larger than a SIP message may be', () => {
    const feed = framer(() => {});
    expect(() => feed(Buffer.from('NOTIFY sip:x SIP/2.0\r\nContent-Length: 999999\r\n\r\n'))).toThrow(
      /too large/,
    );
    expect(() => framer(() => {})(Buffer.alloc(70_000, 'a'))).toThrow(/without end of headers/);
  });
});
