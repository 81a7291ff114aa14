import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketLimit, PacketTooLarge } from './packet-limit.js';

/** Feeds the chunks through a PacketLimit: what came out, or the error. */
async function through(max: number, chunks: Buffer[]): Promise<Buffer | Error> {
  const limit = new PacketLimit(max);
  const out: Buffer[] = [];
  limit.on('data', (c: Buffer) => out.push(c));
  return new Promise((resolve) => {
    limit.once('error', resolve);
    limit.once('end', () => resolve(Buffer.concat(out)));
    for (const c of chunks) limit.write(c);
    limit.end();
  });
}

/** Splits bytes at arbitrary points, as TCP may. */
const split = (bytes: Buffer, cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
};

/** MQTT's remaining-length varint. */
function varint(n: number): number[] {
  const bytes: number[] = [];
  do {
    bytes.push((n % 128) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return bytes;
}

/** A QoS 1 retained PUBLISH (topic length, topic, message id, payload). */
function publish(size: number): Buffer {
  const topic = Buffer.from('hanvisa/v1/acme/presence/1');
  const body = Buffer.concat([
    Buffer.from([0, topic.length]),
    topic,
    Buffer.from([0, 1]),
    Buffer.alloc(size, 0x20),
  ]);
  return Buffer.concat([Buffer.from([0x33, ...varint(body.length)]), body]);
}
const PINGREQ = Buffer.from([0xc0, 0]);

describe('PacketLimit', () => {
  it('passes any stream of packets within the limit through unchanged, however it is split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (sizes, cuts) => {
          const bytes = Buffer.concat([...sizes.map(publish), PINGREQ]);
          expect(await through(4000, split(bytes, cuts))).toEqual(bytes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('fails on the first packet whose header announces more than the limit, wherever the split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (size, cuts) => {
          const bytes = Buffer.concat([publish(size), publish(5000)]);
          expect(await through(4000, split(bytes, cuts))).toBeInstanceOf(PacketTooLarge);
        },
      ),
      { numRuns: 100 },
    );
  });
});
