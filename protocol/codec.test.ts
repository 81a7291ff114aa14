import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as A from '../test/support/arbitraries.js';
import { away } from '../test/support/presence-fixture.js';
import {
  BODY_SCHEMAS,
  type DecodeResult,
  decode,
  encode,
  MAX_PAYLOAD_BYTES,
  type Message,
  RETAINED,
  type RejectReason,
} from './codec.js';
import { KINDS, topicFor } from './topics.js';

const REASONS: RejectReason[] = ['topic', 'size', 'utf8', 'json', 'schema', 'empty'];

/** decode must return, never throw; a success must carry a body the schema accepts. */
function decodeSafely(topic: string, bytes: Uint8Array): DecodeResult {
  let result: DecodeResult | undefined;
  expect(() => {
    result = decode(topic, bytes);
  }).not.toThrow();
  const r = result as DecodeResult;
  if (r.ok) {
    if (r.message.body !== null)
      expect(BODY_SCHEMAS[r.message.kind].safeParse(r.message.body).success).toBe(true);
  } else {
    expect(REASONS).toContain(r.reason);
    expect(r.detail.length).toBeGreaterThan(0);
    expect(r.topic).toBe(topic);
  }
  return r;
}

const encoded = A.message.map((m) => ({ m, e: encode(m) }));
const bytesOf = (s: string) => new TextEncoder().encode(s);
const json = (value: unknown) => bytesOf(JSON.stringify(value));
const T = {
  presence: 'hanvisa/v1/acme/presence/1234',
  mwiHandled: 'hanvisa/v1/acme/mwi/1234/handled',
  mwi: 'hanvisa/v1/acme/mwi/1234',
  voicemail: 'hanvisa/v1/acme/voicemail/1234',
};

function expectRejected(result: DecodeResult, reason: RejectReason, detail?: RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toBe(reason);
  if (detail) expect(result.detail).toMatch(detail);
}

describe('codec round trip', () => {
  it.each(KINDS)('every valid %s message survives encode → decode unchanged', (kind) => {
    fc.assert(
      fc.property(A.messageOf(kind), (m) => {
        const e = encode(m);
        expect(e.qos).toBe(1);
        expect(e.retain).toBe(RETAINED[kind]);
        const r = decode(e.topic, e.payload);
        expect(r).toEqual({ ok: true, message: m });
      }),
      { numRuns: 200 },
    );
  });

  it('encoding is deterministic: re-encoding a decoded message gives the same bytes', () => {
    fc.assert(
      fc.property(encoded, ({ e }) => {
        const r = decode(e.topic, e.payload);
        expect(r.ok).toBe(true);
        if (r.ok) expect(encode(r.message).payload.equals(e.payload)).toBe(true);
      }),
    );
  });

  it('an empty payload clears a retained topic (body null) and is refused on an event topic', () => {
    fc.assert(
      fc.property(A.topicRef, (ref) => {
        const m = { ...ref, body: null } as unknown as Message;
        if (RETAINED[ref.kind]) {
          const e = encode(m);
          expect(e.payload.byteLength).toBe(0);
          expect(e.retain).toBe(true);
          expect(decode(e.topic, e.payload)).toEqual({ ok: true, message: m });
        } else {
          expect(() => encode(m)).toThrow(/cannot be cleared/);
          expectRejected(decode(topicFor(ref), new Uint8Array()), 'empty');
        }
      }),
    );
  });
});

describe('codec rejects mutated bytes without throwing', () => {
  it('bit flips', () => {
    fc.assert(
      fc.property(encoded, fc.nat(), fc.integer({ min: 0, max: 7 }), ({ e }, at, bit) => {
        const bytes = Uint8Array.from(e.payload);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ (1 << bit);
        decodeSafely(e.topic, bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('truncation to any proper non-empty prefix', () => {
    fc.assert(
      fc.property(encoded, fc.nat(), ({ e }, at) => {
        const cut = 1 + (at % (e.payload.length - 1));
        const r = decodeSafely(e.topic, e.payload.subarray(0, cut));
        // A proper prefix of a JSON object is never JSON; cutting inside a character is not UTF-8.
        expect(r.ok).toBe(false);
        if (!r.ok) expect(['json', 'utf8']).toContain(r.reason);
      }),
      { numRuns: 500 },
    );
  });

  it('insertion of random bytes', () => {
    fc.assert(
      fc.property(encoded, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 }), ({ e }, at, extra) => {
        const i = at % (e.payload.length + 1);
        const bytes = Buffer.concat([e.payload.subarray(0, i), extra, e.payload.subarray(i)]);
        decodeSafely(e.topic, bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('bytes that are never UTF-8 anywhere in the payload', () => {
    fc.assert(
      fc.property(encoded, fc.nat(), fc.constantFrom(0xff, 0xfe, 0xc0, 0xc1, 0xf8), ({ e }, at, bad) => {
        const i = at % (e.payload.length + 1);
        const bytes = Buffer.concat([e.payload.subarray(0, i), Buffer.from([bad]), e.payload.subarray(i)]);
        expectRejected(decodeSafely(e.topic, bytes), 'utf8');
      }),
    );
  });

  it('random bytes and random topics', () => {
    fc.assert(
      fc.property(
        fc.oneof(A.topicRef.map(topicFor), fc.string()),
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        (topic, bytes) => {
          expect(decodeSafely(topic, bytes).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('valid JSON of the wrong shape for the topic', () => {
    fc.assert(
      fc.property(encoded, A.topicRef, fc.jsonValue(), ({ e }, ref, value) => {
        // Another kind's body on this topic is either refused by schema or (rarely) also valid here.
        const other = topicFor(ref);
        decodeSafely(other, e.payload);
        decodeSafely(e.topic, json(value));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ill-formed strings', () => {
  const wellFormed = (s: string) =>
    !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

  it('decode accepts a directory name exactly when it is well-formed Unicode; encode likewise', () => {
    fc.assert(
      fc.property(A.person, A.codeUnits(60, 1), fc.boolean(), (person, name, asKey) => {
        // JSON.stringify writes a lone surrogate as its \\u escape, as a hostile publisher would
        const body = asKey ? { ...person, [name]: 1 } : { ...person, name };
        const result = decodeSafely('hanvisa/v1/acme/directory/person/1234', json(body));
        expect(result.ok).toBe(wellFormed(name));
        if (!result.ok) expectRejected(result, 'utf8', /lone UTF-16 surrogate/);
        const message = { kind: 'directory-person', org: 'acme', ext: '1234', body } as Message;
        // an unknown key is stripped before encoding, so only a bad value is left to refuse
        if (wellFormed(name) || asKey) expect(() => encode(message)).not.toThrow();
        else expect(() => encode(message)).toThrow(/lone UTF-16 surrogate/);
      }),
    );
  });

  it('an escaped backslash before "ud800" is no surrogate', () => {
    expect(decode(T.presence, json({ ...away, note: '\\ud800' })).ok).toBe(true);
  });

  it.each([
    ['lone high', '"\\ud83d"'],
    ['lone low', '"\\ude00"'],
    ['swapped pair', '"\\ude00\\ud83d"'],
  ])('refuses a %s surrogate in a nested string', (_, escaped) => {
    const text = JSON.stringify({ ...away, alt: { kind: 'info', text: 'x' } }).replace('"x"', escaped);
    expectRejected(decode(T.presence, bytesOf(text)), 'utf8', /surrogate/);
  });

  it('keeps a proper pair, escaped or not', () => {
    const text = JSON.stringify({ ...away, note: 'x' }).replace('"x"', '"\\ud83d\\ude00 😀"');
    const r = decode(T.presence, bytesOf(text));
    expect(r.ok && (r.message.body as { note?: string }).note).toBe('😀 😀');
  });
});

describe('codec rejection reasons', () => {
  it('refuses payloads over 64 KiB before reading them, and accepts one of exactly 64 KiB', () => {
    const body = bytesOf(JSON.stringify(away));
    const padded = Buffer.concat([body, Buffer.alloc(MAX_PAYLOAD_BYTES - body.length, 0x20)]);
    expect(padded.length).toBe(MAX_PAYLOAD_BYTES);
    expect(decode(T.presence, padded).ok).toBe(true);
    expectRejected(decode(T.presence, Buffer.concat([padded, Buffer.from(' ')])), 'size', /65537 bytes/);
    expectRejected(decode(T.presence, new Uint8Array(10 * 1024 * 1024)), 'size');
  });

  it('encode refuses a body whose payload would exceed 64 KiB', () => {
    const message = { id: 'm', at: away.at, text: 'x'.repeat(1000), callbackBy: null };
    const body = { v: 1, messages: Array.from({ length: 200 }, () => message) };
    expect(BODY_SCHEMAS.mwi.safeParse(body).success).toBe(true);
    expect(() => encode({ kind: 'mwi', org: 'acme', ext: '1234', body } as Message)).toThrow(/exceeds 65536/);
  });

  it.each([
    ['wrong topic root', 'other/v1/acme/presence/1234', 'topic'],
    ['future contract version in the topic', 'hanvisa/v2/acme/presence/1234', 'topic'],
    ['wildcard in the topic', 'hanvisa/v1/acme/presence/+', 'topic'],
    ['empty segment', 'hanvisa/v1//presence/1234', 'topic'],
  ] as const)('%s', (_, topic, reason) => {
    expectRejected(decode(topic, json(away)), reason);
  });

  it.each([
    ['v: 2', { ...away, v: 2 }, /v:/],
    ['v missing', { ...away, v: undefined }, /v:/],
    ['v as a string', { ...away, v: '1' }, /v:/],
    ['available with a reason', { ...away, status: 'available', until: null }, /available presence/],
    ['away without a reason', { ...away, reason: null }, /needs a reason/],
    ['return time not a whole minute', { ...away, until: '2026-11-23T11:45:30.000Z' }, /whole minute/],
    ['time with an offset instead of Z', { ...away, since: '2026-11-23T12:00:00.000+01:00' }, /since/],
    ['time without milliseconds', { ...away, since: '2026-11-23T11:00:00Z' }, /since/],
    ['impossible date', { ...away, since: '2026-02-30T11:00:00.000Z' }, /since/],
    ['negative seq', { ...away, seq: -1 }, /seq/],
    ['fractional seq', { ...away, seq: 1.5 }, /seq/],
    ['seq beyond 2^53', { ...away, seq: 2 ** 53 }, /seq/],
    ['unknown actor kind', { ...away, by: { kind: 'robot', id: 'x' } }, /by\.kind/],
    ['forward to a non-extension', { ...away, alt: { kind: 'forward', to: 'bob' } }, /alt/],
    ['a reason code with upper case', { ...away, reason: 'Lunch' }, /reason/],
    ['an array', [away], /\(root\)/],
    ['null', null, /\(root\)/],
  ])('presence: %s is a schema rejection', (_, body, detail) => {
    expectRejected(decode(T.presence, json(body)), 'schema', detail);
  });

  it.each([
    ['not JSON', '{v:1}', 'json'],
    ['trailing garbage', `${JSON.stringify(away)}x`, 'json'],
    ['two documents', `${JSON.stringify(away)}${JSON.stringify(away)}`, 'json'],
  ] as const)('%s', (_, text, reason) => {
    expectRejected(decode(T.presence, bytesOf(text)), reason);
  });

  it.each([
    ['overlong encoding of "/"', [0xc0, 0xaf]],
    ['UTF-16 surrogate encoded in UTF-8', [0xed, 0xa0, 0x80]],
    ['truncated 3-byte sequence', [0xe2, 0x82]],
    ['code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('invalid UTF-8: %s', (_, bad) => {
    const [head, tail] = JSON.stringify({ ...away, note: '@' }).split('@') as [string, string];
    const bytes = Buffer.concat([bytesOf(head), Buffer.from(bad), bytesOf(tail)]);
    expectRejected(decode(T.presence, bytes), 'utf8');
  });

  it('a device config naming one key or LED twice is refused', () => {
    const config = {
      v: 1,
      version: 2,
      ext: '1234',
      layout: {
        keys: [
          { key: 0, action: { type: 'open' } },
          { key: 0, action: { type: 'reason', reason: 'lunch' } },
        ],
        leds: [],
      },
    };
    const topic = 'hanvisa/v1/acme/device/desk-1/config';
    expectRejected(decode(topic, json(config)), 'schema', /layout\.keys\.1: 0 appears twice/);
    const leds = [
      { led: 3, role: { type: 'message' } },
      { led: 3, role: { type: 'link' } },
    ];
    expectRejected(
      decode(topic, json({ ...config, layout: { keys: [], leds } })),
      'schema',
      /layout\.leds\.1/,
    );
  });

  it('unknown fields are stripped, at every level, and do not pollute prototypes', () => {
    const text = JSON.stringify({ ...away, future: true, by: { ...away.by, team: 'x' } }).replace(
      /^\{/,
      '{"__proto__":{"polluted":1},',
    );
    const r = decode(T.presence, bytesOf(text));
    expect(r).toEqual({ ok: true, message: { kind: 'presence', org: 'acme', ext: '1234', body: away } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('defaults fill fields a peer left out', () => {
    const r = decode(
      'hanvisa/v1/acme/directory/org',
      json({ v: 1, name: 'Acme', timeZone: 'Europe/Stockholm', locale: 'sv' }),
    );
    expect(r.ok && r.message.body).toMatchObject({
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue',
      callback: 'next-working-day',
    });
    expectRejected(
      decode(
        'hanvisa/v1/acme/directory/org',
        json({ v: 1, name: 'Acme', timeZone: 'Mars/Olympus', locale: 'sv' }),
      ),
      'schema',
      /time zone/,
    );
  });

  it.each([
    ['a negative count', { v: 1, count: -1 }, /count/],
    ['a fractional count', { v: 1, count: 1.5 }, /count/],
    ['a count as a string', { v: 1, count: '2' }, /count/],
    ['no count', { v: 1 }, /count/],
  ])('voicemail: %s is a schema rejection', (_, body, detail) => {
    expectRejected(decode(T.voicemail, json(body)), 'schema', detail);
  });

  it('voicemail and phone messages travel apart: an empty voicemail payload is none, mwi has no count', () => {
    expect(decode(T.voicemail, new Uint8Array())).toEqual({
      ok: true,
      message: { kind: 'voicemail', org: 'acme', ext: '1234', body: null },
    });
    // A count on mwi is not part of the contract: stripped like any unknown field, never read as voicemail.
    expect(decode(T.mwi, json({ v: 1, voicemail: 3, messages: [] }))).toEqual({
      ok: true,
      message: { kind: 'mwi', org: 'acme', ext: '1234', body: { v: 1, messages: [] } },
    });
  });

  it('an event on an event topic decodes; an empty one does not', () => {
    const handled = { v: 1, id: 'msg-1', by: { kind: 'desk', id: 'desk-7' }, at: away.at };
    expect(decode(T.mwiHandled, json(handled))).toEqual({
      ok: true,
      message: { kind: 'mwi-handled', org: 'acme', ext: '1234', body: handled },
    });
    expectRejected(decode(T.mwiHandled, new Uint8Array()), 'empty');
  });

  it('encode refuses an invalid body or topic (a caller bug), naming the problem', () => {
    expect(() =>
      encode({ kind: 'presence', org: 'acme', ext: '1234', body: { ...away, seq: -1 } } as Message),
    ).toThrow(/invalid presence: seq/);
    expect(() => encode({ kind: 'presence', org: 'acme', ext: '12/34', body: away } as Message)).toThrow(
      /invalid ext/,
    );
  });
});
