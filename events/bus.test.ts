import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventBus } from './bus.js';

interface Events {
  n: number;
  ping: undefined;
}

const recordingLog = () => {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    error: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }),
  };
};

describe('EventBus', () => {
  it('delivers each emit to the listeners subscribed at that moment, in subscription order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('on'), fc.constant('off'), fc.integer()), { maxLength: 40 }),
        (ops) => {
          const bus = new EventBus<Events>(recordingLog());
          const heard: string[] = [];
          const expected: string[] = [];
          const live: { id: number; off: () => void }[] = [];
          let next = 0;
          for (const op of ops) {
            if (op === 'on') {
              const id = next++;
              live.push({ id, off: bus.on('n', (v) => heard.push(`${id}:${v}`)) });
            } else if (op === 'off') {
              live.shift()?.off();
            } else {
              bus.emit('n', op);
              for (const l of live) expected.push(`${l.id}:${op}`);
            }
          }
          expect(heard).toEqual(expected);
        },
      ),
    );
  });

  it('counts and logs a throwing listener, and the others still hear the event', () => {
    const log = recordingLog();
    const bus = new EventBus<Events>(log);
    const heard: string[] = [];
    bus.on('ping', () => heard.push('before'));
    bus.on('ping', () => {
      throw new Error('broken feature');
    });
    bus.on('ping', () => heard.push('after'));
    expect(() => bus.emit('ping')).not.toThrow();
    expect(heard).toEqual(['before', 'after']);
    expect(bus.listenerErrors).toBe(1);
    expect(log.lines).toEqual([
      { message: 'event listener failed', fields: { event: 'ping', error: 'broken feature' } },
    ]);
  });

  it('a listener added during an emit hears the next emit only', () => {
    const bus = new EventBus<Events>(recordingLog());
    const heard: number[] = [];
    bus.on('n', () => bus.on('n', (v) => heard.push(v)));
    bus.emit('n', 1);
    expect(heard).toEqual([]);
    bus.emit('n', 2);
    expect(heard).toEqual([2]);
  });
});
