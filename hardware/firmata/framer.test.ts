import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirmataFramer } from './framer.js';

const data = fc.integer({ min: 0, max: 0x7f });
/** what a board sends: digital and analog messages, its version, sysex replies */
const message = fc.oneof(
  fc.tuple(fc.integer({ min: 0x90, max: 0x9f }), data, data).map((m) => [...m]),
  fc.tuple(fc.integer({ min: 0xe0, max: 0xef }), data, data).map((m) => [...m]),
  fc.tuple(data, data).map(([a, b]) => [0xf9, a, b]),
  fc.array(data, { minLength: 1, maxLength: 40 }).map((body) => [0xf0, ...body, 0xf7]),
);
/** bytes no board message starts with, or a data byte between messages */
const stray = fc.oneof(
  fc.integer({ min: 0x80, max: 0x8f }),
  fc.integer({ min: 0xa0, max: 0xdf }),
  fc.constantFrom(0xf1, 0xf4, 0xf5, 0xf7, 0xf8, 0xfa, 0xff),
  data,
);

/** Feeds the bytes in chunks cut at the given points. */
function frame(bytes: number[], cuts: number[]) {
  const framer = new FirmataFramer();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out = { messages: [] as number[][], stray: 0 };
  let from = 0;
  for (const to of [...points, bytes.length]) {
    const got = framer.push(Uint8Array.from(bytes.slice(from, to)));
    out.messages.push(...got.messages);
    out.stray += got.stray;
    from = to;
  }
  return out;
}

describe('FirmataFramer', () => {
  it('passes every message through whole, however the stream is chunked, and drops nothing', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 20 }), fc.array(fc.nat()), (messages, cuts) => {
        expect(frame(messages.flat(), cuts)).toEqual({ messages, stray: 0 });
      }),
    );
  });

  it('drops stray bytes between messages and counts them, losing no whole message', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, fc.array(stray, { maxLength: 3 }))),
        fc.array(fc.nat()),
        (pairs, cuts) => {
          const bytes = pairs.flatMap(([m, noise]) => [...m, ...noise]);
          const out = frame(bytes, cuts);
          expect(out.messages).toEqual(pairs.map(([m]) => m));
          expect(out.stray).toBe(pairs.reduce((n, [, noise]) => n + noise.length, 0));
        },
      ),
    );
  });

  it('drops a message cut short by the next one, and counts its bytes', () => {
    const out = new FirmataFramer().push(
      Uint8Array.from([0x90, 0x01, 0xf0, 0x6e, 0x7f, 0xf7, 0xe0, 0xf9, 2, 5]),
    );
    expect(out).toEqual({
      messages: [
        [0xf0, 0x6e, 0x7f, 0xf7],
        [0xf9, 2, 5],
      ],
      stray: 3,
    });
  });

  it('drops a sysex that never ends once it is longer than any reply', () => {
    const framer = new FirmataFramer();
    expect(framer.push(Uint8Array.from([0xf0, ...Array(5000).fill(1)])).stray).toBe(5001);
    expect(framer.push(Uint8Array.from([0xf9, 2, 5]))).toEqual({ messages: [[0xf9, 2, 5]], stray: 0 });
  });
});
