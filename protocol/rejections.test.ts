import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { decode } from './codec.js';
import { RejectionCounter } from './rejections.js';

describe('RejectionCounter', () => {
  it('counts by reason and logs the topic and reason, never the payload', () => {
    const lines: string[] = [];
    const previous = process.env.HANVISA_LOG;
    process.env.HANVISA_LOG = 'warn';
    const counter = new RejectionCounter(createLogger('test', (l) => lines.push(l)));
    process.env.HANVISA_LOG = previous;

    const secret = '{"v":1,"messages":[{"text":"personnummer 19121212-1212"}]}';
    for (const [topic, payload] of [
      ['hanvisa/v1/acme/mwi/1', secret],
      ['hanvisa/v1/acme/mwi/1', '{'],
      ['hanvisa/v2/acme/mwi/1', '{}'],
    ] as const) {
      const r = decode(topic, new TextEncoder().encode(payload));
      if (!r.ok) counter.record(r);
    }
    expect(counter.snapshot()).toEqual({ total: 3, byReason: { schema: 1, json: 1, topic: 1 } });
    expect(counter.last?.topic).toBe('hanvisa/v2/acme/mwi/1');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'warn',
      name: 'test',
      msg: 'rejected message',
    });
    expect(lines[0]).toContain('"reason":"schema"');
    expect(lines.join('')).not.toContain('19121212');
  });
});
