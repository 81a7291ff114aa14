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
  it('publishes a valid directory: org, departments with queues, ten people', () => {
    const directory = demoDirectory('demo', START);
    for (const m of directory) expect(() => encode(m)).not.toThrow();
    expect(directory.filter((m) => m.kind === 'directory-person')).toHaveLength(DEMO_PEOPLE.length);
    expect(directory.filter((m) => m.kind === 'queue')).toHaveLength(DEMO_DEPARTMENTS.length);
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
            }
          }
          now += delayMs;
        }
      }),
      { numRuns: 20 },
    );
  });

  it('produces queue traffic, voicemail and phone messages', () => {
    const kinds = run(7, 300).map(({ message }) => message);
    expect(kinds.some((m) => m.kind === 'queue' && m.body && m.body.waiting > 0)).toBe(true);
    expect(kinds.some((m) => m.kind === 'mwi' && m.body && m.body.voicemail > 0)).toBe(true);
    expect(kinds.some((m) => m.kind === 'mwi' && m.body && m.body.messages.length > 0)).toBe(true);
  });

  it('never erases a message it did not take: each mwi starts from the one last seen retained', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 5 }), (seed, voicemail) => {
        const traffic = createTraffic('demo', seed);
        const board = (ext: string) => ({
          id: `board-${ext}`,
          at: new Date(START).toISOString(),
          from: 'Lena Holm',
          text: 'Ring tillbaka',
          takenBy: 'Olle',
          callbackBy: null,
        });
        for (const p of DEMO_PEOPLE) traffic.seen(p.ext, { v: 1, voicemail, messages: [board(p.ext)] });
        let now = START;
        for (let i = 0; i < 100; i++) {
          const { messages, delayMs } = traffic.step(now);
          for (const m of messages) {
            if (m.kind !== 'mwi' || !m.body) continue;
            // the message the board took is still first, and the simulator never adds beyond two
            expect(m.body.messages[0]).toEqual(board(m.ext));
            expect(m.body.messages.length).toBeLessThanOrEqual(2);
          }
          now += delayMs;
        }
      }),
      { numRuns: 20 },
    );
  });

  it('starts from a cleared mwi after the person handled everything', () => {
    const traffic = createTraffic('demo', 5);
    let now = START;
    const last = new Map<string, Extract<Message, { kind: 'mwi' }>>();
    for (let i = 0; i < 300; i++) {
      const { messages, delayMs } = traffic.step(now);
      for (const m of messages) {
        if (m.kind !== 'mwi') continue;
        // someone handled every message as soon as it arrived
        if (last.has(m.ext) && m.body) expect(m.body.messages.length).toBeLessThanOrEqual(1);
        traffic.seen(m.ext, m.body ? { ...m.body, messages: [] } : null);
        last.set(m.ext, m);
      }
      now += delayMs;
    }
    expect(last.size).toBeGreaterThan(0);
  });
});
