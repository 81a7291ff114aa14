import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, type Message } from '../../protocol/index.js';
import { createTraffic, DEMO_DEPARTMENTS, DEMO_PEOPLE, demoDirectory } from './scenario.js';

const START = Date.parse('2026-11-23T08:00:00.000Z');

function run(seed: number, steps: number): { at: number; message: Message }[] {
  const traffic = createTraffic('demo', seed);
  const out: { at: number; message: Message }[] = [];
  let now = START;
  for (let i = 0; i < steps; i++) {
    const { messages, delayMs } = traffic.step(now);
    for (const message of messages) out.push({ at: now, message });
    now += delayMs;
  }
  return out;
}

describe('simulated switchboard', () => {
  it('publishes a valid directory: org, departments with queues, ten people, and no queue state (the bridge owns it)', () => {
    const directory = demoDirectory('demo');
    for (const m of directory) expect(() => encode(m)).not.toThrow();
    expect(directory.filter((m) => m.kind === 'directory-person')).toHaveLength(DEMO_PEOPLE.length);
    expect(directory.filter((m) => m.kind === 'directory-department')).toHaveLength(DEMO_DEPARTMENTS.length);
    expect(directory.filter((m) => m.kind === 'queue')).toHaveLength(0);
    const people = new Set(DEMO_PEOPLE.map((p) => p.department));
    expect([...people].sort()).toEqual(DEMO_DEPARTMENTS.map((d) => d.id).sort());
  });

  it('is deterministic for a seed, and different seeds differ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        expect(run(seed, 40)).toEqual(run(seed, 40));
      }),
      { numRuns: 20 },
    );
    expect(run(1, 40)).not.toEqual(run(2, 40));
  });

  it('every message is valid, queues are consistent, the rhythm is seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const traffic = createTraffic('demo', seed);
        let now = START;
        for (let i = 0; i < 200; i++) {
          const { messages, delayMs } = traffic.step(now);
          expect(delayMs).toBeGreaterThanOrEqual(2000);
          expect(delayMs).toBeLessThanOrEqual(8000);
          for (const m of messages) {
            expect(() => encode(m)).not.toThrow();
            if (m.kind === 'queue' && m.body) {
              expect(m.body.waiting === 0).toBe(m.body.oldestSince === null);
              if (m.body.oldestSince) expect(Date.parse(m.body.oldestSince)).toBeLessThanOrEqual(now);
              // positions 1..n in queue order, the oldest first
              expect(m.body.calls?.map((c) => c.position)).toEqual(m.body.calls?.map((_, i) => i + 1));
              expect(m.body.calls?.length).toBe(m.body.waiting);
              expect(m.body.calls?.[0]?.since ?? null).toBe(m.body.oldestSince);
            }
          }
          now += delayMs;
        }
      }),
      { numRuns: 20 },
    );
  });

  it('produces queue traffic and voicemail, and writes no topic of the board (mwi) or the desks', () => {
    const messages = run(7, 300).map(({ message }) => message);
    expect(messages.some((m) => m.kind === 'queue' && m.body && m.body.waiting > 0)).toBe(true);
    expect(messages.some((m) => m.kind === 'voicemail' && m.body && m.body.count > 0)).toBe(true);
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(['queue', 'voicemail']));
  });

  it('each voicemail count is one more than the last for that person, or none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const last = new Map<string, number>();
        for (const { message: m } of run(seed, 200)) {
          if (m.kind !== 'voicemail' || !m.body) continue;
          const before = last.get(m.ext) ?? 0;
          expect(m.body.count === 0 ? before > 0 : m.body.count === before + 1).toBe(true);
          last.set(m.ext, m.body.count);
        }
      }),
      { numRuns: 20 },
    );
  });
});
