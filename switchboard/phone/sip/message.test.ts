import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyError, messageSummary, pidf, voicemailCount } from './bodies.js';
import { formatMessage, type Headers, parseMessage, type SipMessage, SipParseError } from './message.js';

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const value = fc.stringMatching(/^[!-~]([ -~]{0,40}[!-~])?$/);
const headers = fc
  .uniqueArray(fc.tuple(token, value), { selector: ([n]) => n, maxLength: 8 })
  .map(
    (entries) =>
      new Map(
        entries.filter(([n]) => n !== 'content-length' && n.length > 1).map(([n, v]) => [n, [v]]),
      ) as Headers,
  );
const body = fc.string({ maxLength: 200 });
const message: fc.Arbitrary<SipMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    method: fc.constantFrom('SUBSCRIBE', 'PUBLISH', 'NOTIFY', 'OPTIONS'),
    uri: fc.stringMatching(/^sip:[0-9]{1,6}@[a-z0-9.]{1,20}$/),
    headers,
    body,
  }),
  fc.record({
    kind: fc.constant('response' as const),
    status: fc.integer({ min: 100, max: 699 }),
    reason: fc.stringMatching(/^[A-Za-z ]{0,20}$/),
    headers,
    body,
  }),
);

describe('SIP message codec', () => {
  it('parses what it formats (round trip, Content-Length added)', () => {
    fc.assert(
      fc.property(message, (m) => {
        const parsed = parseMessage(formatMessage(m));
        const { headers: h, ...rest } = parsed;
        if (m.kind === 'request')
          expect(rest).toEqual({ kind: 'request', method: m.method, uri: m.uri, body: m.body });
        else expect(rest).toEqual({ kind: 'response', status: m.status, reason: m.reason, body: m.body });
        for (const [name, values] of m.headers) expect(h.get(name)).toEqual(values.map((v) => v.trim()));
        expect(h.get('content-length')).toEqual([String(Buffer.byteLength(m.body))]);
        expect(parsed.body).toBe(m.body);
      }),
    );
  });

  it('never throws anything but SipParseError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          message.map(formatMessage).chain((t) => fc.nat(t.length).map((n) => t.slice(0, n))),
        ),
        (text) => {
          try {
            parseMessage(text);
          } catch (e) {
            expect(e).toBeInstanceOf(SipParseError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('expands compact headers and folded lines', () => {
    const m = parseMessage(
      'NOTIFY sip:a@b SIP/2.0\r\ni: abc\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nSubject: one\r\n two\r\nl: 2\r\n\r\nhi!',
    );
    expect(m.headers.get('call-id')).toEqual(['abc']);
    expect(m.headers.get('via')).toEqual(['SIP/2.0/UDP h;branch=z9hG4bK1']);
    expect(m.headers.get('subject')).toEqual(['one two']);
    expect(m.body).toBe('hi');
  });
});

describe('message-summary and PIDF bodies', () => {
  it('reads the new voice messages, and round-trips its own bodies', () => {
    expect(voicemailCount('Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n')).toBe(2);
    expect(voicemailCount('Messages-Waiting: no\r\n')).toBe(0);
    expect(voicemailCount('')).toBe(0);
    fc.assert(
      fc.property(fc.nat(999_999), (n) => {
        expect(voicemailCount(messageSummary(n, 'sip:1@x'))).toBe(n);
      }),
    );
    expect(() => voicemailCount('Voice-Message: 2/8')).toThrow(BodyError);
    expect(() => voicemailCount('Messages-Waiting: yes\r\nVoice-Message: lots')).toThrow(BodyError);
  });

  const referral = (over: object) => ({
    ext: '4711',
    locale: 'sv' as const,
    timeZone: 'Europe/Stockholm',
    presence: {
      v: 1 as const,
      status: 'away' as const,
      reason: 'lunch',
      since: '2026-11-23T11:00:00.000Z',
      until: '2026-11-23T12:00:00.000Z',
      alt: null,
      seq: 1,
      by: { kind: 'desk' as const, id: 'd' },
      at: '2026-11-23T11:00:00.000Z',
    },
    label: 'Lunch',
    ...over,
  });

  it('away: closed, the RPID activity with until, the label and "tillbaka 13:00" in the note', () => {
    const doc = pidf('sip:4711@x', referral({}));
    expect(doc).toContain('<basic>closed</basic>');
    expect(doc).toContain('<rpid:activities until="2026-11-23T12:00:00.000Z"><rpid:meal/></rpid:activities>');
    expect(doc).toContain('<note>Lunch, tillbaka 13:00</note>');
  });

  it('a private reason is only "away"; available is open with no activity; text is escaped', () => {
    const sick = pidf(
      'sip:4711@x',
      referral({ private: true, label: 'Sjuk', presence: { ...referral({}).presence, reason: 'sick' } }),
    );
    expect(sick).toContain('<rpid:away/>');
    expect(sick).not.toMatch(/Sjuk|sick/);
    const open = pidf(
      'sip:4711@x',
      referral({ presence: { ...referral({}).presence, status: 'available', reason: null, until: null } }),
    );
    expect(open).toContain('<basic>open</basic>');
    expect(open).not.toContain('rpid:activities');
    expect(pidf('sip:4711@x', referral({ label: '<b>&' }))).toContain('&lt;b&gt;&amp;');
  });
});
