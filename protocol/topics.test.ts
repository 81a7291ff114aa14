import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicRef } from '../test/support/arbitraries.js';
import {
  filterFor,
  KINDS,
  orgFilter,
  parseTopic,
  ROUTES,
  TopicError,
  type TopicRef,
  topicFor,
} from './topics.js';

/** MQTT 3.1.1 topic filter matching (section 4.7), written out so the filters are checked independently. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

describe('topics', () => {
  it('parseTopic(topicFor(ref)) gives the reference back', () => {
    fc.assert(
      fc.property(topicRef, (ref) => {
        expect(parseTopic(topicFor(ref))).toEqual(ref);
      }),
    );
  });

  it('the kind filter and the org filter match every topic of that kind and org, and no other kind', () => {
    fc.assert(
      fc.property(topicRef, (ref) => {
        const topic = topicFor(ref);
        expect(matches(filterFor(ref.kind, ref.org), topic)).toBe(true);
        expect(matches(filterFor(ref.kind, '+'), topic)).toBe(true);
        expect(matches(orgFilter(ref.org), topic)).toBe(true);
        for (const other of KINDS) {
          if (other !== ref.kind) expect(matches(filterFor(other, ref.org), topic)).toBe(false);
        }
      }),
    );
  });

  it('a topic with any one segment emptied or replaced by a wildcard is rejected', () => {
    fc.assert(
      fc.property(topicRef, fc.nat(), fc.constantFrom('', '+', '#', 'x/y'), (ref, at, bad) => {
        const parts = topicFor(ref).split('/');
        parts[at % parts.length] = bad;
        const parsed = parseTopic(parts.join('/'));
        expect(parsed).toHaveProperty('error');
      }),
    );
  });

  it('never throws on arbitrary strings, and returns either a reference that rebuilds the topic or an error', () => {
    const segment = fc.oneof(
      fc.constantFrom(
        'hanvisa',
        'v1',
        'v2',
        'presence',
        'device',
        'state',
        'mwi',
        'voicemail',
        '+',
        '#',
        '',
        'acme',
        '1234',
      ),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(segment, { maxLength: 7 }).map((s) => s.join('/')),
        ),
        (topic) => {
          const parsed = parseTopic(topic);
          if ('error' in parsed) expect(typeof parsed.error).toBe('string');
          else expect(topicFor(parsed)).toBe(topic);
        },
      ),
    );
  });

  it.each([
    ['other/v1/acme/presence/1234', /not under hanvisa/],
    ['hanvisa/v2/acme/presence/1234', /unsupported contract version "v2"/],
    ['hanvisa', /unsupported contract version ""/],
    ['/hanvisa/v1/acme/presence/1234', /not under hanvisa/],
    ['hanvisa/v1/ACME/presence/1234', /invalid org/],
    ['hanvisa/v1/acme/presence/12a4', /unknown topic/],
    ['hanvisa/v1/acme/presence/1234/', /unknown topic/],
    ['hanvisa/v1/acme/presence', /unknown topic/],
    ['hanvisa/v1/acme/presence/+', /unknown topic/],
    ['hanvisa/v1/acme/#', /unknown topic/],
    ['hanvisa/v1/acme/device/desk-1/config/nack', /unknown topic/],
  ])('rejects %s', (topic, why) => {
    const parsed = parseTopic(topic);
    expect('error' in parsed && parsed.error).toMatch(why);
  });

  it('builds the documented topics', () => {
    expect(topicFor({ kind: 'presence', org: 'acme', ext: '1234' })).toBe('hanvisa/v1/acme/presence/1234');
    expect(topicFor({ kind: 'device-config-ack', org: 'acme', deviceId: 'desk-7' })).toBe(
      'hanvisa/v1/acme/device/desk-7/config/ack',
    );
    expect(topicFor({ kind: 'directory-org', org: 'acme' })).toBe('hanvisa/v1/acme/directory/org');
    expect(filterFor('presence', 'acme')).toBe('hanvisa/v1/acme/presence/+');
    expect(orgFilter('+')).toBe('hanvisa/v1/+/#');
  });

  it.each([
    { kind: 'presence', org: 'acme', ext: '12/34' },
    { kind: 'presence', org: 'acme', ext: '+' },
    { kind: 'presence', org: 'acme', ext: '' },
    { kind: 'presence', org: 'a/b', ext: '1' },
    { kind: 'queue', org: 'acme', queueId: '#' },
    { kind: 'queue', org: 'acme' },
  ])('topicFor refuses an invalid segment %j', (ref) => {
    expect(() => topicFor(ref as unknown as TopicRef)).toThrow(TopicError);
  });

  it('no two routes can match the same topic', () => {
    // Equal-length routes must differ in some literal position, or parseTopic's first match would hide one.
    const shapes = KINDS.map((k) => ROUTES[k].split('/'));
    for (let i = 0; i < shapes.length; i++) {
      for (let j = i + 1; j < shapes.length; j++) {
        const a = shapes[i] as string[];
        const b = shapes[j] as string[];
        if (a.length !== b.length) continue;
        const differ = a.some((s, n) => !s.startsWith('{') && !b[n]?.startsWith('{') && s !== b[n]);
        expect(differ, `${a.join('/')} vs ${b.join('/')}`).toBe(true);
      }
    }
  });
});
