import * as fc from 'fast-check';
import { DelimiterParser } from 'serialport';
import { describe, expect, it } from 'vitest';
import {
  cobsDecode,
  cobsEncode,
  crc16,
  decodeFrame,
  encodeFrame,
  type FrameResult,
  type PanelMessage,
} from '../../hardware/serial/frame.js';

const byte = fc.integer({ min: 0, max: 255 });
const pattern = fc.constantFrom('off', 'on', 'slow', 'fast' as const);
const message: fc.Arbitrary<PanelMessage> = fc.oneof(
  fc.constant({ type: 'hello-request' as const }),
  fc.record({
    type: fc.constant('hello' as const),
    firmware: fc.tuple(byte, byte, byte).map((v) => v.join('.')),
    capabilities: byte,
    keys: byte,
    leds: byte,
    resetCause: byte,
    hardwareId: fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => Buffer.from(b).toString('hex')),
  }),
  fc.constant({ type: 'heartbeat' as const }),
  fc.record({
    type: fc.constant('heartbeat' as const),
    status: fc
      .record({
        badFrames: fc.integer({ min: 0, max: 0xffff }),
        keySeq: byte,
        offline: fc.boolean(),
        rxOverruns: byte,
        rxErrors: fc.option(byte, { nil: undefined }),
      })
      .map(({ rxErrors, ...status }) => (rxErrors === undefined ? status : { ...status, rxErrors })),
  }),
  fc.record({
    type: fc.constant('key' as const),
    seq: byte,
    kind: fc.constantFrom('press', 'release', 'long' as const),
    key: byte,
  }),
  fc.record({
    type: fc.constant('led-set' as const),
    tag: byte,
    patterns: fc.array(pattern, { maxLength: 16 }),
  }),
  fc.record({ type: fc.constant('led-ack' as const), tag: byte, ok: fc.boolean() }),
  fc.record({ type: fc.constant('settings' as const), longPressMs: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ type: fc.constant('settings-ack' as const), ok: fc.boolean() }),
);

/** Splits a byte stream the way SerialPanel does: serialport's DelimiterParser on 0x00. */
async function framesOf(chunks: Uint8Array[]): Promise<FrameResult[]> {
  const parser = new DelimiterParser({ delimiter: [0] });
  const results: FrameResult[] = [];
  parser.on('data', (frame: Buffer) => results.push(decodeFrame(frame)));
  const ended = new Promise((resolve) => parser.on('end', resolve));
  for (const chunk of chunks) parser.write(Buffer.from(chunk));
  parser.end();
  parser.resume();
  await ended;
  return results;
}

describe('panel frame codec', () => {
  it('computes CRC-16/CCITT-FALSE (check value of "123456789" is 0x29B1)', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  it('COBS round-trips any bytes and never emits a zero', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (raw) => {
        const encoded = cobsEncode(raw);
        expect(encoded.includes(0)).toBe(false);
        expect(cobsDecode(encoded)).toEqual(raw);
      }),
    );
  });

  it('round-trips every message, with 0x00 only before and after it', () => {
    fc.assert(
      fc.property(message, (m) => {
        const frame = encodeFrame(m);
        expect([frame[0], frame.indexOf(0, 1)]).toEqual([0, frame.length - 1]);
        expect(decodeFrame(frame.subarray(1, -1))).toEqual({ ok: true, message: m });
      }),
    );
  });

  it.each<[string, PanelMessage]>([
    ['00 05 01 01 1f 3e 00', { type: 'hello-request' }],
    [
      '00 04 01 02 01 01 08 07 08 08 01 48 56 53 01 01 01 04 2a d2 aa 00',
      {
        type: 'hello',
        firmware: '1.0.0',
        capabilities: 7,
        keys: 8,
        leds: 8,
        resetCause: 1,
        hardwareId: '485653000000002a',
      },
    ],
    [
      '00 04 01 03 03 02 07 01 03 0d ec 00',
      { type: 'heartbeat', status: { badFrames: 3, keySeq: 7, offline: false, rxOverruns: 0 } },
    ],
    [
      '00 04 01 03 03 02 07 01 04 02 e0 11 00',
      { type: 'heartbeat', status: { badFrames: 3, keySeq: 7, offline: false, rxOverruns: 0, rxErrors: 2 } },
    ],
    ['00 07 01 30 dc 05 3e 37 00', { type: 'settings', longPressMs: 1500 }],
    ['00 03 01 31 03 08 cd 00', { type: 'settings-ack', ok: true }],
    ['00 08 01 10 07 01 02 19 36 00', { type: 'key', seq: 7, kind: 'press', key: 2 }],
    [
      '00 06 01 20 05 08 01 03 02 03 01 01 01 03 38 e4 00',
      { type: 'led-set', tag: 5, patterns: ['on', 'off', 'slow', 'fast', 'off', 'off', 'off', 'off'] },
    ],
    ['00 04 01 21 05 03 77 bc 00', { type: 'led-ack', tag: 5, ok: true }],
  ])('matches the example %s in docs/panel-protocol.md', (wire, m) => {
    expect(Buffer.from(encodeFrame(m)).toString('hex')).toBe(wire.replaceAll(' ', ''));
  });

  it('rejects, never throws, when any byte of a frame is changed', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 1, max: 255 }), (m, at, flip) => {
        const body = encodeFrame(m).subarray(1, -1);
        const i = at % body.length;
        body[i] = (body[i] ?? 0) ^ flip;
        const result = decodeFrame(body);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('rejects arbitrary bytes with a reason, never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (noise) => {
        const result = decodeFrame(noise);
        if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
      }),
    );
  });

  it('resynchronises after random noise: every frame after it decodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(message, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        async (noise, messages, cut) => {
          const wire = Buffer.concat([noise, ...messages.map(encodeFrame)]);
          // split at an arbitrary point: the serial port delivers bytes in any chunking
          const split = cut % (wire.length + 1);
          const results = await framesOf([wire.subarray(0, split), wire.subarray(split)]);
          const good = results.filter((r) => r.ok).map((r) => r.message);
          expect(good.slice(-messages.length)).toEqual(messages);
        },
      ),
      { numRuns: 200 },
    );
  });
});
