// decode() validates bodies with zod's compiled fast path (z.compile) and parses topics through an
// index of the routes. Both must answer exactly as the plain schemas and the plain route loop do:
// same acceptance, same bodies (key order included), same error messages. Differential properties
// on valid messages and on JSON near the schemas (missing, mistyped, out-of-range and extra fields).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as A from '../test/support/arbitraries.js';
import { away } from '../test/support/presence-fixture.js';
import { BODY_SCHEMAS, type DecodeResult, decode, wellFormed } from './codec.js';
import {
  KINDS,
  type Kind,
  parseTopic,
  ROUTES,
  SEGMENT_PATTERNS,
  type SegmentName,
  topicFor,
} from './topics.js';

const HOT = ['presence', 'directory-person', 'device-state'] as const satisfies readonly Kind[];
const bytesOf = (s: string) => new TextEncoder().encode(s);

/** What decode answered before the fast path: the runtime parser on the parsed JSON. */
function expectedDecode(topic: string, kind: Kind, text: string): DecodeResult {
  const ref = parseTopic(topic);
  if ('error' in ref) throw new Error(ref.error);
  const parsed = BODY_SCHEMAS[kind].safeParse(JSON.parse(text));
  if (parsed.success) return { ok: true, message: { ...ref, body: parsed.data } as never };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, topic, reason: 'schema', detail: `${kind}: ${issues}` };
}

/** Deep equality plus the same key order (bodies are re-serialised for the board's SSE snapshot). */
function expectSameDecode(topic: string, kind: Kind, text: string) {
  const got = decode(topic, bytesOf(text));
  // refused before any schema runs (codec.test.ts, "ill-formed strings")
  if (!wellFormed(JSON.parse(text))) {
    expect(got).toMatchObject({ ok: false, reason: 'utf8' });
    return got;
  }
  const want = expectedDecode(topic, kind, text);
  expect(got).toStrictEqual(want);
  if (got.ok && want.ok) expect(JSON.stringify(got.message.body)).toBe(JSON.stringify(want.message.body));
  return got;
}

// Values at and around every edge the hot schemas draw.
const TIMES = [
  '2026-11-23T11:45:00.000Z',
  '2026-11-23T11:45:30.000Z', // not a whole minute
  '2026-11-23T11:45:00.001Z',
  '2026-02-30T00:00:00.000Z', // no such day
  '2026-02-29T00:00:00.000Z', // not a leap year
  '2024-02-29T00:00:00.000Z',
  '2000-02-29T00:00:00.000Z',
  '2100-02-29T00:00:00.000Z',
  '2026-04-31T00:00:00.000Z',
  '2026-11-23T24:00:00.000Z',
  '2026-11-23T23:59:60.000Z',
  '2026-11-23T11:45:00Z',
  '2026-11-23T11:45:00.00Z',
  '2026-11-23T11:45:00.0000Z',
  '2026-11-23T11:45:00.000+01:00',
  '2026-11-23T11:45:00.000z',
  '2026-11-23 11:45:00.000Z',
  '+02026-11-23T11:45:00.000Z',
  '２026-11-23T11:45:00.000Z',
];
const stringsAround = (max: number) => [
  '',
  'x',
  'x'.repeat(max),
  'x'.repeat(max + 1),
  '😀'.repeat(max / 2), // exactly max UTF-16 units
  `${'😀'.repeat(max / 2)}x`,
  `${'x'.repeat(max - 1)}😀`, // max + 1 units in max code points
  '\ud800'.repeat(max), // lone surrogates: refused whatever their count
  '\udc00'.repeat(max + 1),
];
const NUMBERS = [0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 255, 256, 257, 1e21, 0.1];
const WORDS = [
  ...['available', 'away', 'desk', 'operator', 'calendar', 'switchboard', 'robot', 'forward', 'info'],
  ...['lunch', 'Lunch', 'a-b', '-a', 'a'.repeat(24), 'a'.repeat(25), 'meeting'],
  ...[
    '1234',
    '12a4',
    '1'.repeat(15),
    '1'.repeat(16),
    ' 1234',
    '1234\n',
    'avd-1',
    'Avd',
    'a_b',
    'a'.repeat(64),
  ],
  ...['a'.repeat(65), 'desk-7', 'x/y', '+', '#'],
];
const interesting: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    '1',
    [],
    {},
    ...NUMBERS,
    ...TIMES,
    ...WORDS,
    ...[32, 64, 80, 120].flatMap(stringsAround),
  ),
  A.isoTime,
  A.isoMinute,
  A.reasonCode,
  A.ext,
  A.actor,
  A.altAnswer,
  A.panelInfo,
  fc.record({ kind: fc.constantFrom('forward', 'info'), to: fc.constantFrom<unknown>('1', 'x', 1, null) }),
  fc.jsonValue({ maxDepth: 2 }),
);

const KEYS = [
  ...[
    'v',
    'status',
    'reason',
    'since',
    'until',
    'alt',
    'note',
    'seq',
    'by',
    'at',
    'kind',
    'id',
    'to',
    'name',
  ],
  ...['text', 'department', 'title', 'direct', 'mobile', 'email', 'online', 'ext', 'agent', 'panel'],
  ...['configVersion', 'panelConnected', 'hardwareId', 'model', 'keys', 'leds', 'firmware', 'future'],
];

/** One change somewhere in the tree: drop a key, set a known or unknown key to an edge value. */
const mutation = fc.record({
  node: fc.nat(),
  op: fc.constantFrom('delete', 'set'),
  key: fc.constantFrom(...KEYS),
  value: interesting,
});

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function objectsIn(value: unknown, into: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    into.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) objectsIn(child, into);
  }
  return into;
}

function mutate(body: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(body);
  for (const { node, op, key, value } of mutations) {
    const objects = objectsIn(copy);
    const target = objects[node % objects.length];
    if (!target) continue;
    if (op === 'delete')
      delete target[Object.keys(target)[node % Math.max(1, Object.keys(target).length)] ?? key];
    else target[key] = structuredClone(value);
  }
  return copy;
}

describe('decode with the compiled fast path answers as the runtime parser', () => {
  it.each(HOT)('the %s schema compiles (else decode silently loses its fast path)', (kind) => {
    expect(() => z.compile(BODY_SCHEMAS[kind], { strict: true })).not.toThrow();
  });

  it.each(KINDS)('valid %s messages', (kind) => {
    fc.assert(
      fc.property(A.messageOf(kind), (m) => {
        const { body, ...ref } = m as { body: unknown };
        const r = expectSameDecode(topicFor(ref as never), kind, JSON.stringify(body));
        expect(r.ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each(HOT)('%s bodies with one to three fields dropped, mistyped, out of range or added', (kind) => {
    fc.assert(
      fc.property(
        A.topicRefOf(kind),
        A.bodies[kind],
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (ref, body, mutations) => {
          expectSameDecode(topicFor(ref), kind, JSON.stringify(mutate(body, mutations)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each(HOT)('%s: random objects made of the schema keys and edge values', (kind) => {
    fc.assert(
      fc.property(A.topicRefOf(kind), fc.dictionary(fc.constantFrom(...KEYS), interesting), (ref, body) => {
        expectSameDecode(topicFor(ref), kind, JSON.stringify(body));
      }),
      { numRuns: 1000 },
    );
  });

  it.each(KINDS)('%s: any JSON value', (kind) => {
    fc.assert(
      fc.property(A.topicRefOf(kind), fc.jsonValue(), (ref, value) => {
        expectSameDecode(topicFor(ref), kind, JSON.stringify(value));
      }),
      { numRuns: 200 },
    );
  });

  const available = { ...away, status: 'available', reason: null, until: null };
  const text = JSON.stringify(away).slice(1, -1);
  it.each([
    ['available with a reason', JSON.stringify({ ...available, reason: 'lunch' })],
    ['available with a return time', JSON.stringify({ ...available, until: away.until })],
    ['away without a reason', JSON.stringify({ ...away, reason: null })],
    ['away until further notice', JSON.stringify({ ...away, until: null })],
    ['seq -0', `{${text.replace('"seq":7', '"seq":-0')}}`],
    ['seq 7.0', `{${text.replace('"seq":7', '"seq":7.0')}}`],
    ['seq 7e0', `{${text.replace('"seq":7', '"seq":7e0')}}`],
    ['seq 1e999 (Infinity)', `{${text.replace('"seq":7', '"seq":1e999')}}`],
    ['seq 2^53 - 1', JSON.stringify({ ...away, seq: 2 ** 53 - 1 })],
    ['v 1.0', `{${text.replace('"v":1', '"v":1.0')}}`],
    ['a duplicated key (the last wins)', `{${text},"seq":-1}`],
    ['an own __proto__ key', `{"__proto__":{"polluted":1},${text}}`],
    ['a constructor key', `{"constructor":{"prototype":{}},${text}}`],
    [
      'forward with a name of 80 emoji halves',
      JSON.stringify({ ...away, alt: { kind: 'forward', to: '1', name: '😀'.repeat(40) } }),
    ],
    [
      'forward with a name of 81 units',
      JSON.stringify({ ...away, alt: { kind: 'forward', to: '1', name: `${'😀'.repeat(40)}x` } }),
    ],
    ['info without text', JSON.stringify({ ...away, alt: { kind: 'info' } })],
    ['alt of an unknown kind', JSON.stringify({ ...away, alt: { kind: 'voicemail' } })],
    ['note of lone surrogates', JSON.stringify({ ...away, note: '\udfff'.repeat(80) })],
    ['by with extra keys', JSON.stringify({ ...away, by: { kind: 'desk', id: 'd', team: 'x' } })],
    ['by.id empty', JSON.stringify({ ...away, by: { kind: 'desk', id: '' } })],
  ])('presence: %s', (_, payload) => {
    expectSameDecode('hanvisa/v1/acme/presence/1234', 'presence', payload);
  });

  it('a decoded message is a fresh object each time (the body is added to the parsed reference)', () => {
    const payload = bytesOf(JSON.stringify(away));
    const a = decode('hanvisa/v1/acme/presence/1234', payload);
    const b = decode('hanvisa/v1/acme/presence/1234', payload);
    expect(a).toStrictEqual(b);
    expect(a.ok && b.ok && a.message !== b.message && a.message.body !== b.message.body).toBe(true);
  });
});

/** parseTopic as it was: every route in turn, segment by segment. */
function parseTopicByLoop(topic: string): ReturnType<typeof parseTopic> {
  const parts = topic.split('/');
  if (parts[0] !== 'hanvisa') return { error: 'topic is not under hanvisa/' };
  if (parts[1] !== 'v1') return { error: `unsupported contract version ${JSON.stringify(parts[1] ?? '')}` };
  const org = parts[2] ?? '';
  if (!SEGMENT_PATTERNS.org.test(org)) return { error: `invalid org segment ${JSON.stringify(org)}` };
  const rest = parts.slice(3);
  for (const kind of KINDS) {
    const shape = ROUTES[kind].split('/');
    if (shape.length !== rest.length) continue;
    const ref: Record<string, string> = { kind, org };
    const matched = shape.every((want, i) => {
      const got = rest[i] as string;
      if (!want.startsWith('{')) return want === got;
      const name = want.slice(1, -1) as SegmentName;
      ref[name] = got;
      return SEGMENT_PATTERNS[name].test(got);
    });
    if (matched) return ref as never;
  }
  return { error: `unknown topic ${JSON.stringify(rest.join('/'))}` };
}

describe('parseTopic through the route index answers as the route loop', () => {
  const segment = fc.oneof(
    fc.constantFrom(...new Set(KINDS.flatMap((k) => ROUTES[k].split('/')).filter((s) => !s.startsWith('{')))),
    fc.constantFrom('', '+', '#', 'hanvisa', 'v1', 'acme', 'Acme', '1234', '12a4', 'desk-7', 'x'.repeat(65)),
    A.ext,
    A.deviceId,
    // almost a parameter: one character too many or of the wrong class
    fc
      .tuple(fc.oneof(A.ext, A.deviceId), fc.constantFrom(' ', '\n', 'A', '_', '-', '0', 'x'.repeat(64)))
      .map(([s, c]) => s + c),
    fc.string({ maxLength: 4 }),
  );

  it('on valid topics and on topics with segments replaced, added or removed', () => {
    fc.assert(
      fc.property(
        A.topicRef,
        fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('replace', 'insert', 'remove'), segment })),
        (ref, edits) => {
          const parts = topicFor(ref).split('/');
          for (const { at, op, segment: s } of edits) {
            const i = at % (parts.length + 1);
            if (op === 'insert') parts.splice(i, 0, s);
            else if (op === 'remove') parts.splice(i, 1);
            else parts[Math.min(i, parts.length - 1)] = s;
          }
          const topic = parts.join('/');
          expect(parseTopic(topic)).toStrictEqual(parseTopicByLoop(topic));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (topic) => {
        expect(parseTopic(topic)).toStrictEqual(parseTopicByLoop(topic));
      }),
    );
  });
});
