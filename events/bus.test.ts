import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../log/logger.js';
import { EventBus, subscribeAll } from './bus.js';

interface Events {
  n: number;
  s: string;
}

describe('EventBus', () => {
  it('delivers each event to the listeners subscribed at the time, in subscription order', () => {
    // ops: subscribe listener i, unsubscribe listener i, or emit a value
    const op = fc.oneof(
      fc.record({ op: fc.constant('on' as const), id: fc.nat(4) }),
      fc.record({ op: fc.constant('off' as const), id: fc.nat(4) }),
      fc.record({ op: fc.constant('emit' as const), value: fc.integer() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const bus = new EventBus<Events>();
        const heard: [number, number][] = [];
        const expected: [number, number][] = [];
        const offs = new Map<number, () => void>();
        const order: number[] = [];
        for (const o of ops) {
          if (o.op === 'on' && !offs.has(o.id)) {
            offs.set(
              o.id,
              bus.on('n', (v) => heard.push([o.id, v])),
            );
            order.push(o.id);
          } else if (o.op === 'off') {
            offs.get(o.id)?.();
            offs.delete(o.id);
            if (order.includes(o.id)) order.splice(order.indexOf(o.id), 1);
          } else if (o.op === 'emit') {
            bus.emit('n', o.value);
            for (const id of order) expected.push([id, o.value]);
          }
        }
        expect(heard).toEqual(expected);
      }),
    );
  });

  it('keeps events apart by name', () => {
    const bus = new EventBus<Events>();
    const strings: string[] = [];
    bus.on('s', (s) => strings.push(s));
    bus.emit('n', 1);
    bus.emit('s', 'a');
    expect(strings).toEqual(['a']);
  });

  it('counts and logs a listener that throws; the others still run and emit does not throw', () => {
    const errors: [string, Record<string, unknown> | undefined][] = [];
    const ignore = () => {};
    const log: Logger = { debug: ignore, info: ignore, warn: ignore, error: (m, f) => errors.push([m, f]) };
    const bus = new EventBus<Events>(log);
    const heard: number[] = [];
    bus.on('n', () => {
      throw new Error('boom');
    });
    bus.on('n', (v) => heard.push(v));
    expect(() => bus.emit('n', 7)).not.toThrow();
    expect(heard).toEqual([7]);
    expect(bus.failures.get('n')).toBe(1);
    expect(errors).toEqual([['event listener failed', { event: 'n', error: 'boom' }]]);
  });

  it('subscribeAll subscribes every handler and its one call unsubscribes them all', () => {
    const bus = new EventBus<Events>();
    const heard: string[] = [];
    const off = subscribeAll(bus, { n: (v) => heard.push(`n${v}`), s: (v) => heard.push(`s${v}`) });
    bus.emit('n', 1);
    bus.emit('s', 'a');
    off();
    bus.emit('n', 2);
    bus.emit('s', 'b');
    expect(heard).toEqual(['n1', 'sa']);
  });
});
